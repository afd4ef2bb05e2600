import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey, retryLostInsertRace } from '../database/duplicate-key';
import { OpenBroadcast } from './schemas/open-broadcast.schema';

const MAX_ROUNDS = 5;

/**
 * At most one open broadcast per question and meeting, claimed atomically before the broadcast is
 * written: of two concurrent sends, one claims and the other learns which broadcast holds it.
 */
@Injectable()
export class OpenBroadcastsRepository {
  constructor(@InjectModel(OpenBroadcast.name) private readonly claims: Model<OpenBroadcast>) {}

  /**
   * Claims the pair for `broadcastId`; returns null when it did, else the id of the open
   * broadcast that holds it. `isOpen` decides whether a holder found here still counts.
   */
  async claim(
    meetingId: string,
    questionId: Types.ObjectId,
    broadcastId: Types.ObjectId,
    isOpen: (holder: Types.ObjectId, claimedAt: Date) => Promise<boolean>,
  ): Promise<Types.ObjectId | null> {
    const _id = `${meetingId}:${questionId.toHexString()}`;
    let holder: Types.ObjectId | null = null;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        await this.claims.create({ _id, broadcast_id: broadcastId, claimed_at: new Date() });
        return null;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const existing = await this.claims.findById(_id).lean().exec();
      if (!existing) continue;
      holder = existing.broadcast_id;
      if (await isOpen(holder, existing.claimed_at)) return holder;
      const taken = await this.claims
        .updateOne(
          { _id, broadcast_id: holder },
          { $set: { broadcast_id: broadcastId, claimed_at: new Date() } },
        )
        .exec();
      if (taken.modifiedCount === 1) return null;
    }
    // Lost every race: someone else keeps claiming it, so it is open.
    return holder ?? broadcastId;
  }

  /** An explicit duplicate (`allow_duplicate`) becomes the open broadcast later sends are told of. */
  async take(meetingId: string, questionId: Types.ObjectId, broadcastId: Types.ObjectId) {
    await retryLostInsertRace(() =>
      this.claims
        .updateOne(
          { _id: `${meetingId}:${questionId.toHexString()}` },
          { $set: { broadcast_id: broadcastId, claimed_at: new Date() } },
          { upsert: true },
        )
        .exec(),
    );
  }

  /** Claims held by these broadcasts (retention deletes the broadcasts). */
  async deleteForBroadcasts(broadcastIds: Types.ObjectId[]): Promise<void> {
    await this.claims.deleteMany({ broadcast_id: { $in: broadcastIds } }).exec();
  }

  /** Gives up a claim whose broadcast was never written. */
  async release(meetingId: string, questionId: Types.ObjectId, broadcastId: Types.ObjectId) {
    await this.claims
      .deleteOne({ _id: `${meetingId}:${questionId.toHexString()}`, broadcast_id: broadcastId })
      .exec();
  }
}
