import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { emailMatcher, type PersonIdentity } from '../common/personal-data';
import { ANSWER_PATH_BATCH_INTERVAL_MS, KeyedBatcher } from '../database/keyed-batcher';
import { hashAnswerToken } from './answer-link';
import { isAnswerTokenShaped } from './broadcast.types';
import { Delivery } from './schemas/delivery.schema';

/** What the answer path reads of a delivery (a plain object, not the schema's document). */
export type AnswerDelivery = Pick<
  Delivery,
  'broadcast_id' | 'recipient_key' | 'name' | 'email' | 'sent_at' | 'closes_at'
> & { _id: Types.ObjectId };

type Row = AnswerDelivery & { answer_token_hash: string | null };

const FIELDS = {
  broadcast_id: 1,
  recipient_key: 1,
  name: 1,
  email: 1,
  sent_at: 1,
  closes_at: 1,
  answer_token_hash: 1,
} as const;

/** Recipients remembered per process: 1,000-person meetings, a few dozen questions each. */
const MAX_ENTRIES = 200_000;
const MAX_WARMED_BROADCASTS = 1_000;
/** Hashes per `$in` query. */
const MAX_BATCH = 500;

/**
 * Finds the delivery an answer link belongs to, on the hot path of an answer burst, where reading
 * it once per request would double the database work per answer (a read, then the insert):
 * - lookups are grouped (KeyedBatcher, src/database/keyed-batcher.ts): those arriving in the same
 *   event-loop turn, or while a lookup is in flight, go to the database as one `$in` query;
 * - the first lookup for a broadcast also loads all its sent recipients in the background, so
 *   later ones are answered from memory.
 *
 * Only deliveries whose message has gone out are kept: from then on nothing the app does changes
 * the fields read here (markSent sets sent_at and closes_at once; reminders leave them alone). A
 * record not yet sent, or not yet loaded, is read from the database, so the cache can only save
 * work, never answer differently. Per instance; nothing to keep in step across instances.
 *
 * Read-only, lean and projected: the answer path's narrow view of the deliveries collection,
 * exported by the broadcasts module, which owns the collection and every write to it.
 */
@Injectable()
export class DeliveryLookup {
  private readonly logger = new Logger(DeliveryLookup.name);
  private readonly byHash = new Map<string, AnswerDelivery>();
  private readonly warmed = new Set<string>();
  private readonly lookups: KeyedBatcher<string, AnswerDelivery>;

  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {
    this.lookups = new KeyedBatcher(
      (hashes) => this.load(hashes),
      MAX_BATCH,
      ANSWER_PATH_BATCH_INTERVAL_MS,
    );
  }

  /** The delivery an answer link's token belongs to; null for an unknown or malformed token. */
  byToken(token: string): Promise<AnswerDelivery | null> {
    // Anything that cannot be a token this app issued is refused without a query.
    if (!isAnswerTokenShaped(token)) return Promise.resolve(null);
    const hash = hashAnswerToken(token);
    const cached = this.byHash.get(hash);
    if (cached) return Promise.resolve(cached);
    return this.lookups.get(hash);
  }

  /**
   * Drops an erased person's recipients from this instance's memory, so their links stop working
   * here at once (other instances keep theirs until restarted: docs/architecture.md §14).
   */
  forgetPerson(person: PersonIdentity): void {
    const email = emailMatcher(person.email);
    const keys = new Set(person.personKeys);
    for (const [hash, delivery] of this.byHash) {
      if (
        keys.has(delivery.recipient_key) ||
        (delivery.email !== null && email.test(delivery.email))
      )
        this.byHash.delete(hash);
    }
  }

  private async load(hashes: string[]): Promise<Map<string, AnswerDelivery>> {
    const rows = await this.deliveries
      .find({ answer_token_hash: { $in: hashes } }, FIELDS)
      .lean<Row[]>()
      .exec();
    const found = new Map<string, AnswerDelivery>();
    for (const row of rows) {
      if (row.answer_token_hash === null) continue;
      const delivery = toDelivery(row);
      found.set(row.answer_token_hash, delivery);
      this.remember(row.answer_token_hash, delivery);
      this.warm(delivery.broadcast_id);
    }
    return found;
  }

  private remember(hash: string, delivery: AnswerDelivery): void {
    if (delivery.sent_at === null) return;
    if (this.byHash.size >= MAX_ENTRIES) {
      // Oldest first (a Map keeps insertion order): old broadcasts are closed anyway.
      const oldest = this.byHash.keys();
      for (let i = 0; i < MAX_ENTRIES / 10; i++) this.byHash.delete(oldest.next().value as string);
    }
    this.byHash.set(hash, delivery);
  }

  /** Loads a broadcast's sent recipients once per process, off the request's path. */
  private warm(broadcastId: Types.ObjectId): void {
    const key = broadcastId.toHexString();
    if (this.warmed.has(key)) return;
    if (this.warmed.size >= MAX_WARMED_BROADCASTS) this.warmed.clear();
    this.warmed.add(key);
    this.deliveries
      .find({ broadcast_id: broadcastId, sent_at: { $ne: null } }, FIELDS)
      .lean<Row[]>()
      .exec()
      .then((rows) => {
        for (const row of rows) {
          if (row.answer_token_hash !== null) this.remember(row.answer_token_hash, toDelivery(row));
        }
      })
      .catch((error: Error) => {
        // Only an optimisation: lookups keep going to the database.
        this.warmed.delete(key);
        this.logger.warn(`Could not preload recipients of broadcast ${key}: ${error.message}`);
      });
  }
}

function toDelivery(row: Row): AnswerDelivery {
  return {
    _id: row._id,
    broadcast_id: row.broadcast_id,
    recipient_key: row.recipient_key,
    name: row.name,
    email: row.email ?? null,
    sent_at: row.sent_at ?? null,
    closes_at: row.closes_at ?? null,
  };
}
