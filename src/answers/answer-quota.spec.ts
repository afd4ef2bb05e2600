import { AnswerQuota } from './answer-quota';

describe('AnswerQuota', () => {
  const later = new Date(10_000);

  it('accepts perKey answers per key, then refuses; keys are independent', () => {
    const quota = new AnswerQuota({ perKey: 2, maxKeys: 10 });
    expect([1, 2, 3].map(() => quota.reserve('a', later, 0))).toEqual([true, true, false]);
    expect(quota.reserve('b', later, 0)).toBe(true);
  });

  it('a released reservation (answer not stored) does not count', () => {
    const quota = new AnswerQuota({ perKey: 1, maxKeys: 10 });
    expect(quota.reserve('a', later, 0)).toBe(true);
    quota.release('a');
    expect(quota.reserve('a', later, 0)).toBe(true);
    expect(quota.reserve('a', later, 0)).toBe(false);
  });

  it('a key spent elsewhere (the shared count) is refused here from then on', () => {
    const quota = new AnswerQuota({ perKey: 3, maxKeys: 10 });
    expect(quota.reserve('a', later, 0)).toBe(true);
    quota.spend('a');
    expect(quota.reserve('a', later, 0)).toBe(false);
    expect(quota.reserve('b', later, 0)).toBe(true);
  });

  it('forgets a key once its link has closed, and stays within maxKeys', () => {
    const quota = new AnswerQuota({ perKey: 1, maxKeys: 10 });
    expect(quota.reserve('a', later, 0)).toBe(true);
    expect(quota.reserve('a', later, 10_000)).toBe(true);
    for (let i = 0; i < 100; i++) quota.reserve(`k${i}`, later, 0);
    expect(quota.size).toBeLessThanOrEqual(10);
  });

  it('keys by a digest of link and address, never the raw values', () => {
    const key = AnswerQuota.key('link-token-value', '203.0.113.9');
    expect(key).not.toContain('link-token-value');
    expect(key).not.toContain('203.0.113.9');
    expect(AnswerQuota.key('link-token-value', '203.0.113.10')).not.toBe(key);
  });
});
