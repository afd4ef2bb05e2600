import type { RateLabel, RateLimits } from './types';

/**
 * Zoom's daily caps (docs/zoom.md §4): requests per label per UTC day, counted for the whole
 * account. A label left out (or 0) has no cap. The day turns at midnight UTC, when Zoom's
 * observed message says requests may resume.
 */
export class DailyLimit {
  private day = '';
  private readonly used = new Map<RateLabel, number>();

  constructor(private limits: RateLimits = {}) {}

  setLimits(limits: RateLimits): void {
    this.limits = limits;
    this.used.clear();
  }

  /** The cap of `label` when today's requests have used it up, else undefined. */
  exhausted(label: RateLabel, now: number = Date.now()): number | undefined {
    this.turnDay(now);
    const cap = this.limits[label];
    return cap && cap > 0 && (this.used.get(label) ?? 0) >= cap ? cap : undefined;
  }

  count(label: RateLabel, now: number = Date.now()): void {
    this.turnDay(now);
    this.used.set(label, (this.used.get(label) ?? 0) + 1);
  }

  /** Epoch ms of the next midnight UTC: when a daily cap resets. */
  static resetAt(now: number = Date.now()): number {
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  }

  private turnDay(now: number): void {
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.used.clear();
    }
  }
}
