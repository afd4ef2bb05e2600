/**
 * Ids seen within the last `ttlMs` (at least; at most twice that): two generations of sets, the
 * older dropped as a whole, so remembering costs no timer or timestamp per id.
 */
export class RecentIds {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotatedAt: number;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.rotatedAt = now();
  }

  /** Remembers the id; false when it was already remembered. */
  add(id: string): boolean {
    this.rotate();
    if (this.current.has(id) || this.previous.has(id)) return false;
    this.current.add(id);
    return true;
  }

  private rotate(): void {
    const now = this.now();
    if (now - this.rotatedAt < this.ttlMs) return;
    this.previous = now - this.rotatedAt < 2 * this.ttlMs ? this.current : new Set();
    this.current = new Set();
    this.rotatedAt = now;
  }
}
