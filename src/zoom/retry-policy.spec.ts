import {
  backoffDelay,
  classifyStatus,
  isRetryable,
  isTransientNetworkError,
  parseRetryAfter,
} from './retry-policy';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-27T03:00:00Z');

  it.each([
    ['2', 2000],
    ['0', 0],
    [' 5 ', 5000],
    ['1.5', 1500],
  ])('reads delta-seconds %j as %i ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 03:00:07 GMT', now)).toBe(7000);
  });

  it('treats a date in the past as "now"', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 02:59:00 GMT', now)).toBe(0);
  });

  it('takes the first of repeated headers and accepts a number', () => {
    expect(parseRetryAfter(['3', '9'], now)).toBe(3000);
    expect(parseRetryAfter(4, now)).toBe(4000);
  });

  it.each([undefined, null, '', '-1', 'soon', '1e3', '12:00'])(
    'returns null for a missing or unreadable value %j',
    (header) => {
      expect(parseRetryAfter(header, now)).toBeNull();
    },
  );
});

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it('doubles per attempt, keeping half fixed and half random', () => {
    expect(backoffDelay(1, options, () => 0)).toBe(50);
    expect(backoffDelay(1, options, () => 1)).toBe(100);
    expect(backoffDelay(2, options, () => 0)).toBe(100);
    expect(backoffDelay(3, options, () => 1)).toBe(400);
  });

  it('never exceeds the ceiling, and never drops below half of it once reached', () => {
    for (let attempt = 5; attempt < 40; attempt++) {
      expect(backoffDelay(attempt, options, () => 1)).toBe(1000);
      expect(backoffDelay(attempt, options, () => 0)).toBe(500);
    }
  });

  it('spreads callers that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, null],
    [201, null],
    [204, null],
    [429, 'rate-limited'],
    [401, 'unauthorized'],
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
    [400, 'client'],
    [403, 'client'],
    [404, 'client'],
  ])('%i is %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind);
  });

  it('retries only what can change: rate limits, server errors and lost connections', () => {
    expect(isRetryable('rate-limited')).toBe(true);
    expect(isRetryable('server')).toBe(true);
    expect(isRetryable('network')).toBe(true);
    expect(isRetryable('client')).toBe(false);
    expect(isRetryable('unauthorized')).toBe(false);
  });

  it('knows the transient socket errors', () => {
    expect(isTransientNetworkError('ECONNRESET')).toBe(true);
    expect(isTransientNetworkError('ERR_CANCELED')).toBe(true);
    expect(isTransientNetworkError('ERR_BAD_OPTION')).toBe(false);
    expect(isTransientNetworkError(undefined)).toBe(false);
  });
});
