import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AnyBulkWriteOperation, Model, Types } from 'mongoose';
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

/** A delivery as a claim hands it to the sender: the record with the claim applied. */
export type ClaimedDelivery = Delivery & { _id: Types.ObjectId };

/** A delivery's outcome as the writes that record it (outcomeWrites), applied in their order. */
export type OutcomeWrites = AnyBulkWriteOperation<Delivery>[];

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
   * A run's late joiners (issue 16): inserts the records whose recipient has none in the
   * broadcast yet. A record another instance inserted first (the unique `{broadcast_id,
   * recipient_key}` index) is skipped, not an error. Answers how many this call inserted.
   */
  async addMissing(
    broadcastId: Types.ObjectId,
    records: NewDelivery[],
    now: Date,
  ): Promise<number> {
    if (records.length === 0) return 0;
    try {
      const inserted = await this.deliveries.insertMany(
        records.map((r) => ({ ...r, broadcast_id: broadcastId, attempts: 0, available_at: now })),
        { ordered: false, throwOnValidationError: true },
      );
      return inserted.length;
    } catch (error) {
      // Unordered: the others landed. Fine when every recipient has a record now (another
      // instance's insert won for the rest); the count is then what this call inserted.
      const keys = await this.recipientKeys(broadcastId);
      if (!records.every((r) => keys.has(r.recipient_key))) throw error;
      return this.deliveries.countDocuments({ _id: { $in: records.map((r) => r._id) } }).exec();
    }
  }

  /** Recipient keys that already have a record in the broadcast (the unique index's prefix). */
  async recipientKeys(broadcastId: Types.ObjectId): Promise<Set<string>> {
    const rows = await this.deliveries
      .find({ broadcast_id: broadcastId }, { _id: 0, recipient_key: 1 })
      .lean<Array<{ recipient_key: string }>>()
      .exec();
    return new Set(rows.map((r) => r.recipient_key));
  }

  /**
   * Claims up to `max` of the oldest claimable records: pending and due, or `sending` whose lease
   * expired (its sender crashed or stalled). The lease is the claim; the sender renews it while
   * it holds the record (renewLeases). One read and one conditional update for the whole batch
   * (docs/architecture.md §5): the update takes a record only if it is still exactly as read
   * (same `updated_at`, still claimable), so a record another sender claimed, or anyone changed,
   * in between is left alone. When the update took fewer than read (another instance raced for
   * them), a third command reads back which ones are this claim's: the lease end `leaseUntil`,
   * unique to this claim within the process (the caller makes it so), and the owner name them.
   */
  async claimBatch(
    owner: string,
    leaseUntil: Date,
    max: number,
    now = new Date(),
  ): Promise<ClaimedDelivery[]> {
    const claimable = { status: { $in: ['pending', 'sending'] }, available_at: { $lte: now } };
    const found = await this.deliveries
      .find(claimable)
      .sort({ available_at: 1 })
      .limit(max)
      .lean<ClaimedDelivery[]>()
      .exec();
    if (found.length === 0) return [];
    const claim = { status: 'sending' as const, lease_owner: owner, available_at: leaseUntil };
    const result = await this.deliveries
      .updateMany(
        {
          ...claimable,
          $or: found.map((d) => ({ _id: d._id, updated_at: d.updated_at })),
        },
        { $set: claim, $inc: { attempts: 1 } },
      )
      .exec();
    if (result.modifiedCount === found.length) {
      return found.map((d) => ({ ...d, ...claim, attempts: d.attempts + 1 }));
    }
    if (result.modifiedCount === 0) return [];
    return this.deliveries
      .find({ _id: { $in: found.map((d) => d._id) }, ...claim })
      .lean<ClaimedDelivery[]>()
      .exec();
  }

  /**
   * Keeps the claims this sender holds alive (one command for all of them); a record another
   * sender has taken over, or that was cancelled, is left alone.
   */
  async renewLeases(ids: Types.ObjectId[], owner: string, leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.deliveries
      .updateMany(
        { _id: { $in: ids }, status: 'sending', lease_owner: owner },
        { $set: { available_at: new Date(Date.now() + leaseMs) } },
      )
      .exec();
  }

  /**
   * Gives back claims this sender took but will not work on (it is shutting down): claimable
   * again at once, the claim's attempt not counted. Only records not yet marked for posting.
   */
  async releaseClaims(ids: Types.ObjectId[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.deliveries
      .updateMany(
        { _id: { $in: ids }, status: 'sending', lease_owner: owner, posted_at: null },
        {
          $set: { status: 'pending', lease_owner: null, available_at: new Date() },
          $inc: { attempts: -1 },
        },
      )
      .exec();
  }

  /**
   * Just before Team Chat posts: from here until its outcome is recorded, each delivery is in
   * doubt (posted_at). Answers the ids still held by this sender (marked); for the others it no
   * longer holds the lease (taken over, or cancelled by a close) and must not post. One update
   * for all of them; a read back only when it did not mark them all.
   */
  async markPosting(ids: Types.ObjectId[], owner: string, at: Date): Promise<Types.ObjectId[]> {
    const held = { status: 'sending', lease_owner: owner };
    const result = await this.deliveries
      .updateMany({ _id: { $in: ids }, ...held }, { $set: { posted_at: at } })
      .exec();
    if (result.matchedCount === ids.length) return ids;
    const marked = await this.deliveries
      .find({ _id: { $in: ids }, ...held, posted_at: at }, { _id: 1 })
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    return marked.map((d) => d._id);
  }

  /** Writes the outcomes of several claims in one ordered bulk write (outcomeWrites). */
  async recordOutcomes(writes: OutcomeWrites): Promise<void> {
    if (writes.length === 0) return;
    await this.deliveries.bulkWrite(writes, { ordered: true });
  }

  /**
   * Zoom accepted the message. Recorded whoever holds the lease now: the message is out, and
   * marking it sent stops any other sender from sending it again. The first send opens the
   * recipient's answer window; a reminder never moves it: the first write applies only to a
   * record never sent, the second (in order, recordOutcomes) to one sent before.
   */
  sentWrites(
    id: Types.ObjectId,
    owner: string,
    messageId: string | null,
    timeLimitSeconds: number | null,
  ): OutcomeWrites {
    const sentAt = new Date();
    const done = {
      status: 'sent' as const,
      zoom_message_id: messageId,
      sent_by: owner,
      last_error: null,
      lease_owner: null,
      posted_at: null,
    };
    return [
      {
        updateOne: {
          filter: { _id: id, status: { $ne: 'sent' }, sent_at: null },
          update: {
            $set: {
              ...done,
              sent_at: sentAt,
              closes_at:
                timeLimitSeconds === null
                  ? null
                  : new Date(sentAt.getTime() + timeLimitSeconds * 1000),
            },
          },
        },
      },
      { updateOne: { filter: { _id: id, status: { $ne: 'sent' } }, update: { $set: done } } },
    ];
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
  failedWrites(id: Types.ObjectId, owner: string, error: string): OutcomeWrites {
    return held(id, owner, {
      status: 'failed',
      last_error: error,
      lease_owner: null,
      posted_at: null,
    });
  }

  /**
   * A post went out and whether it landed could not be found out: not sent again by the sender
   * (posted_at is kept, so an explicit retry knows it is in doubt).
   */
  unconfirmedWrites(id: Types.ObjectId, owner: string, error: string): OutcomeWrites {
    return held(id, owner, { status: 'unconfirmed', last_error: error, lease_owner: null });
  }

  /**
   * A reminder could not be sent: the first message did go out, so the record stays `sent` (its
   * answer window and counts unchanged) and only notes the error.
   */
  reminderFailedWrites(id: Types.ObjectId, owner: string, error: string): OutcomeWrites {
    return held(id, owner, {
      status: 'sent',
      last_error: `Reminder not sent: ${error}`,
      lease_owner: null,
      posted_at: null,
    });
  }

  /**
   * A retryable failure: back to pending, claimable again after the backoff. `inDoubt`: the post
   * may have landed (no answer came), so posted_at stays and the next attempt confirms first;
   * otherwise Zoom refused it and posted_at is cleared.
   */
  retryWrites(
    id: Types.ObjectId,
    owner: string,
    error: string,
    at: Date,
    inDoubt: boolean,
  ): OutcomeWrites {
    return held(id, owner, {
      status: 'pending',
      last_error: error,
      lease_owner: null,
      available_at: at,
      ...(inDoubt ? {} : { posted_at: null }),
    });
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
  /** Whether any delivery of the broadcast is written yet (its prefix of the unique index). */
  async hasAny(broadcastId: Types.ObjectId): Promise<boolean> {
    return (await this.deliveries.exists({ broadcast_id: broadcastId }).exec()) !== null;
  }

  async hasOpenWork(broadcastId: Types.ObjectId): Promise<boolean> {
    const open = await this.deliveries
      .exists({ broadcast_id: broadcastId, status: { $in: ['pending', 'sending'] } })
      .exec();
    return open !== null;
  }
}

/** An outcome of a claim this sender still holds: applied only while it holds the lease. */
function held(id: Types.ObjectId, owner: string, set: Partial<Delivery>): OutcomeWrites {
  return [
    {
      updateOne: {
        filter: { _id: id, status: 'sending', lease_owner: owner },
        update: { $set: set },
      },
    },
  ];
}
