import { createHash } from 'node:crypto';

export interface AnswerQuotaOptions {
  /** Answers accepted per key (ANSWERS_PER_LINK_PER_ADDRESS). */
  perKey: number;
  /** Keys remembered at most; expired ones are dropped first, then the oldest. */
  maxKeys: number;
}

interface Slot {
  used: number;
  /** When the link stops taking answers: the count is of no use after that. */
  expiresAt: number;
}

/**
 * Answers accepted per answer link per client address: what bounds ballot stuffing on a channel's
 * shared link, where anyone can type any name and email. It counts *accepted* answers, not
 * requests: a slot is reserved before the insert and given back when the answer is not stored
 * (already answered, an error), so typos and retries cost nothing.
 *
 * In memory, per instance: on a link that takes many answers AnswerQuotaService also keeps the
 * count across instances in MongoDB, and this one refuses for free once it knows the quota is
 * spent. Keys are digests: the map holds no live link tokens or addresses.
 */
export class AnswerQuota {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly options: AnswerQuotaOptions) {}

  static key(linkId: string, clientAddress: string): string {
    return createHash('sha256').update(`${linkId}\n${clientAddress}`).digest('base64url');
  }

  /** Takes one answer from the key's quota; false when it is spent. */
  reserve(key: string, expiresAt: Date, now = Date.now()): boolean {
    let slot = this.slots.get(key);
    if (slot && slot.expiresAt <= now) {
      this.slots.delete(key);
      slot = undefined;
    }
    if (!slot) {
      if (this.slots.size >= this.options.maxKeys) this.evict(now);
      slot = { used: 0, expiresAt: expiresAt.getTime() };
      this.slots.set(key, slot);
    }
    if (slot.used >= this.options.perKey) return false;
    slot.used++;
    return true;
  }

  /**
   * Marks the key's quota spent (another instance's answers spent it, AnswerQuotaService): later
   * tries here are refused without asking the database.
   */
  spend(key: string): void {
    const slot = this.slots.get(key);
    if (slot) slot.used = Math.max(slot.used, this.options.perKey);
  }

  /** Gives back a reservation whose answer was not stored. */
  release(key: string): void {
    const slot = this.slots.get(key);
    if (slot && slot.used > 0) slot.used--;
  }

  get size(): number {
    return this.slots.size;
  }

  private evict(now: number): void {
    for (const [key, slot] of this.slots) if (slot.expiresAt <= now) this.slots.delete(key);
    const excess = this.slots.size - Math.floor(this.options.maxKeys * 0.9);
    let dropped = 0;
    for (const key of this.slots.keys()) {
      if (dropped++ >= excess) break;
      this.slots.delete(key);
    }
  }
}
