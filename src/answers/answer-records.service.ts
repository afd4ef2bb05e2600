import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import { emailMatcher, type PersonIdentity } from '../common/personal-data';
import type { AnswerScore, LeaderboardRow, StoredAnswer } from './answer.types';
import { AnswersRepository } from './answers.repository';

/**
 * What other modules do with stored answers: the instructor's results read them; retention and
 * erasure delete them (docs/architecture.md §14).
 */
@Injectable()
export class AnswerRecordsService {
  constructor(private readonly answers: AnswersRepository) {}

  /** Every answer to a broadcast, oldest first. */
  async listForBroadcast(broadcastId: Types.ObjectId): Promise<StoredAnswer[]> {
    return this.answers.listForBroadcast(broadcastId);
  }

  /** How many answers each of these broadcasts has (absent: none), in one aggregate. */
  async countsFor(broadcastIds: Types.ObjectId[]): Promise<Map<string, number>> {
    return this.answers.countsFor(broadcastIds);
  }

  /**
   * One person's answer to one broadcast (a run's page: their answer to a step), or null. Never
   * an anonymous answer: those are stored under a random key no person leads to.
   */
  async forRecipient(
    broadcastId: Types.ObjectId,
    recipientKey: string,
  ): Promise<StoredAnswer | null> {
    return this.answers.findForRecipient(broadcastId, recipientKey);
  }

  /**
   * Several people's totals over these broadcasts (a run's steps), unranked: what the run's final
   * screen ranks a person among.
   */
  async totalsFor(
    broadcastIds: Types.ObjectId[],
  ): Promise<Array<{ recipient_key: string; score: number }>> {
    return this.answers.totalsFor(broadcastIds);
  }

  /** A course's gradebook: every answer given in these meetings, its score and whose it is. */
  async scoresForMeetings(meetingIds: string[]): Promise<AnswerScore[]> {
    return this.answers.scoresForMeetings(meetingIds);
  }

  /** Retention: every answer to these broadcasts (called before the broadcasts go). */
  async deleteForBroadcasts(broadcastIds: Types.ObjectId[]): Promise<number> {
    return this.answers.deleteForBroadcasts(broadcastIds);
  }

  /**
   * Erasure: the person's answers, direct (keyed by their person key) and self-reported in a
   * channel (`self:` + the email they typed, docs/architecture.md §3), and any carrying the email.
   */
  async erasePerson(person: PersonIdentity): Promise<number> {
    return this.answers.deletePerson(emailMatcher(person.email), [
      ...person.personKeys,
      `self:${person.email}`,
    ]);
  }

  /** Totals per person over every answer given in a meeting, unranked. */
  async leaderboard(meetingId: string): Promise<LeaderboardRow[]> {
    return this.answers.leaderboard(meetingId);
  }
}
