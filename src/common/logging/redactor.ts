/**
 * Removes secrets from anything about to be logged (docs/architecture.md §10: no tokens or
 * secrets in logs). Two kinds of secret are caught:
 * - the configured ones, by value, wherever they appear in a string (API keys, the Zoom client
 *   secret, webhook secret tokens, the answer token secret);
 * - credentials recognisable by shape: `Bearer …` / `Basic …` authorisation values,
 *   `access_token` / `refresh_token` fields (JSON, form or query string), answer links
 *   `/q/<token>` and run links `/r/<token>`, the email in `/api/people/<email>` (erasure), instructor API keys
 *   `zlq_<prefix>_<secret>` (the prefix is kept), and object properties whose name says they
 *   hold a credential.
 */
import { KEY_IN_TEXT } from '../../instructors/api-key-format';

export const REDACTED = '[REDACTED]';

/** Shorter configured values are not redacted by value: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;
const MAX_DEPTH = 8;

const SHAPES: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [
    /(["']?(?:access_token|refresh_token|id_token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
    `$1${REDACTED}`,
  ],
  [/(\/[qr]\/)[A-Za-z0-9_-]{16,}/g, `$1${REDACTED}`],
  // DELETE /api/people/{email}: an erasure must not leave the email in the log.
  [/(\/api\/people\/)[^\s/?#]+/g, `$1${REDACTED}`],
  [KEY_IN_TEXT, `$1${REDACTED}`],
];

const SECRET_KEY =
  /^(authorization|x-api-key|api_?keys?|access_token|refresh_token|id_token|client_secret|secret(_token)?|password|answer_token|token)$/i;

export class Redactor {
  private readonly secrets: RegExp | undefined;

  constructor(secretValues: readonly string[]) {
    const values = [...new Set(secretValues.filter((v) => v.length >= MIN_SECRET_LENGTH))]
      // Longest first, so a secret that contains another is removed whole.
      .sort((a, b) => b.length - a.length)
      .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.secrets = values.length > 0 ? new RegExp(values.join('|'), 'g') : undefined;
  }

  text(value: string): string {
    let out = this.secrets ? value.replace(this.secrets, REDACTED) : value;
    for (const [pattern, replacement] of SHAPES) out = out.replace(pattern, replacement);
    return out;
  }

  /** A redacted copy of a log argument: strings, errors, arrays and plain objects, recursively. */
  value(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value) || depth > MAX_DEPTH) return '[…]';
    seen.add(value);
    if (value instanceof Error) {
      const copy = new Error(this.text(value.message));
      copy.name = value.name;
      copy.stack = value.stack === undefined ? undefined : this.text(value.stack);
      return copy;
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && item !== null && item !== undefined && item !== ''
          ? REDACTED
          : this.value(item, depth + 1, seen);
    }
    return out;
  }
}
