import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { questionSnapshot, type SentBroadcast } from './broadcast.types';
import { Broadcast } from './schemas/broadcast.schema';

/** Broadcasts remembered per process (oldest dropped first): the ones in use are recent. */
const CACHE_SIZE = 500;

/**
 * The one per-process cache of broadcasts, for the sender (a message per recipient) and the
 * answer path (a lookup per answer). It holds only what never changes once a broadcast is
 * created (SentBroadcast), so it never needs invalidating and every instance agrees with the
 * database. Status fields (completed_at) are always read from the database.
 */
@Injectable()
export class SentBroadcasts {
  private readonly cache = new Map<string, SentBroadcast>();

  constructor(@InjectModel(Broadcast.name) private readonly broadcasts: Model<Broadcast>) {}

  /** null when there is no such broadcast. */
  async get(id: Types.ObjectId): Promise<SentBroadcast | null> {
    const key = id.toHexString();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = await this.broadcasts.findById(id).exec();
    if (!found) return null;
    const sent: SentBroadcast = {
      _id: found._id,
      meeting_id: found.meeting_id,
      kind: found.kind,
      mode: found.mode,
      question: found.question ? questionSnapshot(found.question) : null,
      question_link: found.question_link ?? null,
      message: found.message ?? null,
      anonymous: found.anonymous === true,
      run_id: found.run_id ?? null,
      run_index: found.run_index ?? null,
      run_question_count: found.run_question_count ?? null,
    };
    if (this.cache.size >= CACHE_SIZE) {
      // A Map keeps insertion order: the first key is the oldest.
      this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(key, sent);
    return sent;
  }
}
