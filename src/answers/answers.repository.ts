import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types, mongo } from 'mongoose';
import { performance } from 'node:perf_hooks';
import { isDuplicateKey } from '../database/duplicate-key';
import { ANSWER_PATH_BATCH_INTERVAL_MS } from '../database/keyed-batcher';
import type { AnswerScore, LeaderboardRow, StoredAnswer } from './answer.types';
import { LIVE_ANSWER_FIELDS, type LiveAnswerDocument } from './live/answer-feed';
import { Answer } from './schemas/answer.schema';

/** Documents per insertMany: well under MongoDB's 100,000 writes and 48 MB per batch. */
const MAX_BATCH = 500;

/** The fields of the driver's WriteError read here. */
interface WriteFailure {
  index: number;
  code: number;
  errmsg?: string;
}

interface PendingInsert {
  answer: StoredAnswer;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
}

/**
 * Resolves each answer of a failed unordered insertMany: a duplicate-key error for its index
 * means "already answered" (false), another error for its index fails that answer only, and no
 * error for its index means it was stored. A failure with no per-document errors (the command
 * itself failed: network, timeout) fails them all.
 */
function settleBatch(batch: PendingInsert[], error: unknown): void {
  if (!(error instanceof mongo.MongoBulkWriteError)) {
    for (const p of batch) p.reject(error);
    return;
  }
  const raw = error.writeErrors as WriteFailure | WriteFailure[];
  const errors = Array.isArray(raw) ? raw : [raw];
  const byIndex = new Map(errors.map((e) => [e.index, e]));
  batch.forEach((p, index) => {
    const failed = byIndex.get(index);
    if (!failed) p.resolve(true);
    // A lost insert race on the unique (broadcast, person) index, as any engine reports it.
    else if (isDuplicateKey(failed)) p.resolve(false);
    else p.reject(new Error(`Answer not stored: ${failed.errmsg ?? `code ${failed.code}`}`));
  });
}

@Injectable()
export class AnswersRepository {
  private readonly queue: PendingInsert[] = [];
  private flushing = false;
  private flushScheduled = false;
  private lastFlush = -Infinity;

  constructor(@InjectModel(Answer.name) private readonly answers: Model<Answer>) {}

