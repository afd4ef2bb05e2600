import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { DeliveryStatus, RecipientFacts } from './broadcast.types';
import { Delivery, DeliveryDocument } from './schemas/delivery.schema';

/** Broadcast ids per read of a course's deliveries: bounded `$in` lists. */
const FACTS_BATCH = 200;

export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number };

export type NewDelivery = Pick<
  Delivery,
  | 'recipient_key'
  | 'name'
  | 'email'
  | 'zoom_user_id'
  | 'to_contact'
  | 'to_channel'
  | 'status'
  | 'unreachable_reason'
  | 'answer_token_hash'
> & { _id: Types.ObjectId };

/**
 * Every state change of a delivery is one atomic, conditional update: the conditions (status,
 * lease owner) are what make two sender instances, a crash and a retry safe together.
 */
@Injectable()
export class DeliveriesRepository {
  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {}

  async createMany(broadcastId: Types.ObjectId, records: NewDelivery[], now: Date): Promise<void> {
    if (records.length === 0) return;
    await this.deliveries.insertMany(
      records.map((r) => ({ ...r, broadcast_id: broadcastId, attempts: 0, available_at: now })),
      // A record that fails validation must fail the send, never silently drop a recipient.
      { ordered: false, throwOnValidationError: true },
    );
  }

  /**
   * Claims the oldest claimable record: pending and due, or `sending` whose lease expired (its
   * sender crashed or stalled). The lease is the claim; it is renewed while the call runs.
   */
  async claimNext(
    owner: string,
    leaseMs: number,
    now = new Date(),
  ): Promise<DeliveryDocument | null> {
    return this.deliveries
      .findOneAndUpdate(
        { status: { $in: ['pending', 'sending'] }, available_at: { $lte: now } },
        {
          $set: {
            status: 'sending',
            lease_owner: owner,
            available_at: new Date(now.getTime() + leaseMs),
          },
          $inc: { attempts: 1 },
        },
        { sort: { available_at: 1 }, returnDocument: 'after' },
      )
      .exec();
  }

