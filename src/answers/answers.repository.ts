import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types, mongo } from 'mongoose';
import { Answer } from './schemas/answer.schema';

export type NewAnswer = Answer;

/** An answer as read back (lean: results and CSV read thousands, no hydration needed). */
export type StoredAnswer = Answer & { _id: Types.ObjectId };

export interface LeaderboardRow {
  recipient_key: string;
  name: string;
  email: string | null;
  total: number;
  answered: number;
  correct: number;
}

const DUPLICATE_KEY = 11000;

@Injectable()
export class AnswersRepository {
  constructor(@InjectModel(Answer.name) private readonly answers: Model<Answer>) {}

  /**
   * Stores the answer unless this person already answered this broadcast. The unique index
   * decides, not a read before the write, so two concurrent submissions cannot both win.
   * Returns false for the loser.
   */
  async insertFirst(answer: NewAnswer): Promise<boolean> {
    try {
      // Straight to the driver: the hot path of an answer burst, and the fields are built and
      // typed by the service, so Mongoose's validation and hydration would only add latency.
      await this.answers.collection.insertOne({ ...answer });
      return true;
    } catch (error) {
      if (error instanceof mongo.MongoServerError && error.code === DUPLICATE_KEY) return false;
      throw error;
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

  async listForBroadcast(broadcastId: Types.ObjectId): Promise<StoredAnswer[]> {
    return this.answers
      .find({ broadcast_id: broadcastId })
      .sort({ answered_at: 1, _id: 1 })
      .lean<StoredAnswer[]>()
      .exec();
  }

  async countForBroadcast(broadcastId: Types.ObjectId): Promise<number> {
    return this.answers.countDocuments({ broadcast_id: broadcastId }).exec();
  }

  /**
   * Totals per person over every answer given in a meeting. Two $group stages only ($sum, $first:
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
        }>([
          { $match: { meeting_id: meetingId } },
          { $sort: { answered_at: -1 } },
          {
            $group: {
              _id: '$recipient_key',
              total: { $sum: '$score' },
              answered: { $sum: 1 },
              // Newest first, so a person's latest display name wins.
              name: { $first: '$name' },
              email: { $first: '$email' },
            },
          },
        ])
        .exec(),
      this.answers
        .aggregate<{ _id: string; correct: number }>([
          { $match: { meeting_id: meetingId, correct: true } },
          { $group: { _id: '$recipient_key', correct: { $sum: 1 } } },
        ])
        .exec(),
    ]);
    const correctByKey = new Map(rights.map((r) => [r._id, r.correct]));
    return totals.map((t) => ({
      recipient_key: t._id,
      name: t.name,
      email: t.email ?? null,
      total: t.total,
      answered: t.answered,
      correct: correctByKey.get(t._id) ?? 0,
    }));
  }
}
