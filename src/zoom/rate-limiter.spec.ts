import {
  Clock,
  InFlightLimit,
  RateLimiter,
  RateLimiterClosedError,
  TokenBucket,
} from './rate-limiter';

/** A clock that only moves when told to, firing due timers in time order. */
class ManualClock implements Clock {
  private time = 0;
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

  /** Moves time forward by `ms`, running each timer at its own time and settling promises. */
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
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('TokenBucket', () => {
  it('lets the first request through and paces the next at 1/rate', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10 }, 0);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(100)).toBe(0);
  });

  it('holds the configured rate over many requests', () => {
    const bucket = new TokenBucket({ ratePerSecond: 50 }, 0);
    let now = 0;
    let granted = 0;
    while (granted < 200) {
      const wait = bucket.take(now);
      if (wait === 0) granted += 1;
      else now += wait;
    }
    // 200 requests at 50/s: the first at 0, the last 199 intervals of 20 ms later.
    expect(now).toBe(199 * 20);
  });

  it('keeps at most `burst` tokens after idling', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2 }, 0);
    expect(bucket.take(10_000)).toBe(0);
    expect(bucket.take(10_000)).toBe(0);
    expect(bucket.take(10_000)).toBeGreaterThan(0);
  });

  it('after a 429 pauses everyone, halves the rate, then recovers it linearly', () => {
    const bucket = new TokenBucket({ ratePerSecond: 10, recoveryMs: 10_000 }, 0);
    bucket.take(0);
    bucket.penalize(1000, 2000);
    expect(bucket.take(1500)).toBe(1500);
    expect(bucket.currentRate(1000)).toBe(5);
    // Recovery runs from the end of the pause (3000) over 10 s.
    expect(bucket.currentRate(3000)).toBe(5);
    expect(bucket.currentRate(8000)).toBeCloseTo(7.5);
    expect(bucket.currentRate(13_000)).toBe(10);
    // Restarts empty at the end of the pause: no burst right after it.
    expect(bucket.take(3000)).toBeGreaterThan(0);
  });

  it('counts the 429s of one burst once, and never drops below the floor', () => {
    const bucket = new TokenBucket(
      { ratePerSecond: 20, penaltyWindowMs: 1000, minFactor: 0.25 },
      0,
    );
    for (let t = 0; t < 900; t += 100) bucket.penalize(t, 0);
    // Halved once (to 10/s, recovering slowly), not nine times.
    expect(bucket.currentRate(900)).toBeGreaterThanOrEqual(10);
    expect(bucket.currentRate(900)).toBeLessThan(11);
    for (let t = 1000; t < 10_000; t += 1000) bucket.penalize(t, 0);
    expect(bucket.currentRate(9000)).toBeGreaterThanOrEqual(5);
  });

  it('halves once for probes that keep meeting 429 right after each pause', () => {
    const bucket = new TokenBucket({ ratePerSecond: 20, recoveryMs: 10_000 }, 0);
    let now = 0;
    for (let i = 0; i < 5; i++) {
      bucket.penalize(now, 1000);
      now += 1000 + 50; // the probe goes out just after the pause and is refused again
    }
    expect(bucket.currentRate(now - 50)).toBe(10);
    // A 429 long after the episode is a new signal.
    bucket.penalize(now + 20_000, 1000);
    expect(bucket.currentRate(now + 21_000)).toBe(10);
    bucket.penalize(now + 21_000 + 5_000, 1000);
    expect(bucket.currentRate(now + 27_000)).toBeLessThan(10);
  });

  it('rejects a non-positive rate', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 }, 0)).toThrow(RangeError);
  });
});

describe('RateLimiter', () => {
  it('grants queued callers in order at the configured rate', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ light: 30, medium: 10, heavy: 5 }, clock);
    const grantedAt: number[] = [];
    const order: number[] = [];
    for (let i = 0; i < 20; i++) {
      void limiter.acquire('medium').then(() => {
        grantedAt.push(clock.now());
        order.push(i);
      });
    }
    await clock.advance(5000);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(grantedAt).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
  });

  it('keeps labels independent', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ light: 30, medium: 10, heavy: 1 }, clock);
    let heavy = 0;
    let medium = 0;
    for (let i = 0; i < 5; i++) {
      void limiter.acquire('heavy').then(() => (heavy += 1));
      void limiter.acquire('medium').then(() => (medium += 1));
    }
    await clock.advance(450);
    expect(medium).toBe(5);
    expect(heavy).toBe(1);
  });

  it('holds back every waiting caller when one of them gets a 429', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ light: 30, medium: 10, heavy: 5 }, clock);
    const grantedAt: number[] = [];
    for (let i = 0; i < 4; i++)
      void limiter.acquire('medium').then(() => grantedAt.push(clock.now()));
    await clock.advance(150);
    expect(grantedAt).toEqual([0, 100]);
    limiter.penalize('medium', 1000);
    await clock.advance(2000);
    // Paused until 1150, then at about the halved rate (5/s, recovering): ~200 ms apart.
    const [third, fourth] = grantedAt.slice(2);
    expect(third).toBeGreaterThanOrEqual(1340);
    expect(third).toBeLessThanOrEqual(1350);
    expect(fourth - third).toBeGreaterThan(180);
    expect(limiter.currentRate('medium')).toBeLessThan(10);
  });

  it('rejects waiting callers when closed', async () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter({ light: 1, medium: 1, heavy: 1 }, clock);
    await limiter.acquire('light');
    const waiting = limiter.acquire('light');
    limiter.close();
    await expect(waiting).rejects.toBeInstanceOf(RateLimiterClosedError);
    await expect(limiter.acquire('heavy')).rejects.toBeInstanceOf(RateLimiterClosedError);
  });
});

describe('InFlightLimit', () => {
  it('never lets more than the limit through, and hands slots over in order', async () => {
    const limit = new InFlightLimit(2);
    const releases: Array<() => void> = [];
    const started: number[] = [];
    for (let i = 0; i < 5; i++) {
      void limit.acquire().then((release) => {
        started.push(i);
        releases.push(release);
      });
    }
    await flush();
    expect(started).toEqual([0, 1]);
    releases[0]();
    releases[0](); // a second release of the same slot is ignored
    await flush();
    expect(started).toEqual([0, 1, 2]);
    expect(limit.inFlight).toBe(2);
    releases[1]();
    releases[2]();
    await flush();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    releases[3]();
    releases[4]();
    expect(limit.inFlight).toBe(0);
  });

  it('rejects waiting callers when closed', async () => {
    const limit = new InFlightLimit(1);
    await limit.acquire();
    const waiting = limit.acquire();
    limit.close();
    await expect(waiting).rejects.toBeInstanceOf(RateLimiterClosedError);
  });
});
