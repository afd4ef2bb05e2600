/**
 * One Zoom budget per account and label for every instance of the service (docs/architecture.md
 * §20): the send slots are booked in one shared record per label, so N instances together send
 * at the configured rate, not N times it. The record is a schedule ("GCRA"): `bookedUntil` is
 * the end of the last slot anyone booked. An instance books a batch of k slots by raising it to
 * `start + k × interval` with an order-insensitive maximum (`$max`) and reads the value it had
 * before: the slots in [max(before, start), end) are its own, and nobody else can hold them,
 * since every booking only ever raises the value. A booking that lost the race learns the newest
 * value and tries again from there.
 *
 * Slots are times, not tokens: an instance sends each at its time, so the account sees one
 * request every interval whichever instance sends it. Slots lie at most `horizonMs` ahead, so a
 * dead instance strands at most that much budget (its slots simply pass). A slot is handed out
 * no earlier than EARLY_MS before its time and no later than an interval minus that after it, and
 * dropped if this instance reaches it later (sent later, it would bunch with the slots after it,
 * which may be another instance's): every slot then goes within one interval of its place on
 * the grid, which keeps every 1-second window at or under rate + 1 (lateWindow). The 429 pause
 * (Retry-After) and the daily-limit pause live in the same record: every booking answers them,
 * so every instance honours them before its next send.
 * Slot times are wall-clock epoch milliseconds: the instances' clocks must agree (NTP), and a skew
 * of s ms lets about s × rate / 1000 extra requests into a second.
 *
 * Pure logic over a `BudgetStore` (MongoDB in the app, zoom-budget.store.ts; a map in the unit
 * tests) and a Clock; unit-tested in shared-rate-limiter.spec.ts.
 */
import type { DailyLimitPause } from './daily-limit';
import {
  Clock,
  RateLimiterClosedError,
  TokenBucket,
  type TokenBucketOptions,
  type ZoomRateBudget,
  type ZoomRateLabel,
} from './rate-limiter';

/** What the shared record of one label says (all times epoch ms). */
export interface BudgetState {
  /** End of the last slot booked by any instance. */
  bookedUntil: number;
  /** Nobody sends before this (a 429's Retry-After). */
  pausedUntil: number;
  /** The label's daily cap is spent until then (docs/zoom.md §4), if known. */
  daily: { until: number; zoomMessage: string; trackingId: string | null } | null;
}

export interface BudgetStore {
  /** Raises `bookedUntil` to at least `until` and answers the state before (null: no record yet). */
  book(label: ZoomRateLabel, until: number): Promise<BudgetState | null>;
  /** Raises `pausedUntil` (and `bookedUntil`, so new slots come after the pause) to `until`. */
  pause(label: ZoomRateLabel, until: number): Promise<void>;
  /** Records a daily-limit pause (the later reset wins). */
  pauseDaily(pause: DailyLimitPause): Promise<void>;
}

