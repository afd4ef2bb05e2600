import { performance } from 'node:perf_hooks';

/**
 * The pace of the answer path's grouped reads and writes under load (docs/architecture.md §6): at
 * most one batch of a kind per this many milliseconds while requests keep coming; a request after
 * a quiet interval waits for nothing.
 */
export const ANSWER_PATH_BATCH_INTERVAL_MS = 10;

/**
 * Group commit for keyed operations that answer per key: reads (docs/architecture.md §6), or a
 * conditional write that tells which keys it applied to (the sender's posting marks, §5).
 * Callers ask for one key each; keys asked for while an operation is in flight wait and go
 * together, de-duplicated, in the next one, so under load one command serves everything that
 * arrived during the previous one; when idle, a key goes after the current event-loop turn, with
 * no timer.
 *
 * `minIntervalMs` paces the reads under load: a read starts no sooner than that long after the
 * previous one started, so when the app's CPU rather than the database is what keeps requests
 * apart (a read finishes before the next request gets that far, and nothing would group), a
 * batch still holds what arrived in that interval. After a quiet interval a key is read at once.
 *
 * Every read starts after each of its callers asked: a caller never gets a value read before its
 * request began. That is what lets fields that change on any instance (a broadcast's close) be
 * read this way and never cached.
 */
export class KeyedBatcher<K, V> {
  private queue = new Map<
    K,
    Array<{ resolve: (v: V | null) => void; reject: (e: unknown) => void }>
  >();
  private reading = false;
  private scheduled = false;
  private lastStart = -Infinity;

  /**
   * `read` handles up to `maxBatch` keys at once and answers a value for each key it found or
   * applied to (a key it leaves out is answered null); a rejection fails every caller of that read with its error.
   */
  constructor(
    private readonly read: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch: number,
    private readonly minIntervalMs = 0,
  ) {}

  get(key: K): Promise<V | null> {
    return new Promise<V | null>((resolve, reject) => {
      const waiters = this.queue.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.queue.set(key, [{ resolve, reject }]);
      if (!this.reading && !this.scheduled) this.schedule();
    });
  }

  private schedule(): void {
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.drain();
    };
    const waitMs = this.lastStart + this.minIntervalMs - performance.now();
    if (waitMs >= 1) setTimeout(run, waitMs);
    else setImmediate(run);
  }

  private drain(): void {
    if (this.reading || this.queue.size === 0) return;
    this.reading = true;
    this.lastStart = performance.now();
    const batch = new Map<
      K,
      Array<{ resolve: (v: V | null) => void; reject: (e: unknown) => void }>
    >();
    for (const [key, waiters] of this.queue) {
      if (batch.size >= this.maxBatch) break;
      batch.set(key, waiters);
    }
    for (const key of batch.keys()) this.queue.delete(key);
    void this.read([...batch.keys()])
      .then(
        (found) => {
          for (const [key, waiters] of batch) {
            const value = found.get(key) ?? null;
            for (const waiter of waiters) waiter.resolve(value);
          }
        },
        (error: unknown) => {
          for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        this.reading = false;
        if (this.queue.size > 0 && !this.scheduled) this.schedule();
      });
  }
}
