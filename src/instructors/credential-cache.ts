import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { CREDENTIAL_TRUST_MS } from '../common/auth/credential-trust';

/** Enough for every active key of a large deployment; beyond it the oldest entry goes first. */
const MAX_ENTRIES = 10_000;

export interface CachedCredential {
  actor: Actor;
  keyId: string;
  expiresAt: Date | null;
  /** The last_used_at this instance knows of (stored, or written by it). */
  lastUsedAt: Date | null;
}

interface Entry {
  credential: CachedCredential;
  /** performance.now() after which the entry is read again from the database. */
  freshUntil: number;
}

/**
 * The per-instance cache of resolved instructor keys, keyed by key hash, so a request does not
 * read two documents. Entries live CREDENTIAL_TRUST_MS; revoking a key or changing an
 * instructor on this instance drops theirs at once. Only accepted keys are cached: a refused key
 * is read again every time, so a key that becomes valid is not refused from the cache.
 */
@Injectable()
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Bumped by every forget: a read that started before a revocation on this instance must not
   * put the key back into the cache when it finishes (see `set`).
   */
  private generation = 0;

  /** Pass to `set` the value read before the database lookup began. */
  currentGeneration(): number {
    return this.generation;
  }

  get(keyHash: string): CachedCredential | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (performance.now() > entry.freshUntil) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.credential;
  }

  set(keyHash: string, credential: CachedCredential, readAtGeneration: number): void {
    if (readAtGeneration !== this.generation) return;
    this.entries.delete(keyHash);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(keyHash, {
      credential,
      freshUntil: performance.now() + CREDENTIAL_TRUST_MS,
    });
  }

  forgetKey(keyId: string): void {
    this.generation++;
    for (const [hash, entry] of this.entries) {
      if (entry.credential.keyId === keyId) this.entries.delete(hash);
    }
  }

  forgetInstructor(instructorId: string): void {
    this.generation++;
    for (const [hash, entry] of this.entries) {
      if (entry.credential.actor.instructorId === instructorId) this.entries.delete(hash);
    }
  }
}
