import { createHash, randomBytes } from 'node:crypto';

/** Every instructor key starts with this, so a leaked one is recognisable (and scannable). */
export const KEY_PREFIX = 'zlq_';
const PREFIX_BYTES = 4; // 8 hexadecimal characters
const SECRET_BYTES = 32; // 256 bits, base64url
const KEY_FORMAT = /^zlq_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
/**
 * An instructor key anywhere in a text, its secret part in group 2: the log redactor
 * (src/common/logging/redactor.ts) keeps the prefix and removes the rest.
 */
export const KEY_IN_TEXT = /\b(zlq_[0-9a-f]{8}_)([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;

export interface NewKey {
  /** The whole key, shown once to its owner and never stored. */
  key: string;
  prefix: string;
  hash: string;
}

/** A new key `zlq_<prefix>_<secret>`: an 8-character visible prefix and 256 random bits. */
export function generateKey(): NewKey {
  const prefix = randomBytes(PREFIX_BYTES).toString('hex');
  const key = `${KEY_PREFIX}${prefix}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { key, prefix, hash: hashKey(key) };
}

/** What the database keeps of a key, and what a presented key is looked up by. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The visible prefix of a well-formed instructor key, or undefined for anything else. */
export function parseKey(key: string): { prefix: string } | undefined {
  const match = KEY_FORMAT.exec(key);
  return match ? { prefix: match[1] } : undefined;
}
