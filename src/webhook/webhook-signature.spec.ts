import { createHmac } from 'node:crypto';
import { encryptPlainToken, verifyZoomSignature, zoomSignature } from './webhook-signature';

// Vectors computed outside this code base (Python's hmac module) for docs/zoom.md §3's formula.
const VECTOR_BODY = '{"event":"meeting.started","event_ts":1764212345000}';
const VECTOR_SIG = 'v0=18821e9572b8732fa7a5046523f4918d17dfc5c363e50ac671c4086c58bad063';
const UNICODE_BODY = '{"name":"Zoë 👋"}';
const UNICODE_SIG = 'v0=19a300762a3d381f7cf7a90693d5d752c01525802f81ed6faa1fa42b9e29aefe';
const NOW_MS = 1764212345 * 1000;

const check = (overrides: Partial<Parameters<typeof verifyZoomSignature>[0]> = {}) =>
  verifyZoomSignature({
    secrets: ['test-webhook-secret'],
    signature: VECTOR_SIG,
    timestamp: '1764212345',
    rawBody: Buffer.from(VECTOR_BODY),
    nowMs: NOW_MS,
    toleranceSeconds: 300,
    ...overrides,
  });

describe('Zoom webhook signature', () => {
  it('matches independently computed vectors (ASCII and UTF-8 bodies)', () => {
    expect(zoomSignature('test-webhook-secret', '1764212345', Buffer.from(VECTOR_BODY))).toBe(
      VECTOR_SIG,
    );
    expect(zoomSignature('sécret', '1764212345', Buffer.from(UNICODE_BODY, 'utf8'))).toBe(
      UNICODE_SIG,
    );
    const viaNode = createHmac('sha256', 'k').update('v0:1:body').digest('hex');
    expect(zoomSignature('k', '1', Buffer.from('body'))).toBe(`v0=${viaNode}`);
  });

  it('answers url_validation with hex(HMAC_SHA256(secret, plainToken))', () => {
    expect(encryptPlainToken('test-webhook-secret', 'qgg8vlvZRS6UYooatFL8Aw')).toBe(
      '0ded0bb0878ac48b6a98f75c065a2bfeea9b3bf7c4d77f3dcb1ba9f41304f9a4',
    );
  });

  it('accepts the vector and reports which secret matched', () => {
    expect(check()).toEqual({ ok: true, secret: 'test-webhook-secret' });
    expect(check({ secrets: ['old', 'test-webhook-secret'] })).toEqual({
      ok: true,
      secret: 'test-webhook-secret',
    });
  });

  it('rejects every single-byte change of the body', () => {
    const body = Buffer.from(VECTOR_BODY);
    for (let i = 0; i < body.length; i++) {
      const changed = Buffer.from(body);
      changed[i] ^= 0x01;
      expect(check({ rawBody: changed }).ok).toBe(false);
    }
    expect(check({ rawBody: Buffer.from(`${VECTOR_BODY}\n`) }).ok).toBe(false);
  });

  it('rejects a missing or malformed header, a wrong secret, and timestamps outside the window', () => {
    expect(check({ signature: undefined })).toMatchObject({ ok: false });
    expect(check({ signature: VECTOR_SIG.toUpperCase() })).toMatchObject({ ok: false });
    expect(check({ timestamp: undefined })).toMatchObject({ ok: false });
    expect(check({ timestamp: '1764212345.0' })).toMatchObject({ ok: false });
    expect(check({ secrets: ['other'] })).toMatchObject({ ok: false });
    expect(check({ secrets: [] })).toMatchObject({ ok: false });
    expect(check({ nowMs: NOW_MS + 300_000 }).ok).toBe(true);
    expect(check({ nowMs: NOW_MS + 301_000 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('window'),
    });
    expect(check({ nowMs: NOW_MS - 301_000 })).toMatchObject({ ok: false });
  });

  it('covers Zoom retries with the default window, but only into the past', () => {
    const retryWindow = 5400; // the default ZOOM_WEBHOOK_TOLERANCE_SECONDS (docs/zoom.md §3)
    // Zoom's last retry comes 85 minutes after the first attempt.
    expect(check({ toleranceSeconds: retryWindow, nowMs: NOW_MS + 85 * 60_000 }).ok).toBe(true);
    expect(check({ toleranceSeconds: retryWindow, nowMs: NOW_MS + 5401_000 }).ok).toBe(false);
    // A timestamp from the future is clock skew at most: 300 s, whatever the window.
    expect(check({ toleranceSeconds: retryWindow, nowMs: NOW_MS - 300_000 }).ok).toBe(true);
    expect(check({ toleranceSeconds: retryWindow, nowMs: NOW_MS - 301_000 }).ok).toBe(false);
    expect(check({ toleranceSeconds: 60, nowMs: NOW_MS - 61_000 }).ok).toBe(false);
  });
});