  /** Keeps a long-running call's claim alive; false when another sender has taken it over. */
  async renewLease(id: Types.ObjectId, owner: string, leaseMs: number): Promise<boolean> {
    const result = await this.deliveries
      .updateOne(
        { _id: id, status: 'sending', lease_owner: owner },
        { $set: { available_at: new Date(Date.now() + leaseMs) } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * Just before a Team Chat post: from here until its outcome is recorded, the delivery is in
   * doubt (posted_at). False when this sender no longer holds the lease: then it must not post.
   */
  async markPosting(id: Types.ObjectId, owner: string, at: Date): Promise<boolean> {
    const result = await this.deliveries
      .updateOne({ _id: id, status: 'sending', lease_owner: owner }, { $set: { posted_at: at } })
      .exec();
    return result.matchedCount === 1;
  }

  /**
   * Zoom accepted the message. Recorded whoever holds the lease now: the message is out, and
   * marking it sent stops any other sender from sending it again. The first send opens the
   * recipient's answer window; a reminder never moves it.
   */
  async markSent(
    id: Types.ObjectId,
    owner: string,
    messageId: string | null,
    timeLimitSeconds: number | null,
  ): Promise<void> {
    const sentAt = new Date();
    const done = {
      status: 'sent',
      zoom_message_id: messageId,
      sent_by: owner,
      last_error: null,
      lease_owner: null,
      posted_at: null,
    };
    const first = await this.deliveries
      .updateOne(
        { _id: id, status: { $ne: 'sent' }, sent_at: null },
        {
          $set: {
            ...done,
            sent_at: sentAt,
            closes_at:
              timeLimitSeconds === null
                ? null
                : new Date(sentAt.getTime() + timeLimitSeconds * 1000),
          },
        },
      )
      .exec();
    if (first.matchedCount === 0) {
      await this.deliveries.updateOne({ _id: id, status: { $ne: 'sent' } }, { $set: done }).exec();
    }
  }

  /** Whether some recipient of the broadcast may still answer (window end after `since`). */
  async anyWindowOpenAfter(broadcastId: Types.ObjectId, since: Date): Promise<boolean> {
    const found = await this.deliveries
      .exists({ broadcast_id: broadcastId, closes_at: { $gt: since } })
      .exec();
    return found !== null;
  }

  /**
   * POST /api/broadcasts/{id}/close: messages not posted yet are not sent at all (nobody could
   * answer them): pending ones, and claimed ones still waiting for their turn (a sender holding
   * one finds it taken when it marks the post, markPosting, and does not post). A post already
   * marked (posted_at set: out, or in doubt) finishes as usual.
   */
  async cancelUnsent(broadcastId: Types.ObjectId, reason: string): Promise<number> {
    const result = await this.deliveries
      .updateMany(
        { broadcast_id: broadcastId, status: { $in: ['pending', 'sending'] }, posted_at: null },
        { $set: { status: 'failed', last_error: reason, lease_owner: null } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** The latest window end among the broadcast's recipients (the broadcast_id index's prefix). */
  async lastWindowEnd(broadcastId: Types.ObjectId): Promise<Date | null> {
    const last = await this.deliveries
      .findOne({ broadcast_id: broadcastId, closes_at: { $ne: null } }, { closes_at: 1 })
      .sort({ closes_at: -1 })
      .lean()
      .exec();
    return last?.closes_at ?? null;
  }

  /**
   * POST /api/broadcasts/{id}/remind: sent recipients who have not answered and whose window is
   * still open go back to the sender once more, flagged as a reminder.
   */
  async queueReminders(
    broadcastId: Types.ObjectId,
    recipientKeys: string[],
    now = new Date(),
  ): Promise<number> {
    if (recipientKeys.length === 0) return 0;
    const result = await this.deliveries
      .updateMany(
        {
          broadcast_id: broadcastId,
          status: 'sent',
          recipient_key: { $in: recipientKeys },
          closes_at: { $gt: now },
        },
        {
          $set: { status: 'pending', available_at: now, attempts: 0, posted_at: null },
          $inc: { reminders: 1 },
        },
      )
      .exec();
    return result.modifiedCount;
  }

  /**
   * An anonymous question's answer is counted for this delivery: true for the first caller only,
   * so a second answer on the same link is refused (the conditional update decides, on any
   * instance). `timestamps: false`: updated_at must not become the answer's time
   * (Delivery.answered).
   */
  async markAnswered(id: Types.ObjectId): Promise<boolean> {
    const result = await this.deliveries
      .updateOne(
        { _id: id, answered: { $ne: true } },
        { $set: { answered: true } },
        {
          timestamps: false,
        },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Takes back markAnswered when the answer itself could not be stored. */
  async unmarkAnswered(id: Types.ObjectId): Promise<void> {
    await this.deliveries
      .updateOne({ _id: id, answered: true }, { $set: { answered: false } }, { timestamps: false })
      .exec();
  }

  /** Whether markAnswered has counted an answer for this delivery. */
  async isAnswered(id: Types.ObjectId): Promise<boolean> {
    const found = await this.deliveries.exists({ _id: id, answered: true }).exec();
    return found !== null;
  }

  /** Not sent, and no post of it is in doubt (each one was refused or is known not to be there). */
  async markFailed(id: Types.ObjectId, owner: string, error: string): Promise<void> {
    await this.deliveries
      .updateOne(
        { _id: id, status: 'sending', lease_owner: owner },
        { $set: { status: 'failed', last_error: error, lease_owner: null, posted_at: null } },
      )
      .exec();
  }

  /**
   * A post went out and whether it landed could not be found out: not sent again by the sender
   * (posted_at is kept, so an explicit retry knows it is in doubt).
   */
  async markUnconfirmed(id: Types.ObjectId, owner: string, error: string): Promise<void> {
    await this.deliveries
      .updateOne(
        { _id: id, status: 'sending', lease_owner: owner },
        { $set: { status: 'unconfirmed', last_error: error, lease_owner: null } },
      )
      .exec();
  }

  /**
   * A reminder could not be sent: the first message did go out, so the record stays `sent` (its
   * answer window and counts unchanged) and only notes the error.
   */
  async markReminderFailed(id: Types.ObjectId, owner: string, error: string): Promise<void> {
    await this.deliveries
      .updateOne(
        { _id: id, status: 'sending', lease_owner: owner },
        {
          $set: {
            status: 'sent',
            last_error: `Reminder not sent: ${error}`,
            lease_owner: null,
            posted_at: null,
          },
        },
      )
      .exec();
  }

  /**
   * A retryable failure: back to pending, claimable again after the backoff. `inDoubt`: the post
   * may have landed (no answer came), so posted_at stays and the next attempt confirms first;
   * otherwise Zoom refused it and posted_at is cleared.
   */
  async scheduleRetry(
    id: Types.ObjectId,
    owner: string,
    error: string,
    at: Date,
    inDoubt: boolean,
  ): Promise<void> {
    await this.deliveries
      .updateOne(
        { _id: id, status: 'sending', lease_owner: owner },
        {
          $set: {
            status: 'pending',
            last_error: error,
            lease_owner: null,
            available_at: at,
            ...(inDoubt ? {} : { posted_at: null }),
          },
        },
      )
      .exec();
  }

  /**
   * POST /api/broadcasts/{id}/retry: failed records, and unconfirmed ones only when asked (they
   * are sent again without looking: the instructor accepts a possible second copy), as fresh claims.
   */
  async requeueFailed(broadcastId: Types.ObjectId, includeUnconfirmed: boolean): Promise<number> {
    const result = await this.deliveries
      .updateMany(
        {
          broadcast_id: broadcastId,
          status: { $in: includeUnconfirmed ? ['failed', 'unconfirmed'] : ['failed'] },
        },
        { $set: { status: 'pending', available_at: new Date(), attempts: 0, posted_at: null } },
      )
      .exec();
    return result.modifiedCount;
  }

  async countByStatus(broadcastId: Types.ObjectId): Promise<DeliveryCounts> {
    const rows = await this.deliveries
      .aggregate<{ _id: DeliveryStatus; n: number }>([
        { $match: { broadcast_id: broadcastId } },
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ])
      .exec();
    const counts: DeliveryCounts = {
      total: 0,
      pending: 0,
      sending: 0,
      sent: 0,
      failed: 0,
      unreachable: 0,
      unconfirmed: 0,
    };
    for (const row of rows) {
      counts[row._id] = row.n;
      counts.total += row.n;
    }
    return counts;
  }

  async listForBroadcast(broadcastId: Types.ObjectId): Promise<DeliveryDocument[]> {
    return this.deliveries.find({ broadcast_id: broadcastId }).sort({ name: 1, _id: 1 }).exec();
  }

  /**
   * Who each of these broadcasts went to and what reached them (a course's gradebook): the
   * unique `{broadcast_id, recipient_key}` index's prefix, in batches of ids.
   */
  async factsForBroadcasts(broadcastIds: Types.ObjectId[]): Promise<RecipientFacts[]> {
    const facts: RecipientFacts[] = [];
    for (let i = 0; i < broadcastIds.length; i += FACTS_BATCH) {
      const rows = await this.deliveries
        .find(
          { broadcast_id: { $in: broadcastIds.slice(i, i + FACTS_BATCH) } },
          {
            _id: 0,
            broadcast_id: 1,
            recipient_key: 1,
            name: 1,
            email: 1,
            zoom_user_id: 1,
            status: 1,
            answered: 1,
          },
        )
        .lean<RecipientFacts[]>()
        .exec();
      for (const r of rows) facts.push({ ...r, answered: r.answered === true });
    }
    return facts;
  }

  /** Every delivery of these broadcasts (retention). */
  async deleteForBroadcasts(broadcastIds: Types.ObjectId[]): Promise<number> {
    const result = await this.deliveries.deleteMany({ broadcast_id: { $in: broadcastIds } }).exec();
    return result.deletedCount;
  }

  /** Every delivery made for one person, in any broadcast (erasure). */
  async deletePerson(email: RegExp, zoomUserIds: string[], recipientKeys: string[]) {
    const result = await this.deliveries
      .deleteMany({
        $or: [
          { email },
          { to_contact: email },
          { zoom_user_id: { $in: zoomUserIds } },
          { recipient_key: { $in: recipientKeys } },
        ],
      })
      .exec();
    return result.deletedCount;
  }

  /** Broadcasts with work left, for the sender to report completion. */
  async hasOpenWork(broadcastId: Types.ObjectId): Promise<boolean> {
    const open = await this.deliveries
      .exists({ broadcast_id: broadcastId, status: { $in: ['pending', 'sending'] } })
      .exec();
    return open !== null;
  }
}
