import type { RateLabel, RateLimits } from './types';

/** Zoom's Pro plan per-second limits (docs/zoom.md §4). */
export const PRO_RATE_LIMITS: Required<RateLimits> = { light: 30, medium: 20, heavy: 10 };

export type RateDecision =
  { allowed: true } | { allowed: false; limit: number; retryAfterSeconds: number };

/**
 * Zoom's per-second limits, one bucket per label for the whole account (docs/zoom.md §4: the limit is
 * shared by every app on the account, so every token of the account draws from the same bucket).
 * Token bucket: capacity = the per-second rate, refilled continuously. A burst of exactly the
 * rate passes; anything faster is refused until tokens come back. How Zoom meters the second
 * internally is not documented (inferred); a client that paces itself at the rate passes both.
 */
export class RateLimiter {
  private readonly buckets = new Map<RateLabel, { tokens: number; updatedAt: number }>();

  constructor(
    private limits: RateLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  setLimits(limits: RateLimits): void {
    this.limits = limits;
    this.buckets.clear();
  }

  limitOf(label: RateLabel): number | undefined {
    return this.limits[label] || undefined;
  }

  take(label: RateLabel, now: number = this.clock()): RateDecision {
    const rate = this.limits[label];
    if (!rate || rate <= 0) return { allowed: true };
    const bucket = this.buckets.get(label) ?? { tokens: rate, updatedAt: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.updatedAt) / 1000) * rate);
    bucket.updatedAt = now;
    this.buckets.set(label, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    // Zoom sends whole seconds; never 0, which a client could read as "retry immediately".
    const wait = (1 - bucket.tokens) / rate;
    return { allowed: false, limit: rate, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }
}
