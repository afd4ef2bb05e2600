/**
 * Client-side pacing for Zoom's per-account rate limits (docs/zoom.md §4): one token bucket per label
 * (light / medium / heavy), shared by every caller in the process, so the service never sends
 * faster than the account allows and a 429 slows everyone down, not only the caller that got it.
 *
 * Pure logic with an injectable clock: `TokenBucket` decides, `RateLimiter` queues callers FIFO
 * and wakes them with the clock's timer. Unit-tested in rate-limiter.spec.ts with a manual clock.
 */

import type { DailyLimitPause } from './daily-limit';

export type ZoomRateLabel = 'light' | 'medium' | 'heavy';

/**
 * The account's budget as the Zoom client uses it: this process's own buckets (RateLimiter), or
 * the one shared by every instance through MongoDB (SharedRateLimiter, shared-rate-limiter.ts).
 */
export interface ZoomRateBudget {
  /** Resolves when this caller may send one request under `label`. */
  acquire(label: ZoomRateLabel): Promise<void>;
  /** Zoom answered 429 under `label`: pause and slow down (see TokenBucket.penalize). */
  penalize(label: ZoomRateLabel, pauseMs: number): void;
  /** A daily cap is spent: tell whoever else sends under this account. */
  shareDailyLimit(pause: DailyLimitPause): void;
  currentRate(label: ZoomRateLabel): number;
  /** Rejects the callers waiting under `label` with `error`. */
  rejectWaiting(label: ZoomRateLabel, error: Error): void;
  /** Rejects every waiting caller and stops the timers (application shutdown). */
  close(): void;
}

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Runs `callback` after `ms`; returns a function that cancels it. */
  schedule(callback: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  schedule: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export interface TokenBucketOptions {
  /** Requests per second the account allows for this label. */
  ratePerSecond: number;
  /**
   * Tokens that may accumulate. Default: 100 ms worth (at least 2), not a whole second's: how Zoom
   * meters its second is not documented (docs/zoom.md §4, inferred), so the client paces evenly instead
   * of bursting a second's worth at once. The small reserve absorbs timer and event-loop lateness
   * so that the average rate stays the configured one on a busy process.
   */
  burst?: number;
  /** Lowest share of the configured rate a run of 429s can push the bucket down to. */
  minFactor?: number;
  /** Time for the rate to climb back linearly to full after the last 429. */
  recoveryMs?: number;
  /**
   * 429s within this window of the previous one (or of the end of its pause) count as one signal:
   * requests already in flight when the limit was hit all come back 429, and halving once per
   * request would collapse the rate.
   */
  penaltyWindowMs?: number;
}

export class TokenBucket {
  private readonly ratePerSecond: number;
  private readonly burst: number;
  private readonly minFactor: number;
  private readonly recoveryMs: number;
  private readonly penaltyWindowMs: number;
  private tokens: number;
  private updatedAt: number;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private lastPenaltyAt = Number.NEGATIVE_INFINITY;
  /** Recovery starts when sending resumes, not while the bucket is still paused. */
  private recoveryFrom = Number.NEGATIVE_INFINITY;
  private factorAtPenalty = 1;

  constructor(options: TokenBucketOptions, now: number) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    this.ratePerSecond = options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? Math.max(2, Math.ceil(options.ratePerSecond / 10)));
    this.minFactor = options.minFactor ?? 0.25;
    this.recoveryMs = options.recoveryMs ?? 10_000;
    this.penaltyWindowMs = options.penaltyWindowMs ?? 1_000;
    // Start with one token, not a full burst: the first request goes at once, the rest are paced.
    this.tokens = 1;
    this.updatedAt = now;
  }

  /** The rate in force at `now`: the configured one, reduced after 429s, recovering linearly. */
  currentRate(now: number): number {
    const recovered = Math.min(1, Math.max(0, (now - this.recoveryFrom) / this.recoveryMs));
    const factor = this.factorAtPenalty + (1 - this.factorAtPenalty) * recovered;
    return this.ratePerSecond * factor;
  }

  /** Takes a token: 0 when granted, otherwise the milliseconds until one may be available. */
  take(now: number): number {
    if (now < this.pausedUntil) return Math.ceil(this.pausedUntil - now);
    const rate = this.currentRate(now);
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * rate);
      this.updatedAt = now;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / rate));
  }

  /**
   * Zoom answered 429: the account's limit is spent (perhaps by another app on the same account,
   * docs/zoom.md §4). Nobody sends for `pauseMs`, the bucket restarts empty, and the rate is halved
   * (once per penalty window), recovering over `recoveryMs` from the end of the pause.
   */
  penalize(now: number, pauseMs: number): void {
    // One congestion episode, one halving: the 429s of requests already in flight, and those of
    // the probes sent right after each pause (the account is still limited, our rate is moot).
    const episodeEnd = Math.max(this.lastPenaltyAt, this.pausedUntil);
    if (now - episodeEnd >= this.penaltyWindowMs) {
      const current = this.currentRate(now) / this.ratePerSecond;
      this.factorAtPenalty = Math.max(this.minFactor, current / 2);
      this.lastPenaltyAt = now;
    }
    this.pausedUntil = Math.max(this.pausedUntil, now + pauseMs);
    this.recoveryFrom = this.pausedUntil;
    this.tokens = 0;
    this.updatedAt = this.pausedUntil;
  }
}