  /**
   * Stores the answer unless this person already answered this broadcast; false if they had.
   * The unique index decides, not a read before the write, so of two concurrent submissions
   * exactly one wins, even across instances.
   *
   * Group commit: answers arriving in the same event-loop turn, or while the previous write is
   * in flight, go to the database as one unordered insertMany. In a burst (a whole class
   * answering within a second) this turns a thousand round trips into a few dozen; the unique
   * index still judges each document on its own, and a lone answer waits for no one. Under load
   * a write starts no sooner than ANSWER_PATH_BATCH_INTERVAL_MS after the previous one did, so
   * answers group even when the app's CPU, not the database, keeps them apart.
   */
  insertFirst(answer: StoredAnswer): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ answer, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing || this.flushScheduled || this.queue.length === 0) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      void this.flush();
    };
    // After this turn's I/O callbacks: every answer parsed in the same turn joins the batch.
    const waitMs = this.lastFlush + ANSWER_PATH_BATCH_INTERVAL_MS - performance.now();
    if (waitMs >= 1) setTimeout(run, waitMs);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.flushing = true;
    this.lastFlush = performance.now();
    try {
      // Straight to the driver: the documents are built and typed by the service; Mongoose's
      // validation and hydration would only add latency on the hot path.
      await this.answers.collection.insertMany(
        batch.map((p) => ({ ...p.answer })),
        { ordered: false },
      );
      for (const p of batch) p.resolve(true);
    } catch (error) {
      settleBatch(batch, error);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  async findForRecipient(
    broadcastId: Types.ObjectId,
    recipientKey: string,
  ): Promise<StoredAnswer | null> {
    return this.answers
      .findOne({ broadcast_id: broadcastId, recipient_key: recipientKey })
      .lean<StoredAnswer>()
      .exec();
  }

  /** Total score per person over these broadcasts (a run's steps), unranked, in no order. */
  async totalsFor(
    broadcastIds: Types.ObjectId[],
  ): Promise<Array<{ recipient_key: string; score: number }>> {
    const rows = await this.answers
      .aggregate<{ _id: string; score: number }>([
        { $match: { broadcast_id: { $in: broadcastIds } } },
        { $group: { _id: '$recipient_key', score: { $sum: '$score' } } },
      ])
      .exec();
    return rows.map((r) => ({ recipient_key: r._id, score: r.score }));
  }

  /** Every answer to these broadcasts (retention). */
  async deleteForBroadcasts(broadcastIds: Types.ObjectId[]): Promise<number> {
    const result = await this.answers.deleteMany({ broadcast_id: { $in: broadcastIds } }).exec();
    return result.deletedCount;
  }

  /** Every answer of one person, verified or typed in a channel (erasure). */
  async deletePerson(email: RegExp, recipientKeys: string[]): Promise<number> {
    const result = await this.answers
      .deleteMany({ $or: [{ email }, { recipient_key: { $in: recipientKeys } }] })
      .exec();
    return result.deletedCount;
  }

  async listForBroadcast(broadcastId: Types.ObjectId): Promise<StoredAnswer[]> {
    return this.answers
      .find({ broadcast_id: broadcastId })
      .sort({ answered_at: 1, _id: 1 })
      .lean<StoredAnswer[]>()
      .exec();
  }

  /**
   * Every answer given in these meetings, with only what a course's gradebook reads (the
   * `meeting_id` index).
   */
  async scoresForMeetings(meetingIds: string[]): Promise<AnswerScore[]> {
    const rows = await this.answers
      .find(
        { meeting_id: { $in: meetingIds } },
        {
          _id: 0,
          broadcast_id: 1,
          recipient_key: 1,
          email: 1,
          score: 1,
          credit: 1,
          correct: 1,
          self_reported: 1,
          anonymous: 1,
        },
      )
      .lean<Array<Omit<AnswerScore, 'self_reported' | 'anonymous'> & Partial<AnswerScore>>>()
      .exec();
    return rows.map((r) => ({
      ...r,
      self_reported: r.self_reported === true,
      anonymous: r.anonymous === true,
    }));
  }

  /**
   * The live feed's poll (live/polling-answer-feed.ts): answers of these broadcasts whose `_id`
   * is above `sinceId`, value fields only (nothing of who answered). Served by the
   * { broadcast_id, _id } index: one range per broadcast.
   */
  async newerThan(
    broadcastIds: Types.ObjectId[],
    sinceId: Types.ObjectId,
  ): Promise<LiveAnswerDocument[]> {
    return this.answers.collection
      .find<LiveAnswerDocument>(
        { broadcast_id: { $in: broadcastIds }, _id: { $gt: sinceId } },
        { projection: LIVE_ANSWER_FIELDS },
      )
      .toArray();
  }

  /** Answers per broadcast, for these broadcasts (absent: none): the live feed's check for gaps. */
  async countsFor(broadcastIds: Types.ObjectId[]): Promise<Map<string, number>> {
    const rows = await this.answers
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { broadcast_id: { $in: broadcastIds } } },
        { $group: { _id: '$broadcast_id', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
  }

  /** A change stream on the collection (live/change-stream-answer-feed.ts; replica sets only). */
  watch(
    pipeline: Record<string, unknown>[],
    options: mongo.ChangeStreamOptions,
  ): mongo.ChangeStream<LiveAnswerDocument> {
    return this.answers.collection.watch<LiveAnswerDocument>(pipeline, options);
  }

  /** The replica set's name, or null on a standalone server (the `hello` command's setName). */
  async replicaSetName(): Promise<string | null> {
    const hello = await this.answers.db.db!.admin().command({ hello: 1 });
    return typeof hello.setName === 'string' ? hello.setName : null;
  }

  /** Whether an index on exactly these keys, in this order, exists (listIndexes). */
  async hasIndex(keys: string[]): Promise<boolean> {
    // After the schema's indexes are built (autoIndex), not while they are.
    await this.answers.init();
    const indexes = await this.answers.collection
      .listIndexes()
      .toArray()
      .then((list) => list as Array<{ key: Record<string, unknown> }>);
    return indexes.some((index) => {
      const names = Object.keys(index.key);
      return names.length === keys.length && names.every((name, i) => name === keys[i]);
    });
  }

  /**
   * Totals per person over every answer given in a meeting, anonymous answers left out (they
   * belong to nobody: each has a key of its own). Two $group stages only ($sum, $first:
   * operators the test database server is verified to support, tools/mongo-server/launch.spec.ts);
   * correct counts come from a second pipeline rather than $cond.
   */
  async leaderboard(meetingId: string): Promise<LeaderboardRow[]> {
    const [totals, rights] = await Promise.all([
      this.answers
        .aggregate<{
          _id: string;
          total: number;
          answered: number;
          name: string;
          email: string | null;
          self_reported: boolean | null;
        }>([
          { $match: { meeting_id: meetingId, anonymous: { $ne: true } } },
          { $sort: { answered_at: -1 } },
          {
            $group: {
              _id: '$recipient_key',
              total: { $sum: '$score' },
              answered: { $sum: 1 },
              // Newest first, so a person's latest display name wins.
              name: { $first: '$name' },
              email: { $first: '$email' },
              // One value per key: self-reported keys have their own namespace (answers.service).
              self_reported: { $first: '$self_reported' },
            },
          },
        ])
        .exec(),
      this.answers
        .aggregate<{ _id: string; correct: number }>([
          { $match: { meeting_id: meetingId, correct: true, anonymous: { $ne: true } } },
          { $group: { _id: '$recipient_key', correct: { $sum: 1 } } },
        ])
        .exec(),
    ]);
    const correctByKey = new Map(rights.map((r) => [r._id, r.correct]));
    return totals.map((t) => ({
      recipient_key: t._id,
      self_reported: t.self_reported === true,
      name: t.name,
      email: t.email ?? null,
      total: t.total,
      answered: t.answered,
      correct: correctByKey.get(t._id) ?? 0,
    }));
  }
}
