import { createHmac, timingSafeEqual } from 'node:crypto';

/** `x-zm-signature`, `x-zm-request-timestamp` (docs/zoom.md §3). */
export const SIGNATURE_HEADER = 'x-zm-signature';
export const TIMESTAMP_HEADER = 'x-zm-request-timestamp';

/**
 * How far ahead of our clock a timestamp may be (clock skew). The window into the past is
 * ZOOM_WEBHOOK_TOLERANCE_SECONDS and covers Zoom's retries (docs/zoom.md §3); nothing Zoom sends
 * is legitimately from the future, so that side stays narrow.
 */
export const MAX_FUTURE_SKEW_SECONDS = 300;

export type SignatureCheck = { ok: true; secret: string } | { ok: false; reason: string };

/** `v0=` + hex(HMAC_SHA256(secret, "v0:" + timestamp + ":" + rawBody)), over the raw bytes. */
export function zoomSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`, 'utf8');
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** `hex(HMAC_SHA256(secret, plainToken))`, the answer to endpoint.url_validation (docs/zoom.md §3). */
export function encryptPlainToken(secret: string, plainToken: string): string {
  return createHmac('sha256', secret).update(plainToken, 'utf8').digest('hex');
}

/**
 * Verifies a Zoom webhook over the exact bytes received (docs/zoom.md §3: Zoom's own sample
 * re-serialises the parsed JSON; any whitespace difference would then break or, worse, hide a
 * change). Every configured secret is tried (current and "next", for rotation), each compared in
 * constant time, and all of them always, so timing does not tell which one matched.
 */
export function verifyZoomSignature(input: {
  secrets: readonly string[];
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  toleranceSeconds: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (typeof signature !== 'string' || signature === '') {
    return { ok: false, reason: `Missing ${SIGNATURE_HEADER} header` };
  }
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: `Missing or malformed ${TIMESTAMP_HEADER} header` };
  }
  // A replayed request carries its old timestamp, and the timestamp is inside the signed text.
  // Whether Zoom's retries (up to 85 minutes late) carry a fresh timestamp is not documented, so
  // the default past window covers them; a replay inside it changes nothing, because events are
  // idempotent and ordered by event_ts (docs/zoom.md §3).
  const ageSeconds = input.nowMs / 1000 - Number(timestamp);
  const futureSkew = Math.min(MAX_FUTURE_SKEW_SECONDS, input.toleranceSeconds);
  if (ageSeconds > input.toleranceSeconds || ageSeconds < -futureSkew) {
    return { ok: false, reason: `${TIMESTAMP_HEADER} is outside the accepted window` };
  }
  const presented = Buffer.from(signature, 'utf8');
  let matched: string | null = null;
  for (const secret of input.secrets) {
    const expected = Buffer.from(zoomSignature(secret, timestamp, input.rawBody), 'utf8');
    // Lengths are public (always "v0=" + 64 hex); only equal lengths reach timingSafeEqual.
    const equal = presented.length === expected.length && timingSafeEqual(presented, expected);
    if (equal && matched === null) matched = secret;
  }
  return matched !== null
    ? { ok: true, secret: matched }
    : { ok: false, reason: 'Signature does not match' };
}
