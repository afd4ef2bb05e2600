import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { LeaderboardRow, StoredAnswer } from './answer.types';
import { AnswersRepository } from './answers.repository';

/** What other modules (the instructor's results) read of the stored answers. */
@Injectable()
export class AnswerRecordsService {
  constructor(private readonly answers: AnswersRepository) {}

  /** Every answer to a broadcast, oldest first. */
  async listForBroadcast(broadcastId: Types.ObjectId): Promise<StoredAnswer[]> {
    return this.answers.listForBroadcast(broadcastId);
  }

  async countForBroadcast(broadcastId: Types.ObjectId): Promise<number> {
    return this.answers.countForBroadcast(broadcastId);
  }

  /** Totals per person over every answer given in a meeting, unranked. */
  async leaderboard(meetingId: string): Promise<LeaderboardRow[]> {
    return this.answers.leaderboard(meetingId);
  }
}
