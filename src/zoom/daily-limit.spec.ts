import { dailyLimitOf, DailyLimitPauses } from './daily-limit';

const NOW = Date.UTC(2026, 0, 1, 15, 30, 0);
const MIDNIGHT = Date.UTC(2026, 0, 2);
const PER_SECOND =
  'You have reached the maximum per-second rate limit for this API. Try again later.';
const DAILY =
  'You have reached the maximum daily rate limit for this API. You may resume these requests at GMT 00:00:00.';

describe('dailyLimitOf (docs/zoom.md §4, §7)', () => {
  it('a per-second 429 is not a daily limit', () => {
    expect(
      dailyLimitOf({ rateLimitType: 'QPS', retryAfterMs: 1000, message: PER_SECOND }, NOW),
    ).toBeNull();
    expect(
      dailyLimitOf({ rateLimitType: undefined, retryAfterMs: null, message: PER_SECOND }, NOW),
    ).toBeNull();
  });

  it('X-RateLimit-Type: Daily-limit with a Retry-After date: paused until that date', () => {
    const retryAfterMs = MIDNIGHT - NOW;
    expect(dailyLimitOf({ rateLimitType: 'Daily-limit', retryAfterMs, message: 'x' }, NOW)).toEqual(
      {
        resetsAt: MIDNIGHT,
        source: 'retry-after',
      },
    );
  });

  it('a Retry-After hours away is daily even without the type header', () => {
    const got = dailyLimitOf(
      { rateLimitType: undefined, retryAfterMs: 3 * 3600_000, message: 'x' },
      NOW,
    );
    expect(got).toEqual({ resetsAt: NOW + 3 * 3600_000, source: 'retry-after' });
  });

  it('neither header, only the message: the time it names, next occurrence', () => {
    expect(
      dailyLimitOf({ rateLimitType: undefined, retryAfterMs: null, message: DAILY }, NOW),
    ).toEqual({
      resetsAt: MIDNIGHT,
      source: 'message',
    });
    const named = DAILY.replace('00:00:00', '16:00:00');
    expect(
      dailyLimitOf({ rateLimitType: undefined, retryAfterMs: null, message: named }, NOW)?.resetsAt,
    ).toBe(Date.UTC(2026, 0, 1, 16));
  });

  it('daily by type but no time anywhere: the next midnight UTC', () => {
    expect(
      dailyLimitOf({ rateLimitType: 'Daily-limit', retryAfterMs: null, message: 'Too many' }, NOW),
    ).toEqual({
      resetsAt: MIDNIGHT,
      source: 'next-utc-midnight',
    });
  });
});

describe('DailyLimitPauses', () => {
  it('holds a label until its reset, then lets it go', () => {
    const pauses = new DailyLimitPauses();
    pauses.pause({
      label: 'medium',
      resetsAt: new Date(MIDNIGHT),
      zoomMessage: DAILY,
      trackingId: null,
    });
    expect(pauses.active('medium', NOW)?.resetsAt.getTime()).toBe(MIDNIGHT);
    expect(pauses.active('heavy', NOW)).toBeUndefined();
    expect(pauses.all(NOW)).toHaveLength(1);
    expect(pauses.active('medium', MIDNIGHT)).toBeUndefined();
    expect(pauses.all(MIDNIGHT)).toEqual([]);
  });
});
