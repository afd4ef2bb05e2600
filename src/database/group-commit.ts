/**
 * Group commit (docs/architecture.md §16): callers submit one item each and are answered when the
 * batch holding it is durable. While a batch is being written, newly submitted items wait and go
 * together in the next one, so under load a batch holds whatever arrived during the previous
 * write (up to `maxBatch`) and one database command serves many items; when idle, an item is
 * written after the current event-loop turn, so a lone request waits for no timer.
 *
 * One batch is written at a time per instance. The writes it is used for are order-insensitive,
 * so nothing depends on that for correctness; it keeps one process from racing itself to a
 * unique key (which the test server mishandles, docs/architecture.md §12).
 */
export class GroupCommit<T> {
  private queue: Array<{ item: T; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;
  private scheduled = false;

  /**
   * `write` stores a batch and answers, per item, null (durable) or the error that item's caller
   * gets; a rejection fails every item of the batch with that error.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<Array<unknown>>,
    private readonly maxBatch: number,
  ) {}

  /** Resolves once the item is durable; rejects with the error its write met. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.drain();
        });
      }
    });
  }

  private drain(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
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
        this.drain();
      });
  }
}
