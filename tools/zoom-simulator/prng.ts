/**
 * Seedable randomness (mulberry32) so that fault injection, ids and webhook shuffling repeat
 * exactly for a given seed: a flaky benchmark can be replayed.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number = Math.floor(Math.random() * 2 ** 32)) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** true with probability `ratio` (0 never draws, so a fault-free run consumes no randomness). */
  chance(ratio: number): boolean {
    return ratio > 0 && this.next() < ratio;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** RFC 4122-looking UUID (upper case, as in Zoom's participant_uuid, docs/zoom.md §3). */
  uuid(): string {
    const h = this.bytes(16).toString('hex').toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** Zoom meeting UUID: 16 bytes in base64, e.g. "4444AAAiAAAAAiAiAiiAii==" (may hold '/' and '+'). */
  meetingUuid(): string {
    return this.bytes(16).toString('base64');
  }
}
