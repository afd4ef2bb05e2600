import { performance } from 'node:perf_hooks';

/**
 * Group commit (docs/architecture.md §16): callers submit one item each and are answered when the
 * batch holding it is durable. While a batch is being written, newly submitted items wait and go
 * together in the next one, so under load a batch holds whatever arrived during the previous
 * write (up to `maxBatch`) and one database command serves many items; when idle, an item is
 * written after the current event-loop turn, so a lone request waits for no timer.
 *
 * `minIntervalMs` (default 0) paces the writes under load: a batch starts no sooner than that
 * long after the previous one started, so items that arrive spread out (the sender's outcomes, a
 * few a second per lane) still share a write; after a quiet interval an item is written at once.
 *
 * One batch is written at a time per instance. The writes it is used for are order-insensitive,
 * so nothing depends on that for correctness; it keeps one process from racing itself to a
 * unique key (which the test server mishandles, docs/architecture.md §12).
 */
export class GroupCommit<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;
  private scheduled = false;
  private lastStart = -Infinity;

  /**
   * `write` stores a batch and answers, per item, null (durable) or the error that item's caller
   * gets; a rejection fails every item of the batch with that error.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<Array<unknown>>,
    private readonly maxBatch: number,
    private readonly minIntervalMs = 0,
  ) {}

  /** Resolves once the item is durable; rejects with the error its write met. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing && !this.scheduled) this.schedule();
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
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    this.lastStart = performance.now();
    const batch = this.queue.splice(0, this.maxBatch);
    void this.write(batch.map((b) => b.item))
      .then(
        (outcomes) =>
          batch.forEach((b, i) => {
            const error = outcomes[i];
            if (error === null || error === undefined) b.resolve();
            else b.reject(error);
          }),
        (error: unknown) => batch.forEach((b) => b.reject(error)),
      )
      .finally(() => {
        this.writing = false;
        if (this.minIntervalMs === 0) this.drain();
        else if (this.queue.length > 0 && !this.scheduled) this.schedule();
      });
  }
}
