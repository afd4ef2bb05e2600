import { ConflictException, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { MeetingLevel } from '../access/access.types';
import { MeetingAccessService } from '../access/meeting-access.service';
import { AnswerRecordsService } from '../answers/answer-records.service';
import type { Actor } from '../common/auth/actor';
import {
  isQuestionBroadcast,
  runRefusal,
  type SentQuestionBroadcast,
} from '../broadcasts/broadcast.types';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { AppConfig } from '../config/app-config';
import { ParticipantsService } from '../participants/participants.service';
import type {
  LeaderboardResponseDto,
  ResultsResponseDto,
  ResultsStateDto,
} from './dto/results.response';
import type { CsvFormat } from '../common/csv/csv-format';
import { resultsCsv } from './results-csv';
import {
  answeredRecipients,
  lastDeadline,
  rankLeaderboard,
  summarize,
  type AnswerView,
  type DeliveryView,
} from './results-summary';
import { LiveTally } from './type-tally';

/** The instructor's side: results, CSV, live counts, leaderboard, reminders. */
@Injectable()
export class ResultsService {
  constructor(
    private readonly config: AppConfig,
    private readonly broadcasts: BroadcastsService,
    private readonly participants: ParticipantsService,
    private readonly answers: AnswerRecordsService,
    private readonly access: MeetingAccessService,
  ) {}

  /**
   * The broadcast, if the actor may do `needed` in its meeting (404 when they may not read it:
   * BroadcastsService.authorize); 409 for a link broadcast (its answers are collected elsewhere).
   */
  async questionBroadcast(
    actor: Actor,
    id: Types.ObjectId,
    needed: MeetingLevel = 'read',
  ): Promise<SentQuestionBroadcast> {
    const broadcast = await this.broadcasts.authorize(actor, id, needed);
    const ofRun = runRefusal(broadcast, needed === 'remind' ? 'remind' : 'results');
    if (ofRun !== null) throw new ConflictException(ofRun);
    if (!isQuestionBroadcast(broadcast)) throw linkBroadcast(id);
    return broadcast;
  }

  async results(actor: Actor, id: Types.ObjectId, now = new Date()): Promise<ResultsResponseDto> {
    return (await this.summarize(await this.questionBroadcast(actor, id), now)).results;
  }

  /** GET .../results.csv: the results, and for an anonymous question the answers grouped. */
  async csv(
    actor: Actor,
    id: Types.ObjectId,
    format: CsvFormat,
    now = new Date(),
  ): Promise<string> {
    const broadcast = await this.questionBroadcast(actor, id);
    const { results, answers } = await this.summarize(broadcast, now);
    return resultsCsv(results, broadcast.question, answers, format);
  }

  private async summarize(
    broadcast: SentQuestionBroadcast,
    now: Date,
  ): Promise<{ results: ResultsResponseDto; answers: AnswerView[]; deliveries: DeliveryView[] }> {
    const id = broadcast._id;
    const [deliveries, answers, people, controls] = await Promise.all([
      this.broadcasts.listDeliveries(id),
      this.answers.listForBroadcast(id) as Promise<AnswerView[]>,
      this.participants.currentPeople(broadcast.meeting_id),
      this.broadcasts.controls(id),
    ]);
    const results = summarize({
      broadcastId: id.toHexString(),
      meetingId: broadcast.meeting_id,
      mode: broadcast.mode,
      anonymous: broadcast.anonymous === true,
      question: broadcast.question,
      deliveries,
      answers,
      people,
      controls,
      graceSeconds: this.config.answers.graceSeconds,
      now,
    });
    return { results, answers, deliveries };
  }

  /**
   * Counts only (the live stream's snapshot): no participants lookup, no per-person rows. With
   * the ids of the answers counted, so a live answer already in them is not counted again.
   */
  async tally(broadcast: SentQuestionBroadcast): Promise<{ counts: LiveTally; ids: Set<string> }> {
    const answers = await this.answers.listForBroadcast(broadcast._id);
    return {
      counts: LiveTally.of(broadcast.question, answers as AnswerView[]),
      ids: new Set(answers.map((a) => a._id.toHexString())),
    };
  }

  /** The live stream's `state`: the deadline a countdown runs to, the close and the reveal. */
  async state(id: Types.ObjectId): Promise<ResultsStateDto> {
    const [controls, last] = await Promise.all([
      this.broadcasts.controls(id),
      this.broadcasts.lastWindowEnd(id),
    ]);
    const deadline = lastDeadline(last ? [{ closes_at: last }] : [], controls.closed_at);
    return {
      closes_at: deadline ? deadline.toISOString() : null,
      closed_at: controls.closed_at ? controls.closed_at.toISOString() : null,
      revealed: controls.revealed_at !== null,
    };
  }

  /**
   * A question broadcast's results (the body of GET /api/broadcasts/{id}/results) with no access
   * check: for a caller that has checked the actor's access to the broadcast's meeting itself
   * (a run's results check the run: src/runs/run-results.service.ts). 409 for a link broadcast.
   */
  async resultsOf(id: Types.ObjectId, now = new Date()): Promise<ResultsResponseDto> {
    const broadcast = await this.broadcasts.sent(id);
    if (!isQuestionBroadcast(broadcast)) throw linkBroadcast(id);
    return (await this.summarize(broadcast, now)).results;
  }

  async leaderboard(actor: Actor, meetingId: string): Promise<LeaderboardResponseDto> {
    await this.access.require(actor, meetingId, 'read');
    return {
      meeting_id: meetingId,
      items: rankLeaderboard(await this.answers.leaderboard(meetingId)),
    };
  }

  /** Who may remind a broadcast's recipients (a reminder, or its replay). */
  async authorizeRemind(actor: Actor, id: Types.ObjectId): Promise<SentQuestionBroadcast> {
    return this.questionBroadcast(actor, id, 'remind');
  }

  /**
   * POST /api/broadcasts/{id}/remind: results decide who is still waited for; broadcasts re-sends
   * to those of them whose message went out and whose window is still open (not extended: it
   * runs from their first message). In channel mode the one channel message is re-posted while
   * anyone in the meeting has not answered.
   */
  async remind(actor: Actor, id: Types.ObjectId, now = new Date()): Promise<number> {
    const { results, answers, deliveries } = await this.summarize(
      await this.authorizeRemind(actor, id),
      now,
    );
    const recipients = deliveries.map((d) => d.recipient_key);
    let keys: string[];
    if (results.mode === 'channel') {
      keys = results.non_responders.some((p) => p.in_meeting) ? recipients : [];
    } else {
      // Anonymous answers carry no recipient: their deliveries say that they answered.
      const answered = answeredRecipients(deliveries, answers);
      keys = recipients.filter((key) => !answered.has(key));
    }
    return this.broadcasts.remind(id, keys, now);
  }
}

function linkBroadcast(id: Types.ObjectId): ConflictException {
  return new ConflictException(
    `Broadcast ${id.toHexString()} sent a link, not a question: its answers are not collected here`,
  );
}
