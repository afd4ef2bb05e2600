import { TokenBucketLimiter } from './token-bucket';

describe('TokenBucketLimiter', () => {
  it('allows a burst of `capacity`, then refuses with a Retry-After', () => {
    const limiter = new TokenBucketLimiter({ capacity: 3, refillPerSecond: 0.5, maxKeys: 10 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('k', t).allowed)).toEqual([true, true, true]);
    expect(limiter.take('k', t)).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it('refills over time at refillPerSecond', () => {
    const limiter = new TokenBucketLimiter({ capacity: 1, refillPerSecond: 2, maxKeys: 10 });
    expect(limiter.take('k', 0).allowed).toBe(true);
    expect(limiter.take('k', 100).allowed).toBe(false);
    expect(limiter.take('k', 600).allowed).toBe(true);
  });

  it('keeps keys apart', () => {
    const limiter = new TokenBucketLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 10 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('b', 0).allowed).toBe(true);
    expect(limiter.take('a', 0).allowed).toBe(false);
  });

  it('stays within maxKeys, forgetting idle buckets first', () => {
    const limiter = new TokenBucketLimiter({ capacity: 2, refillPerSecond: 1, maxKeys: 100 });
    limiter.take('busy', 0);
    limiter.take('busy', 0);
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`, 0);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});
