import type { DailyLimitPause } from './daily-limit';
import { Clock, RateLimiterClosedError, type ZoomRateLabel } from './rate-limiter';
import {
  type BudgetState,
  type BudgetStore,
  SharedRateLimiter,
  type SharedBudgetHooks,
} from './shared-rate-limiter';

/** A clock that only moves when told to, firing due timers in time order (epoch-like start). */
class ManualClock implements Clock {
  private time = 1_700_000_000_000;
  private timers: Array<{ at: number; callback: () => void }> = [];

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time on without running anything: the event loop was blocked. */
  stall(ms: number): void {
    this.time += ms;
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** The MongoDB record's semantics: every field only raised, the state before answered. */
class MemoryStore implements BudgetStore {
  readonly records = new Map<ZoomRateLabel, BudgetState>();
  bookings = 0;
  failing = false;

  book(label: ZoomRateLabel, until: number): Promise<BudgetState | null> {
    this.bookings += 1;
    if (this.failing) return Promise.reject(new Error('database away'));
    const before = this.records.get(label);
    const next = before ? { ...before } : { bookedUntil: 0, pausedUntil: 0, daily: null };
    next.bookedUntil = Math.max(next.bookedUntil, until);
    this.records.set(label, next);
    return Promise.resolve(before ? { ...before } : null);
  }

  pause(label: ZoomRateLabel, until: number): Promise<void> {
    const next = this.records.get(label) ?? { bookedUntil: 0, pausedUntil: 0, daily: null };
    next.pausedUntil = Math.max(next.pausedUntil, until);
    next.bookedUntil = Math.max(next.bookedUntil, until);
    this.records.set(label, next);
    return Promise.resolve();
  }

  pauseDaily(pause: DailyLimitPause): Promise<void> {
    const next = this.records.get(pause.label) ?? { bookedUntil: 0, pausedUntil: 0, daily: null };
    next.daily = {
      until: Math.max(next.daily?.until ?? 0, pause.resetsAt.getTime()),
      zoomMessage: pause.zoomMessage,
      trackingId: pause.trackingId,
    };
    this.records.set(pause.label, next);
    return Promise.resolve();
  }
}

const RATE = 20;
const LIMITS = { light: 30, medium: RATE, heavy: 10 };

function hooks(): SharedBudgetHooks & { daily: DailyLimitPause[] } {
  const daily: DailyLimitPause[] = [];
  return { daily, dailyLimitSeen: (p) => daily.push(p), storeFailed: () => undefined };
}

function busiestWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] < sorted[start] + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

describe('SharedRateLimiter', () => {
  let clock: ManualClock;
  let store: MemoryStore;

  beforeEach(() => {
    clock = new ManualClock();
    store = new MemoryStore();
  });

  function instance(h = hooks()): SharedRateLimiter {
    return new SharedRateLimiter(LIMITS, store, h, clock);
  }

  /** Lanes that record the clock's time of every slot they get. */
  function busy(limiter: SharedRateLimiter, lanes: number, grants: number[]): void {
    const lane = async (): Promise<void> => {
      for (;;) {
        try {
          await limiter.acquire('medium');
        } catch {
          return;
        }
        grants.push(clock.now());
      }
    };
    for (let i = 0; i < lanes; i++) void lane();
  }

  it('three instances on one record send at the rate together, never faster, in few bookings', async () => {
    const limiters = [instance(), instance(), instance()];
    const grants: number[] = [];
    const perInstance = limiters.map(() => [] as number[]);
    limiters.forEach((l, i) => busy(l, 20, perInstance[i]));
    await clock.advance(10_000);
    limiters.forEach((l) => l.close());
    for (const g of perInstance) grants.push(...g);

    expect(new Set(grants).size).toBe(grants.length); // no slot went to two instances
    expect(busiestWindow(grants)).toBeLessThanOrEqual(RATE + 1);
    expect(grants.length).toBeGreaterThanOrEqual(0.95 * RATE * 10);
    // Every instance got its share of the work.
    for (const g of perInstance) expect(g.length).toBeGreaterThan(RATE * 2);
    expect(store.bookings / grants.length).toBeLessThan(0.25);
  });

  it('a lone caller is sent within about one slot', async () => {
    const limiter = instance();
    const start = clock.now();
    let at = 0;
    void limiter.acquire('medium').then(() => (at = clock.now()));
    await clock.advance(200);
    expect(at).toBeGreaterThan(0);
    expect(at - start).toBeLessThanOrEqual(1000 / RATE + 20);
    limiter.close();
  });

  it('a 429 on one instance pauses the others from their next booking, within the horizon', async () => {
    const a = instance();
    const b = instance();
    const grantsB: number[] = [];
    busy(b, 20, grantsB);
    await clock.advance(2000);
    const penalizedAt = clock.now();
    a.penalize('medium', 3000);
    await clock.advance(6000);
    b.close();
    const inPause = grantsB.filter((t) => t >= penalizedAt + 1000 && t < penalizedAt + 3000);
    expect(inPause).toEqual([]);
    // And it slows down afterwards, as after its own 429 (halved, recovering).
    expect(b.currentRate('medium')).toBeLessThan(RATE);
    expect(grantsB.filter((t) => t >= penalizedAt + 3000).length).toBeGreaterThan(0);
  });

  it('a daily cap recorded by one instance fails the callers of another at its next booking', async () => {
    const h = hooks();
    const b = instance(h);
    const resetsAt = new Date(clock.now() + 3_600_000);
    await store.pauseDaily({ label: 'medium', resetsAt, zoomMessage: 'daily', trackingId: 't' });
    void b.acquire('medium').catch(() => undefined);
    await clock.advance(100);
    expect(h.daily).toEqual([{ label: 'medium', resetsAt, zoomMessage: 'daily', trackingId: 't' }]);
    b.close();
  });

  it('an instance that dies strands at most the horizon: the others take over the whole rate', async () => {
    const a = instance();
    const b = instance();
    const grantsA: number[] = [];
    const grantsB: number[] = [];
    busy(a, 20, grantsA);
    busy(b, 20, grantsB);
    await clock.advance(3000);
    a.close(); // dies holding booked slots
    const diedAt = clock.now();
    await clock.advance(6000);
    b.close();
    // What it had booked (at most the horizon, 1 s: 20 slots) passes unused...
    const since = grantsB.filter((t) => t >= diedAt);
    expect(since.length).toBeGreaterThanOrEqual(RATE * 6 - RATE - 1);
    // ...and once its slots have passed (they lie within two instances' horizons), B has it all.
    const later = grantsB.filter((t) => t >= diedAt + 2000);
    expect(later.length).toBeGreaterThanOrEqual(0.95 * RATE * 4);
  });

  it('keeps callers waiting while the store is away and serves them when it is back', async () => {
    const limiter = instance();
    store.failing = true;
    let served = false;
    void limiter.acquire('medium').then(() => (served = true));
    await clock.advance(2000);
    expect(served).toBe(false);
    store.failing = false;
    await clock.advance(1000);
    expect(served).toBe(true);
    limiter.close();
  });

  it('after a stall of the event loop, the slots that passed are dropped, not sent in a burst', async () => {
    const limiter = instance();
    const grants: number[] = [];
    busy(limiter, 20, grants);
    await clock.advance(1000);
    const before = grants.length;
    clock.stall(500);
    await clock.advance(0);
    const stalledAt = clock.now();
    expect(grants.filter((t) => t === stalledAt).length).toBeLessThanOrEqual(1);
    await clock.advance(2000);
    limiter.close();
    expect(busiestWindow(grants)).toBeLessThanOrEqual(RATE + 1);
    expect(grants.length - before).toBeGreaterThan(RATE); // and it goes on at the rate
  });

  it('books ahead for the recent pace, so callers busy between sends do not wait a round trip each', async () => {
    // A database 100 ms away and four callers that each work 250 ms between two sends: they
    // want 16/s, under the rate, and should get nearly that.
    const slow: BudgetStore = {
      book: (label, until) =>
        new Promise((resolve, reject) =>
          clock.schedule(() => void store.book(label, until).then(resolve, reject), 100),
        ),
      pause: (label, until) => store.pause(label, until),
      pauseDaily: (pause) => store.pauseDaily(pause),
    };
    const limiter = new SharedRateLimiter(LIMITS, slow, hooks(), clock);
    let grants = 0;
    let running = true;
    const lane = async (): Promise<void> => {
      while (running) {
        await limiter.acquire('medium');
        grants += 1;
        await new Promise<void>((r) => clock.schedule(r, 250));
      }
    };
    for (let i = 0; i < 4; i++) void lane().catch(() => undefined);
    await clock.advance(10_000);
    running = false;
    limiter.close();
    expect(grants).toBeGreaterThanOrEqual(0.85 * 160);
  });

  it('hands out every slot it books at a rate whose interval is not whole milliseconds', async () => {
    // 60/s: 16.67 ms a slot. A booking's share used to be counted in epoch milliseconds divided
    // by the interval, whose rounding lost the first slot of about a third of the bookings that
    // started where the previous one ended: booked, paid for, and never used.
    const limiter = new SharedRateLimiter({ ...LIMITS, medium: 60 }, store, hooks(), clock);
    const grants: number[] = [];
    busy(limiter, 20, grants);
    await clock.advance(10_000);
    limiter.close();
    // One instance alone, callers always waiting: one slot every interval, no gap.
    const gaps = grants.slice(1).map((t, i) => t - grants[i]);
    expect(Math.max(...gaps)).toBeLessThan(1.5 * (1000 / 60));
    expect(grants.length).toBeGreaterThanOrEqual(60 * 10 - 1);
    expect(busiestWindow(grants)).toBeLessThanOrEqual(61);
  });

  it.each([20, 60])(
    'keeps every 1-second window at or under rate + 1 at %i/s when a timer fires late',
    async (rate) => {
      // Three instances, callers always waiting, timers on time but one in 40 firing 19 ms late
      // (a busy event loop). A slot goes at most one interval in all either side of its place
      // (lateWindow): at 60/s (16.7 ms a slot) the slot of a late timer is dropped. Sent 19 ms
      // late, as an earlier rule allowed, it lets 62 into the second that ends just after it.
      let fired = 0;
      const late: Clock = {
        now: () => clock.now(),
        schedule: (callback, ms) => clock.schedule(callback, ms + (++fired % 40 === 0 ? 19 : 0)),
      };
      const limiters = [0, 1, 2].map(
        () => new SharedRateLimiter({ ...LIMITS, medium: rate }, store, hooks(), late),
      );
      const grants: number[] = [];
      for (const limiter of limiters) busy(limiter, 20, grants);
      await clock.advance(20_000);
      for (const limiter of limiters) limiter.close();
      expect(busiestWindow(grants)).toBeLessThanOrEqual(rate + 1);
      expect(grants.length).toBeGreaterThanOrEqual(rate * 20 * 0.9);
    },
  );

  it('rejects waiting callers on close', async () => {
    const limiter = instance();
    store.failing = true;
    const waiting = limiter.acquire('medium');
    limiter.close();
    await expect(waiting).rejects.toBeInstanceOf(RateLimiterClosedError);
    await expect(limiter.acquire('medium')).rejects.toBeInstanceOf(RateLimiterClosedError);
  });
});
