/**
 * When to try a Zoom call again and how long to wait first. Pure functions (time and randomness
 * come in as arguments) so every rule is unit-tested without a network or a real clock.
 */

export interface BackoffOptions {
  /** Delay before the 2nd attempt, before jitter; doubles on each further attempt. */
  baseMs: number;
  /** Ceiling of any single delay, before jitter. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 8_000 };

/**
 * Zoom's limits are per second (docs/zoom.md §4): a bare 429 (no Retry-After, which Zoom may send)
 * pauses the account's bucket for this long, the length of one metering window.
 */
export const BARE_429_PAUSE_MS = 1_000;

/**
 * The longest Retry-After one call waits out. Zoom also has daily caps (docs/zoom.md §4) whose
 * Retry-After points hours ahead; a 429 asking for longer than this is taken for one, and its
 * label is paused until the reset (daily-limit.ts).
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds ("2", also tolerating "1.5") or
 * an HTTP date (RFC 9110 §10.2.3), both of which Zoom may send (docs/zoom.md §4). A date in the past
 * means "now" (0). Null when the header is missing or unreadable: the caller then backs off.
 */
export function parseRetryAfter(
  header: string | string[] | number | undefined | null,
  nowMs: number,
): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw === null) return null;
  const text = String(raw).trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only something shaped like a date: Date.parse accepts far too much ("1", "-5") on its own.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with "equal jitter": half of the exponential delay is kept, the other half
 * is random. The fixed half guarantees real spacing from a struggling Zoom; the random half keeps
 * many callers that failed together from retrying together.
 * `attempt` is the attempt that just failed (1 for the first).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** What a failed attempt was, for deciding whether to try again. */
export type FailureKind =
  /** 429: Zoom's rate limit; wait (Retry-After or backoff) and try again. */
  | 'rate-limited'
  /** 5xx: Zoom's side; back off and try again. */
  | 'server'
  /** No answer: timeout, reset, refused. Back off and try again. */
  | 'network'
  /** 401: the token is dead (code 124, docs/zoom.md §1); refresh once and try again once. */
  | 'unauthorized'
  /** Any other 4xx: retrying will not change Zoom's mind. */
  | 'client';

export function classifyStatus(status: number): FailureKind | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429) return 'rate-limited';
  if (status === 401) return 'unauthorized';
  if (status >= 500) return 'server';
  return 'client';
}

/** Transient socket-level failures worth another attempt (Node and axios error codes). */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'ERR_CANCELED',
  'ERR_NETWORK',
]);

export function isTransientNetworkError(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

/** Whether a failure of this kind gets another attempt when attempts remain. */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'rate-limited' || kind === 'server' || kind === 'network';
}