export interface SharedRateLimiterOptions extends Omit<TokenBucketOptions, 'ratePerSecond'> {
  /**
   * Send time an instance may hold booked and unused (as slots: this long at the rate): the
   * budget a dead instance can strand, and how late it may learn of another instance's 429.
   */
  horizonMs?: number;
  /** Fewest slots worth a booking round trip while more callers wait (caps at the callers). */
  minBatch?: number;
  /** Pause before trying the store again after it failed (the database is away). */
  retryMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface LabelState {
  rate: number;
  queue: Waiter[];
  /** This instance's slots, ascending epoch ms. */
  slots: number[];
  /** When the callers of the last second came: the pace slots are booked ahead for. */
  recent: number[];
  /** The newest `bookedUntil` this instance knows of. */
  known: number;
  pausedUntil: number;
  booking: boolean;
  cancelTimer?: () => void;
  timerAt?: number;
  /** Only for its penalty schedule (halving after a 429, linear recovery): see TokenBucket. */
  penalty: TokenBucket;
}

export interface SharedBudgetHooks {
  /** A booking answered that the label's daily cap is spent (perhaps learnt by another instance). */
  dailyLimitSeen(pause: DailyLimitPause): void;
  /** The store failed; the limiter keeps trying (logged by the caller, once per outage ideally). */
  storeFailed(label: ZoomRateLabel, error: unknown): void;
}

const LABELS: ZoomRateLabel[] = ['light', 'medium', 'heavy'];

/**
 * How early a slot may be handed out: a timer may fire up to a millisecond before its time (the
 * event loop counts whole milliseconds), and the slot should not then wait for one more turn.
 */
const EARLY_MS = 1;

/**
 * Slot numbers on the grid of `interval` (slot n is at n × interval epoch ms). Epoch
 * milliseconds divided by an interval such as 1000 / 60 carry a rounding error of about 1e-5 of
 * a slot, so a time within a thousandth of a slot after a grid point counts as that point: the
 * end of one booking, stored and read back, is then exactly the start of the next one.
 */
export function slotAtOrAfter(time: number, interval: number): number {
  return Math.ceil(time / interval - 1e-3);
}

/**
 * The window around its time in which a slot is handed out: at most `early` ms before it, at
 * most `late` ms after it, never more than one interval in all. Why that is the bound: slot k
 * of the grid lies at k × I; if every slot is sent within [kI − early, kI + late], two slots
 * rate + 1 apart are sent at least (rate + 1) × I − (early + late) = 1000 + I − (early + late)
 * ≥ 1000 ms apart, so no 1-second window holds rate + 2 of them, whichever instances sent them.
 */
export function lateWindow(interval: number): { early: number; late: number } {
  const early = Math.min(EARLY_MS, interval / 4);
  return { early, late: interval - early };
}

/** Epoch milliseconds: slot times are compared across instances, so not a monotonic clock. */
export const wallClock: Clock = {
  now: () => Date.now(),
  schedule: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export class SharedRateLimiter implements ZoomRateBudget {
  private readonly labels: Record<ZoomRateLabel, LabelState>;
  private readonly horizonMs: number;
  private readonly minBatch: number;
  private readonly retryMs: number;
  /** Smoothed booking round trip: slots are booked that far ahead so they are not late on arrival. */
  private roundTripMs = 5;
  private closed = false;

  constructor(
    limits: Record<ZoomRateLabel, number>,
    private readonly store: BudgetStore,
    private readonly hooks: SharedBudgetHooks,
    private readonly clock: Clock,
    options: SharedRateLimiterOptions = {},
  ) {
    this.horizonMs = options.horizonMs ?? 1000;
    this.minBatch = options.minBatch ?? 10;
    this.retryMs = options.retryMs ?? 250;
    const now = clock.now();
    const state = (rate: number): LabelState => ({
      rate,
      queue: [],
      recent: [],
      slots: [],
      known: 0,
      pausedUntil: 0,
      booking: false,
      penalty: new TokenBucket({ ...options, ratePerSecond: rate }, now),
    });
    this.labels = {
      light: state(limits.light),
      medium: state(limits.medium),
      heavy: state(limits.heavy),
    };
  }

  acquire(label: ZoomRateLabel): Promise<void> {
    if (this.closed) return Promise.reject(new RateLimiterClosedError());
    return new Promise<void>((resolve, reject) => {
      this.labels[label].queue.push({ resolve, reject });
      this.labels[label].recent.push(this.clock.now());
      this.pump(label);
    });
  }

  /** Zoom answered 429: this instance stops at once; the others learn it at their next booking. */
  penalize(label: ZoomRateLabel, pauseMs: number): void {
    const until = this.clock.now() + pauseMs;
    this.learnPause(label, until);
    this.pump(label);
    this.store.pause(label, until).catch((error: unknown) => this.hooks.storeFailed(label, error));
  }

  shareDailyLimit(pause: DailyLimitPause): void {
    this.store
      .pauseDaily(pause)
      .catch((error: unknown) => this.hooks.storeFailed(pause.label, error));
  }

  currentRate(label: ZoomRateLabel): number {
    return this.labels[label].penalty.currentRate(this.clock.now());
  }

  rejectWaiting(label: ZoomRateLabel, error: Error): void {
    const state = this.labels[label];
    for (const waiter of state.queue.splice(0)) waiter.reject(error);
    state.slots.length = 0;
  }

  close(): void {
    this.closed = true;
    for (const label of LABELS) {
      const state = this.labels[label];
      state.cancelTimer?.();
      state.cancelTimer = undefined;
      for (const waiter of state.queue.splice(0)) waiter.reject(new RateLimiterClosedError());
    }
  }

  /** Hands due slots to waiting callers, then books or waits for what is still missing. */
  private pump(label: ZoomRateLabel): void {
    const state = this.labels[label];
    if (this.closed) return;
    const now = this.clock.now();
    const interval = this.interval(label, now);
    const { early, late } = lateWindow(interval);
    while (state.slots.length > 0) {
      const slot = state.slots[0];
      // Too late: sent now it would crowd the next slots, which may be other instances'.
      if (slot < state.pausedUntil || now - slot > late) {
        state.slots.shift();
        continue;
      }
      if (state.queue.length === 0 || slot > now + early) break;
      state.slots.shift();
      state.queue.shift()?.resolve();
    }
    const wakeAt = state.queue.length > 0 && state.slots.length > 0 ? state.slots[0] : Infinity;
    // Slots for the callers waiting, plus those the recent pace will ask for before a booking
    // made now could answer: a caller should find a slot booked, not wait for a round trip.
    while (state.recent.length > 0 && state.recent[0] <= now - 1000) state.recent.shift();
    const ahead = Math.ceil((state.recent.length * (3 * this.roundTripMs + interval)) / 1000);
    const wanted = state.queue.length + ahead;
    const missing = wanted - state.slots.length;
    const room = Math.max(1, Math.floor(this.horizonMs / interval)) - state.slots.length;
    // A round trip is worth a batch (or every slot wanted): with slots in hand, book when a
    // batch fits, not one slot at a time.
    const batch = Math.min(this.minBatch, wanted);
    if (missing > 0 && room >= batch && !state.booking) {
      const count = Math.min(room, Math.max(missing, batch));
      void this.book(label, this.firstSlot(state, now, interval), count, interval);
    }
    this.wakeAt(label, wakeAt);
  }

  /** The first slot (number) this instance may ask for: after what it knows is booked. */
  private firstSlot(state: LabelState, now: number, interval: number): number {
    const earliest = Math.max(state.known, state.pausedUntil, now + 2 * this.roundTripMs);
    // On a grid of the interval, so every instance's slots line up and a partly lost booking
    // leaves no sliver of unusable time between two instances' slots.
    return slotAtOrAfter(earliest, interval);
  }

  private async book(
    label: ZoomRateLabel,
    first: number,
    count: number,
    interval: number,
  ): Promise<void> {
    const state = this.labels[label];
    state.booking = true;
    const last = first + count; // one past the last slot asked for
    const end = last * interval;
    const sentAt = this.clock.now();
    let before: BudgetState | null;
    try {
      before = await this.store.book(label, end);
    } catch (error: unknown) {
      this.hooks.storeFailed(label, error);
      state.booking = false;
      this.wakeAt(label, this.clock.now() + this.retryMs);
      return;
    }
    this.roundTripMs = 0.8 * this.roundTripMs + 0.2 * (this.clock.now() - sentAt);
    const bookedBefore = before?.bookedUntil ?? 0;
    state.known = Math.max(state.known, bookedBefore, end);
    // Ours: the slots from the later of the first asked for and the end of the booking before.
    // Counted in slot numbers, not in milliseconds, which would lose a slot to rounding.
    const mine: number[] = [];
    for (let n = Math.max(first, slotAtOrAfter(bookedBefore, interval)); n < last; n++) {
      mine.push(n * interval);
    }
    state.slots = [...state.slots, ...mine].sort((a, b) => a - b);
    if (before) this.learn(label, before);
    state.booking = false;
    this.pump(label);
  }

  /** What another instance told the record: a 429 pause, a spent daily cap. */
  private learn(label: ZoomRateLabel, before: BudgetState): void {
    if (before.pausedUntil > this.labels[label].pausedUntil) {
      this.learnPause(label, before.pausedUntil);
    }
    if (before.daily && before.daily.until > this.clock.now()) {
      this.hooks.dailyLimitSeen({
        label,
        resetsAt: new Date(before.daily.until),
        zoomMessage: before.daily.zoomMessage,
        trackingId: before.daily.trackingId,
      });
    }
  }

  private learnPause(label: ZoomRateLabel, until: number): void {
    const state = this.labels[label];
    if (until <= state.pausedUntil) return;
    const now = this.clock.now();
    state.pausedUntil = until;
    if (until > now) state.penalty.penalize(now, until - now);
    state.slots = state.slots.filter((slot) => slot >= until);
  }

  /** Milliseconds between two slots at the rate in force (lower for a while after a 429). */
  private interval(label: ZoomRateLabel, now: number): number {
    return 1000 / this.labels[label].penalty.currentRate(now);
  }

  /** One timer per label, at the earliest moment something is due. */
  private wakeAt(label: ZoomRateLabel, at: number): void {
    const state = this.labels[label];
    if (this.closed || at === Infinity) {
      if (state.queue.length === 0) {
        state.cancelTimer?.();
        state.cancelTimer = undefined;
        state.timerAt = undefined;
      }
      return;
    }
    if (state.cancelTimer && state.timerAt !== undefined && state.timerAt <= at) return;
    state.cancelTimer?.();
    state.timerAt = at;
    state.cancelTimer = this.clock.schedule(
      () => {
        state.cancelTimer = undefined;
        state.timerAt = undefined;
        this.pump(label);
      },
      Math.max(0, at - this.clock.now()),
    );
  }
}