export class RateLimiterClosedError extends Error {
  constructor() {
    super('The Zoom client is shutting down');
    this.name = 'RateLimiterClosedError';
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Callers wait in one FIFO queue per label; a single timer per label wakes the head when its
 * bucket has a token. FIFO keeps early callers from being starved by late ones, and one timer
 * (rather than every waiter polling) keeps a queue of thousands cheap.
 */
export class RateLimiter implements ZoomRateBudget {
  private readonly buckets: Record<ZoomRateLabel, TokenBucket>;
  private readonly queues: Record<ZoomRateLabel, Waiter[]> = { light: [], medium: [], heavy: [] };
  private readonly timers: Partial<Record<ZoomRateLabel, () => void>> = {};
  private closed = false;

  constructor(
    limits: Record<ZoomRateLabel, number>,
    private readonly clock: Clock = systemClock,
    options: Omit<TokenBucketOptions, 'ratePerSecond'> = {},
  ) {
    const now = clock.now();
    const bucket = (rate: number) => new TokenBucket({ ...options, ratePerSecond: rate }, now);
    this.buckets = {
      light: bucket(limits.light),
      medium: bucket(limits.medium),
      heavy: bucket(limits.heavy),
    };
  }

  /** Resolves when this caller may send one request under `label`. */
  acquire(label: ZoomRateLabel): Promise<void> {
    if (this.closed) return Promise.reject(new RateLimiterClosedError());
    return new Promise<void>((resolve, reject) => {
      this.queues[label].push({ resolve, reject });
      if (this.timers[label] === undefined) this.pump(label);
    });
  }

  /** Zoom answered 429 under `label`: pause and slow the shared bucket (see TokenBucket.penalize). */
  penalize(label: ZoomRateLabel, pauseMs: number): void {
    this.buckets[label].penalize(this.clock.now(), pauseMs);
  }

  currentRate(label: ZoomRateLabel): number {
    return this.buckets[label].currentRate(this.clock.now());
  }

  /** Nothing to share: this process is the only one that knows (its own pause is the client's). */
  shareDailyLimit(): void {}

  /**
   * Rejects the callers waiting under `label` with `error` (a daily limit: they would all be
   * refused until the reset, so they fail now instead of each asking Zoom).
   */
  rejectWaiting(label: ZoomRateLabel, error: Error): void {
    this.timers[label]?.();
    delete this.timers[label];
    for (const waiter of this.queues[label].splice(0)) waiter.reject(error);
  }

  /** Rejects every waiting caller and stops the timers (application shutdown). */
  close(): void {
    this.closed = true;
    for (const label of Object.keys(this.queues) as ZoomRateLabel[]) {
      this.timers[label]?.();
      delete this.timers[label];
      for (const waiter of this.queues[label].splice(0))
        waiter.reject(new RateLimiterClosedError());
    }
  }

  private pump(label: ZoomRateLabel): void {
    delete this.timers[label];
    const queue = this.queues[label];
    while (queue.length > 0) {
      const wait = this.buckets[label].take(this.clock.now());
      if (wait > 0) {
        this.timers[label] = this.clock.schedule(() => this.pump(label), wait);
        return;
      }
      queue.shift()?.resolve();
    }
  }
}

/** At most `limit` requests on the wire at once (ZOOM_MAX_IN_FLIGHT); FIFO like the buckets. */
export class InFlightLimit {
  private active = 0;
  private readonly waiting: Waiter[] = [];
  private closed = false;

  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.closed) throw new RateLimiterClosedError();
    if (this.active < this.limit) {
      this.active += 1;
    } else {
      // The slot is handed over by release(), so `active` already counts this caller.
      await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.resolve();
      else this.active -= 1;
    };
  }

  get inFlight(): number {
    return this.active;
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new RateLimiterClosedError());
  }
}
