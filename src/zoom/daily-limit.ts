/**
 * Zoom's daily caps (docs/zoom.md §4, §7): a 429 that says "daily" lasts until the cap resets,
 * hours away. Waiting it out inside a call, or retrying it like a per-second 429, only sends
 * Zoom more refused requests; the label is paused until the reset and every call under it fails
 * at once with ZoomDailyLimitError. Pure functions plus a small registry, unit-tested without a
 * network.
 */
import type { ZoomRateLabel } from './rate-limiter';
import { MAX_RETRY_AFTER_MS } from './retry-policy';

export interface DailyLimitSignal {
  /** Epoch ms when Zoom accepts the label's calls again. */
  resetsAt: number;
  /** How the reset time was known, for the logs and test-zoom. */
  source: 'retry-after' | 'message' | 'next-utc-midnight';
}

/**
 * Whether a 429 is a daily limit, and until when. Daily when `X-RateLimit-Type` says so, when
 * `Retry-After` points further ahead than any per-second wait, or (the header-less variant seen
 * in the field) when the message says "daily". The reset is Retry-After when given, else the
 * `GMT hh:mm:ss` the message names (next occurrence), else the next midnight UTC (inferred: the
 * observed messages and the documented example both reset then). Null for a per-second 429.
 */
export function dailyLimitOf(
  answer: { rateLimitType: string | undefined; retryAfterMs: number | null; message: string },
  nowMs: number,
): DailyLimitSignal | null {
  const typed = /daily/i.test(answer.rateLimitType ?? '');
  const farAhead = answer.retryAfterMs !== null && answer.retryAfterMs > MAX_RETRY_AFTER_MS;
  const worded = /daily/i.test(answer.message);
  if (!typed && !farAhead && !worded) return null;
  if (answer.retryAfterMs !== null && answer.retryAfterMs > 0) {
    return { resetsAt: nowMs + answer.retryAfterMs, source: 'retry-after' };
  }
  const named = /GMT\s+(\d{1,2}):(\d{2}):(\d{2})/i.exec(answer.message);
  if (named) {
    const now = new Date(nowMs);
    const [h, m, s] = [Number(named[1]), Number(named[2]), Number(named[3])];
    let at = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m, s);
    if (at <= nowMs) at += 86_400_000;
    return { resetsAt: at, source: 'message' };
  }
  const now = new Date(nowMs);
  return {
    resetsAt: Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
    source: 'next-utc-midnight',
  };
}

export interface DailyLimitPause {
  label: ZoomRateLabel;
  resetsAt: Date;
  zoomMessage: string;
  trackingId: string | null;
}

/** The labels paused by a daily limit, each until its reset (wall clock: the reset is a date). */
export class DailyLimitPauses {
  private readonly pauses = new Map<ZoomRateLabel, DailyLimitPause>();

  pause(pause: DailyLimitPause): void {
    const known = this.pauses.get(pause.label);
    if (!known || known.resetsAt < pause.resetsAt) this.pauses.set(pause.label, pause);
  }

  /** The pause in force for `label` at `nowMs`, if any. */
  active(label: ZoomRateLabel, nowMs: number): DailyLimitPause | undefined {
    const pause = this.pauses.get(label);
    if (pause && pause.resetsAt.getTime() > nowMs) return pause;
    if (pause) this.pauses.delete(label);
    return undefined;
  }

  all(nowMs: number): DailyLimitPause[] {
    return (['light', 'medium', 'heavy'] as const)
      .map((label) => this.active(label, nowMs))
      .filter((p): p is DailyLimitPause => p !== undefined);
  }
}
