export interface TokenBucketOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Sustained requests per second once the burst is spent. */
  refillPerSecond: number;
  /** Keys remembered at most; idle (full) buckets are forgotten first, so memory stays bounded. */
  maxKeys: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * In-memory token buckets, one per key. Per instance: with N instances behind a balancer a client
 * gets up to N times the rate, which is fine for what this guards (floods, a stuck client), not
 * for billing-grade quotas.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: TokenBucketOptions) {}

  take(key: string, now = Date.now()): TakeResult {
    const { capacity, refillPerSecond } = this.options;
    const bucket = this.buckets.get(key) ?? this.add(key, now);
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * refillPerSecond,
    );
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)),
    };
  }

  get size(): number {
    return this.buckets.size;
  }

  private add(key: string, now: number): Bucket {
    if (this.buckets.size >= this.options.maxKeys) this.evict(now);
    const bucket = { tokens: this.options.capacity, updatedAt: now };
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Drops buckets that have refilled (they behave exactly like a new one), else the oldest. */
  private evict(now: number): void {
    const { capacity, refillPerSecond } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * refillPerSecond >= capacity) {
        this.buckets.delete(key);
      }
    }
    const excess = this.buckets.size - Math.floor(this.options.maxKeys * 0.9);
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.buckets.keys()) {
      if (dropped++ >= excess) break;
      this.buckets.delete(key);
    }
  }
}
