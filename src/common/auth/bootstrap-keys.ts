import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from './actor';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * How a bootstrap key is named in the audit log (Actor.keyPrefix): `boot_` and the first 8 hex
 * digits of its SHA-256. Never characters of the key itself: an API_KEYS key has no public part,
 * and 32 bits of a hash tell rotated keys apart while giving away no character of the key.
 */
export const bootstrapKeyLabel = (key: string): string =>
  `boot_${sha256(key).toString('hex').slice(0, 8)}`;

/**
 * The bootstrap admin keys of API_KEYS: the one place they are matched, by the auth guard (a
 * presented key) and by console sessions (the hash a session keeps of the key it was opened
 * with). Both sides are hashed to a fixed length and every key is compared, so timing reveals
 * neither a key's length nor which one matched.
 */
export class BootstrapKeys {
  private readonly keys: Array<{ digest: Buffer; label: string }>;

  constructor(keys: readonly string[]) {
    this.keys = keys.map((key) => ({
      digest: sha256(key),
      label: bootstrapKeyLabel(key),
    }));
  }

  /** The bootstrap admin a presented key is, or undefined. */
  actorFor(presented: string): Actor | undefined {
    return this.match(sha256(presented));
  }

  /** The same, for a key known only by its SHA-256 in hex. */
  actorForHash(hashHex: string): Actor | undefined {
    const digest = Buffer.from(hashHex, 'hex');
    return digest.length === 32 ? this.match(digest) : undefined;
  }

  private match(candidate: Buffer): Actor | undefined {
    let matched: string | undefined;
    for (const key of this.keys) {
      // Every key is compared, whichever matches: no early exit to time.
      if (timingSafeEqual(candidate, key.digest)) matched = key.label;
    }
    if (matched === undefined) return undefined;
    return {
      instructorId: null,
      role: 'admin',
      name: 'Bootstrap key',
      email: null,
      zoomUserId: null,
      credentialId: null,
      keyPrefix: matched,
      credentialExpiresAt: null,
    };
  }
}
