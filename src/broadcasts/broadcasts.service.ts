import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHash } from 'node:crypto';
import { Model, Types } from 'mongoose';
import { EventEmitter } from 'node:events';
import { Clock } from '../common/clock';
import { emailMatcher, type PersonIdentity } from '../common/personal-data';
import type { MeetingLevel } from '../access/access.types';
import { MeetingAccessService } from '../access/meeting-access.service';
import type { Actor } from '../common/auth/actor';
import { AppConfig } from '../config/app-config';
import { isDuplicateKey } from '../database/duplicate-key';
import { MeetingPerson, ParticipantsService } from '../participants/participants.service';
import { QuestionsService } from '../questions/questions.service';
import { ZoomMeetingsService } from '../zoom/zoom-meetings.service';
import { isScored } from '../question-types/question-types';
import { answerToken, hashAnswerToken } from './answer-link';
import { BroadcastControlsReader } from './broadcast-controls.reader';
import {
  isQuestionBroadcast,
  questionSnapshot,
  runRefusal,
  type AskedQuestion,
  type RecipientFacts,
  type BroadcastControls,
  type BroadcastKind,
  type BroadcastMode,
  type QuestionSnapshot,
  type SentBroadcast,
} from './broadcast.types';
import { DeliveriesRepository, DeliveryCounts, NewDelivery } from './deliveries.repository';
import { DeliveryLookup } from './delivery-lookup.service';
import { DeliveryWorker } from './delivery-worker.service';
import { OpenBroadcastsRepository } from './open-broadcasts.repository';
import { Broadcast, BroadcastDocument } from './schemas/broadcast.schema';
import { DeliveryDocument } from './schemas/delivery.schema';
import { SentBroadcasts } from './sent-broadcasts.service';

export interface BroadcastState {
  broadcast: BroadcastDocument;
  counts: DeliveryCounts;
  deliveries: DeliveryDocument[];
}

/** A broadcast just written, with its counts as written (every reachable record pending). */
export interface CreatedBroadcast {
  broadcast: BroadcastDocument;
  counts: DeliveryCounts;
}

interface NewBroadcast {
  meetingId: string;
  mode: BroadcastMode;
  kind: BroadcastKind;
  questionId?: Types.ObjectId;
  question?: QuestionSnapshot;
  questionLink?: string;
  message?: string | null;
  allowDuplicate?: boolean;
  /** SentBroadcast.anonymous (broadcast.types.ts). */
  anonymous: boolean;
  /** The request's Idempotency-Key work key (IdempotencyClaim), when it has one. */
  workKey?: string | null;
}

/** BroadcastsService.createRunBroadcast (issue 16). */
export interface RunBroadcastInput {
  /** The broadcast's id, chosen by the run (so a repeated start finds it). */
  id: Types.ObjectId;
  meetingId: string;
  runId: Types.ObjectId;
  /** The question set's title, shown in the message. */
  title: string;
  questionCount: number;
  anonymous: boolean;
  /**
   * The meeting occurrence the run belongs to: the live one at its start, or null when the
   * meeting was not live then (the run then takes the next occurrence that is: addRunRecipients).
   */
  occurrenceUuid: string | null;
}

/** BroadcastsService.createRunSteps (issue 16). */
export interface RunStepsInput {
  meetingId: string;
  runId: Types.ObjectId;
  /** The meeting occurrence the run started in (CurrentAttendees.occurrence_uuid), or null. */
  occurrenceUuid: string | null;
  anonymous: boolean;
  steps: ReadonlyArray<{
    /** The step broadcast's id, chosen by the run. */
    id: Types.ObjectId;
    /** The bank question it was taken from. */
    questionId: Types.ObjectId;
    question: QuestionSnapshot;
    index: number;
  }>;
}

/** How POST /api/questions/{id}/send (and the console's send form) sends a question. */
export interface SendQuestionOptions {
  mode: BroadcastMode;
  /** Send though the question is still open in the meeting (see sendQuestion). */
  allowDuplicate?: boolean;
  /** An anonymous question (SentBroadcast.anonymous); refused with mode "channel". */
  anonymous?: boolean;
  /** The request's Idempotency-Key work key (IdempotencyClaim), when it has one. */
  workKey?: string | null;
}

/** Emitted on `BroadcastsService.events` as 'controls' after a close or reveal on this instance. */
export interface ControlsEvent {
  broadcastId: string;
  controls: BroadcastControls;
}

/** last_error of a message that a close (or reveal) kept from being sent. */
export const CLOSED_BEFORE_SENT = 'Not sent: the question was closed first';

const WAIT_POLL_MS = 250;
/** Runs whose run broadcast this process remembers (recipientsSource). */
const RUN_BROADCAST_CACHE = 1000;
/** A claim whose broadcast is not written yet is its send in progress, for this long. */
const CLAIM_SETTLE_MS = 15_000;

@Injectable()
export class BroadcastsService {
  private readonly logger = new Logger(BroadcastsService.name);
  /** 'controls' events (ControlsEvent) from this instance; live streams also poll for others'. */
  readonly events = new EventEmitter();
  /** A run's id (hex) -> its run broadcast's id: set once at the run's start, never changed. */
  private readonly runBroadcastIds = new Map<string, Types.ObjectId>();

  constructor(
    private readonly config: AppConfig,
    @InjectModel(Broadcast.name) private readonly broadcasts: Model<Broadcast>,
    private readonly deliveries: DeliveriesRepository,
    private readonly worker: DeliveryWorker,
    private readonly sentBroadcasts: SentBroadcasts,
    private readonly questions: QuestionsService,
    private readonly participants: ParticipantsService,
    private readonly meetings: ZoomMeetingsService,
    private readonly openBroadcasts: OpenBroadcastsRepository,
    private readonly lookup: DeliveryLookup,
    private readonly access: MeetingAccessService,
    private readonly controlsReader: BroadcastControlsReader,
    private readonly clock: Clock,
  ) {
    this.events.setMaxListeners(0);
  }

  /**
   * Retention (docs/architecture.md §14): up to `limit` broadcasts created before `cutoff`,
   * oldest first. The caller deletes their answers, then calls deleteBroadcasts.
   */
  async idsCreatedBefore(cutoff: Date, limit: number): Promise<Types.ObjectId[]> {
    const found = await this.broadcasts
      .find({ created_at: { $lt: cutoff } }, { _id: 1 })
      .sort({ created_at: 1 })
      .limit(limit)
      .lean()
      .exec();
    return found.map((b) => b._id);
  }

  /**
   * Deletes broadcasts with their deliveries and open claims. The broadcast goes last: a run cut
   * short finds it again, and every delete is safe to repeat.
   */
  async deleteBroadcasts(
    ids: Types.ObjectId[],
  ): Promise<{ deliveries: number; broadcasts: number }> {
    const deliveries = await this.deliveries.deleteForBroadcasts(ids);
    await this.openBroadcasts.deleteForBroadcasts(ids);
    const result = await this.broadcasts.deleteMany({ _id: { $in: ids } }).exec();
    return { deliveries, broadcasts: result.deletedCount };
  }

  /** Erasure: every delivery made for the person, by email, Zoom user id or person key. */
  async erasePerson(person: PersonIdentity): Promise<number> {
    this.lookup.forgetPerson(person);
    const removed = await this.deliveries.deletePerson(
      emailMatcher(person.email),
      person.zoomUserIds,
      person.personKeys,
    );
    // Again after the delete: an answer may have loaded one of them meanwhile.
    this.lookup.forgetPerson(person);
    return removed;
  }

  /**
   * POST /api/questions/{id}/send: a personal answer link to each reachable person. Refused with
   * 409 while the same question is still open in the meeting, unless `allowDuplicate`: two sends
   * would double everyone's messages and their leaderboard points.
   */
  async sendQuestion(
    actor: Actor,
    questionId: Types.ObjectId,
    meetingId: string,
    options: SendQuestionOptions,
  ): Promise<CreatedBroadcast> {
    const anonymous = options.anonymous ?? false;
    refuseAnonymousChannel(options.mode, anonymous);
    const question = questionSnapshot(await this.questions.findById(actor, questionId));
    await this.requireSend(actor, meetingId);
    const workKey = options.workKey ?? null;
    const done = await this.createdUnder(workKey);
    if (done) return done;
    return this.create({
      meetingId,
      mode: options.mode,
      kind: 'question',
      questionId,
      question,
      allowDuplicate: options.allowDuplicate ?? false,
      anonymous,
      workKey,
    });
  }

  /** 403 with the reason unless the actor may send to the meeting (a send, or its replay). */
  async requireSend(actor: Actor, meetingId: string): Promise<void> {
    await this.access.require(actor, meetingId, 'send');
  }

  /**
   * Issue 16 (runs, src/runs): the run's one broadcast of kind 'run': one Team Chat message per
   * reachable person in the meeting now with their personal run link (runUrl in answer-link.ts,
   * composed by composeRunMessage), sent by the durable sender like any other. An empty meeting
   * is allowed (people who join later get theirs through addRunRecipients). The caller gives the
   * id: a second call with the same id creates nothing and answers with the first (a run start
   * repeated after a crash). No send-once claim: the runs module keeps one running run per
   * meeting and set itself. The access check is the caller's.
   *
   * A start cut short between the broadcast's write and its deliveries' is completed by the
   * repeat: the deliveries are added for whoever is in the meeting then (addRunRecipients' rule),
   * each person once.
   */
  async createRunBroadcast(input: RunBroadcastInput): Promise<CreatedBroadcast> {
    // The run's occurrence, never merely the latest one: a meeting that ended yesterday is not
    // where today's run is (its people are gone, and today's would never match it).
    const occurrenceUuid = input.occurrenceUuid;
    let created = true;
    try {
      await this.broadcasts.create({
        _id: input.id,
        meeting_id: input.meetingId,
        kind: 'run',
        question_id: null,
        question: null,
        question_link: null,
        // The set's title, said in the message (composeRunMessage) before the count and link.
        message: input.title,
        anonymous: input.anonymous,
        mode: 'direct',
        channel_id: null,
        opens_at: this.clock.now(),
        occurrence_uuid: occurrenceUuid,
        run_id: input.runId,
        run_question_count: input.questionCount,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      created = false;
    }
    const broadcast = await this.get(input.id);
    if (!created) {
      this.logger.warn(
        `Run ${input.runId.toHexString()}: its broadcast ${input.id.toHexString()} exists already (a start repeated): answering with it, adding only people without a message`,
      );
    }
    await this.addRunRecipients(broadcast._id);
    return { broadcast, counts: await this.deliveries.countByStatus(broadcast._id) };
  }

  /**
   * Issue 16: a run's step broadcasts, one per question (kind 'question', `run_id`, `run_index`,
   * the question's snapshot, no deliveries, completed at creation): the answers to a run's
   * question are stored under its step's id. Ids are the caller's; repeating the call creates
   * nothing twice.
   */
  async createRunSteps(input: RunStepsInput): Promise<void> {
    const ids = input.steps.map((step) => step.id);
    // A repeated start: the steps written the first time are there already (by _id).
    const written = await this.existingIds(ids);
    const missing = input.steps.filter((step) => !written.has(step.id.toHexString()));
    if (missing.length === 0) return;
    const now = this.clock.now();
    try {
      await this.broadcasts.insertMany(
        missing.map((step) => ({
          _id: step.id,
          meeting_id: input.meetingId,
          kind: 'question' as const,
          question_id: step.questionId,
          question: step.question,
          question_link: null,
          message: null,
          anonymous: input.anonymous,
          mode: 'direct' as const,
          channel_id: null,
          opens_at: now,
          occurrence_uuid: input.occurrenceUuid,
          run_id: input.runId,
          run_index: step.index,
          // Nothing to send: its people are reached by the run's one message.
          completed_at: now,
        })),
        { ordered: false, throwOnValidationError: true },
      );
    } catch (error) {
      // Another instance finishing the same start wrote some first: fine once all are there.
      if ((await this.existingIds(ids)).size < ids.length) throw error;
    }
  }

  /** Which of these broadcast ids exist (hex strings). */
  private async existingIds(ids: Types.ObjectId[]): Promise<Set<string>> {
    const found = await this.broadcasts
      .find({ _id: { $in: ids } }, { _id: 1 })
      .lean<Array<{ _id: Types.ObjectId }>>()
      .exec();
    return new Set(found.map((b) => b._id.toHexString()));
  }

  /**
   * Issue 16: adds a delivery (and so a message with a personal run link) for each person now in
   * the meeting's current occurrence who has none in this run broadcast yet; the unique
   * (broadcast_id, recipient_key) index makes concurrent calls on several instances add each
   * person once. Answers how many were added.
   *
   * Only while the meeting's current occurrence is the one the run broadcast was created in (or
   * it was created while the meeting had none): people of a later occurrence of the same meeting
   * number (the meeting ended and was started again) are not this run's audience, and the runs
   * module ends nothing because of it. Not for a run broadcast that is gone (retention): 0.
   */
  async addRunRecipients(runBroadcastId: Types.ObjectId): Promise<number> {
    const broadcast = await this.broadcasts
      .findById(runBroadcastId, { meeting_id: 1, kind: 1, occurrence_uuid: 1 })
      .lean()
      .exec();
    if (!broadcast || broadcast.kind !== 'run') return 0;
    const live = await this.participants.currentOccurrence(broadcast.meeting_id);
    // Nobody is in a meeting that has ended (or not started).
    if (!live || live.ended) return 0;
    let runOccurrence = broadcast.occurrence_uuid ?? null;
    if (runOccurrence === null) {
      // A run started while its meeting was not live takes the first occurrence that is, once
      // (a conditional write: two instances adopt the same one).
      await this.broadcasts
        .updateOne(
          { _id: runBroadcastId, occurrence_uuid: null },
          { $set: { occurrence_uuid: live.uuid } },
        )
        .exec();
      const adopted = await this.broadcasts
        .findById(runBroadcastId, { occurrence_uuid: 1 })
        .lean()
        .exec();
      runOccurrence = adopted?.occurrence_uuid ?? null;
    }
    const { occurrence_uuid: occurrenceUuid, people } = await this.participants.currentAttendees(
      broadcast.meeting_id,
    );
    if (runOccurrence === null || runOccurrence !== occurrenceUuid) return 0;
    return this.addMissingRecipients(runBroadcastId, people);
  }

  /**
   * Issue 16: whether the meeting occurrence a run broadcast belongs to is over (it ended, or a
   * later occurrence of the meeting number has begun). False while the run has no occurrence
   * yet (its meeting has not been live since it started).
   */
  async runOccurrenceOver(runBroadcastId: Types.ObjectId): Promise<boolean> {
    const broadcast = await this.broadcasts
      .findById(runBroadcastId, { meeting_id: 1, occurrence_uuid: 1 })
      .lean()
      .exec();
    if (!broadcast?.occurrence_uuid) return false;
    const current = await this.participants.currentOccurrence(broadcast.meeting_id);
    if (!current) return false;
    return current.uuid !== broadcast.occurrence_uuid || current.ended;
  }

  /**
   * Issue 16: closes a step broadcast now (set once, like POST /api/broadcasts/{id}/close, and
   * announced the same way) when a run moves past its question or ends. No access check: the
   * runs module checked the instructor's.
   */
  async closeStep(id: Types.ObjectId): Promise<BroadcastControls> {
    await this.broadcasts
      .updateOne({ _id: id, closed_at: null }, { $set: { closed_at: this.clock.now() } })
      .exec();
    return this.announce(id);
  }

  /** The people among `people` without a delivery in the run broadcast get one (each once). */
  private async addMissingRecipients(
    broadcastId: Types.ObjectId,
    people: MeetingPerson[],
  ): Promise<number> {
    if (people.length === 0) return 0;
    const known = await this.deliveries.recipientKeys(broadcastId);
    const records = people
      .filter((person) => !known.has(person.person_key))
      .map((person) => this.personDelivery(person));
    if (records.length === 0) return 0;
    // Reopened before the records land, as retryFailed does: a sender finishing the last ones
    // meanwhile marks it complete again only after these are done.
    if (records.some((r) => r.status === 'pending')) {
      await this.broadcasts
        .updateOne({ _id: broadcastId }, { $set: { completed_at: null } })
        .exec();
    }
    const added = await this.deliveries.addMissing(broadcastId, records, new Date());
    if (added > 0) this.worker.kick();
    return added;
  }

  /** POST /api/send-question: the original API, one instructor-chosen link for everyone. */
  async sendLink(
    actor: Actor,
    meetingId: string,
    link: string,
    message: string | null,
    workKey: string | null = null,
    anonymous = false,
  ): Promise<CreatedBroadcast> {
    await this.requireSend(actor, meetingId);
    const done = await this.createdUnder(workKey);
    if (done) return done;
    return this.create({
      meetingId,
      mode: 'direct',
      kind: 'link',
      questionLink: link,
      message,
      anonymous,
      workKey,
    });
  }

  /**
   * The broadcast an earlier run of this very request (same Idempotency-Key use and request)
   * created, if any: its answer was never kept (IdempotencyService), and sending again would
   * message everyone twice. Answered as it stands now.
   */
  private async createdUnder(workKey: string | null): Promise<CreatedBroadcast | null> {
    if (workKey === null) return null;
    const broadcast = await this.broadcasts.findById(broadcastIdOf(workKey)).exec();
    if (!broadcast) return null;
    this.logger.warn(
      `Idempotency-Key repeat after an answer that was not kept: answering with broadcast ${broadcast._id.toHexString()}, not sending again`,
    );
    return { broadcast, counts: await this.deliveries.countByStatus(broadcast._id) };
  }

  async get(id: Types.ObjectId): Promise<BroadcastDocument> {
    const broadcast = await this.broadcasts.findById(id).exec();
    if (!broadcast) throw broadcastNotFound(id);
    return broadcast;
  }

  /** What never changes about a broadcast (cached per process); 404 for an unknown id. */
  async sent(id: Types.ObjectId): Promise<SentBroadcast> {
    const broadcast = await this.sentBroadcasts.get(id);
    if (!broadcast) throw broadcastNotFound(id);
    return broadcast;
  }

  /**
   * The broadcast, if the actor may do `needed` in its meeting. Someone who may not even read that
   * meeting gets the same 404 as for an unknown id: a broadcast id is other people's data.
   */
  async authorize(actor: Actor, id: Types.ObjectId, needed: MeetingLevel): Promise<SentBroadcast> {
    const broadcast = await this.sent(id);
    await this.access.requireOnData(actor, broadcast.meeting_id, needed, () =>
      broadcastNotFound(id),
    );
    return broadcast;
  }

  /** GET /api/broadcasts/{id}: for those who may read its meeting. */
  async view(actor: Actor, id: Types.ObjectId): Promise<BroadcastState> {
    await this.authorize(actor, id, 'read');
    return this.state(id);
  }

  /**
   * A broadcast's close and reveal, read fresh (BroadcastControlsReader: batched per event-loop
   * turn, never cached), since an instructor on any instance may change them; 404 when unknown.
   */
  async controls(id: Types.ObjectId): Promise<BroadcastControls> {
    const controls = await this.controlsReader.read(id);
    if (!controls) throw broadcastNotFound(id);
    return controls;
  }

  /**
   * POST /api/broadcasts/{id}/close: ends every recipient's answer window now (an answer that
   * arrives later gets 410, on any instance: the answer path reads the close on every answer),
   * and messages not sent yet are not sent (DeliveriesRepository.cancelUnsent). Set once:
   * closing again keeps the first time.
   */
  async close(actor: Actor, id: Types.ObjectId): Promise<BroadcastControls> {
    await this.questionBroadcast(actor, id);
    await this.broadcasts
      .updateOne({ _id: id, closed_at: null }, { $set: { closed_at: this.clock.now() } })
      .exec();
    await this.deliveries.cancelUnsent(id, CLOSED_BEFORE_SENT);
    return this.announce(id);
  }

  /**
   * POST /api/broadcasts/{id}/reveal: people who answered see the right option on their page.
   * Revealing closes the window first (if still open): nobody may answer after seeing it. 409 for
   * a survey, which has no right answer.
   */
  async reveal(actor: Actor, id: Types.ObjectId): Promise<BroadcastControls> {
    const broadcast = await this.questionBroadcast(actor, id);
    if (!isScored(broadcast.question)) {
      throw new ConflictException(
        `Broadcast ${id.toHexString()} sent a question without a right answer (a survey or a rating): there is nothing to reveal`,
      );
    }
    const now = this.clock.now();
    await this.broadcasts
      .updateOne({ _id: id, closed_at: null }, { $set: { closed_at: now } })
      .exec();
    await this.broadcasts
      .updateOne({ _id: id, revealed_at: null }, { $set: { revealed_at: now } })
      .exec();
    await this.deliveries.cancelUnsent(id, CLOSED_BEFORE_SENT);
    return this.announce(id);
  }

  /** The latest end of any recipient's own window (null until a message has gone out). */
  async lastWindowEnd(id: Types.ObjectId): Promise<Date | null> {
    return this.deliveries.lastWindowEnd(id);
  }

  /** A question broadcast the actor may send to (close and reveal change what was sent). */
  private async questionBroadcast(actor: Actor, id: Types.ObjectId) {
    const broadcast = await this.authorize(actor, id, 'send');
    const ofRun = runRefusal(broadcast, 'close');
    if (ofRun !== null) throw new ConflictException(ofRun);
    if (!isQuestionBroadcast(broadcast)) {
      throw new ConflictException(
        `Broadcast ${id.toHexString()} sent a link, not a question: it has no answer window here`,
      );
    }
    return broadcast;
  }

  private async announce(id: Types.ObjectId): Promise<BroadcastControls> {
    const controls = await this.controls(id);
    const event: ControlsEvent = { broadcastId: id.toHexString(), controls };
    this.events.emit('controls', event);
    return controls;
  }

  /**
   * The answer path, for an anonymous question (SentBroadcast.anonymous): counts the answer given
   * on this delivery's link; false when one was counted already (the answer is then refused).
   * Records only that the recipient answered (Delivery.answered), which is how results tell who
   * has not answered yet and reminders reach them.
   */
  async markAnswered(deliveryId: Types.ObjectId): Promise<boolean> {
    return this.deliveries.markAnswered(deliveryId);
  }

  /** Takes back markAnswered when the answer could not be stored, so the person may try again. */
  async unmarkAnswered(deliveryId: Types.ObjectId): Promise<void> {
    await this.deliveries.unmarkAnswered(deliveryId);
  }

  /** Whether an anonymous question's recipient has answered (read fresh, never cached). */
  async isAnswered(deliveryId: Types.ObjectId): Promise<boolean> {
    return this.deliveries.isAnswered(deliveryId);
  }

  /**
   * Every recipient's delivery record, by name (for a run's question, its run's: recipientsSource). `answered` tells, for an anonymous question, who
   * has answered (the answers cannot: they name no one); it is false on other broadcasts.
   */
  async listDeliveries(id: Types.ObjectId): Promise<DeliveryDocument[]> {
    return this.deliveries.listForBroadcast(await this.recipientsSource(id));
  }

  /**
   * A course's gradebook: every question (not link) broadcast to these meetings, oldest first,
   * by the `{meeting_id, created_at}` index.
   */
  async questionsAsked(meetingIds: string[]): Promise<AskedQuestion[]> {
    const rows = await this.broadcasts
      .find({ meeting_id: { $in: meetingIds }, kind: 'question' })
      .sort({ meeting_id: 1, created_at: 1 })
      .lean<Broadcast[]>()
      .exec();
    return rows
      .filter((b) => b.question !== null)
      .map((b) => ({
        id: (b as Broadcast & { _id: Types.ObjectId })._id,
        meeting_id: b.meeting_id,
        question: questionSnapshot(b.question as QuestionSnapshot),
        anonymous: b.anonymous === true,
        mode: b.mode,
        opens_at: b.opens_at,
        closed_at: b.closed_at ?? null,
        occurrence_uuid: b.occurrence_uuid ?? null,
      }));
  }

  /**
   * A course's gradebook: the recipients of these broadcasts, what reached them, no tokens. A
   * run's question (a step) is answered by its run's recipients: theirs, under the step's id.
   */
  async recipientsOf(broadcastIds: Types.ObjectId[]): Promise<RecipientFacts[]> {
    const sources = await Promise.all(broadcastIds.map((id) => this.recipientsSource(id)));
    const facts = await this.deliveries.factsForBroadcasts([
      ...new Map(sources.map((id) => [id.toHexString(), id])).values(),
    ]);
    const bySource = new Map<string, RecipientFacts[]>();
    for (const f of facts) {
      const key = f.broadcast_id.toHexString();
      bySource.set(key, [...(bySource.get(key) ?? []), f]);
    }
    return broadcastIds.flatMap((id, i) =>
      (bySource.get(sources[i].toHexString()) ?? []).map((f) =>
        // A run delivery's `answered` is no step's: an anonymous run counts answers elsewhere.
        sources[i].equals(id) ? f : { ...f, broadcast_id: id, answered: false },
      ),
    );
  }

  /**
   * Whose deliveries are a broadcast's recipients: its own, or for a run's question (a step,
   * which sends nothing) its run broadcast's, since everyone in the run may answer each of its
   * questions (issue 16). What a broadcast is never changes, so this is cached per process.
   */
  private async recipientsSource(id: Types.ObjectId): Promise<Types.ObjectId> {
    const sent = await this.sentBroadcasts.get(id);
    if (!sent || sent.kind !== 'question' || sent.run_id === null) return id;
    const key = sent.run_id.toHexString();
    const known = this.runBroadcastIds.get(key);
    if (known) return known;
    const run = await this.broadcasts
      .findOne({ run_id: sent.run_id, kind: 'run' }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }>()
      .exec();
    if (!run) return id;
    if (this.runBroadcastIds.size >= RUN_BROADCAST_CACHE) this.runBroadcastIds.clear();
    this.runBroadcastIds.set(key, run._id);
    return run._id;
  }

  async state(id: Types.ObjectId): Promise<BroadcastState> {
    const broadcast = await this.get(id);
    const [counts, deliveries] = await Promise.all([
      this.deliveries.countByStatus(id),
      this.deliveries.listForBroadcast(id),
    ]);
    return { broadcast, counts, deliveries };
  }

  async counts(id: Types.ObjectId): Promise<DeliveryCounts> {
    return this.deliveries.countByStatus(id);
  }

  async listForMeeting(
    actor: Actor,
    meetingId: string,
  ): Promise<Array<{ broadcast: BroadcastDocument; counts: DeliveryCounts }>> {
    await this.access.require(actor, meetingId, 'read');
    const list = await this.broadcasts
      .find({ meeting_id: meetingId })
      .sort({ created_at: -1 })
      .limit(500)
      .exec();
    return Promise.all(
      list.map(async (broadcast) => ({
        broadcast,
        counts: await this.deliveries.countByStatus(broadcast._id),
      })),
    );
  }

  /** Who may retry a broadcast's failed recipients (a retry, or its replay). */
  async authorizeRetry(actor: Actor, id: Types.ObjectId): Promise<void> {
    const broadcast = await this.authorize(actor, id, 'send');
    const ofRun = runRefusal(broadcast, 'retry');
    if (ofRun !== null) throw new ConflictException(ofRun);
  }

  async retryFailed(
    actor: Actor,
    id: Types.ObjectId,
    includeUnconfirmed: boolean,
  ): Promise<number> {
    await this.authorizeRetry(actor, id);
    const { completed_at: completedAt, closed_at: closedAt } = await this.get(id);
    // Closed: nobody can answer a message sent now.
    if (closedAt) return 0;
    // Reopen before requeueing: the other way round, a fast worker on another instance could
    // finish the requeued records and mark the broadcast complete before this null lands.
    await this.broadcasts.updateOne({ _id: id }, { $set: { completed_at: null } }).exec();
    const requeued = await this.deliveries.requeueFailed(id, includeUnconfirmed);
    if (requeued > 0) this.worker.kick();
    else {
      await this.broadcasts
        .updateOne({ _id: id, completed_at: null }, { $set: { completed_at: completedAt } })
        .exec();
    }
    return requeued;
  }

  /**
   * POST /api/broadcasts/{id}/remind: the link once more to these recipients (the results module
   * chooses those it still waits for). Only records already sent whose answer window is still
   * open at `now` are queued (DeliveriesRepository.queueReminders: the one place of that rule);
   * their window does not move (markSent keeps the first closes_at).
   */
  async remind(id: Types.ObjectId, recipientKeys: string[], now = new Date()): Promise<number> {
    // Closed by the instructor: every window has ended, whatever closes_at says.
    if ((await this.controls(id)).closed_at !== null) return 0;
    const reminded = await this.deliveries.queueReminders(id, recipientKeys, now);
    if (reminded > 0) this.worker.kick();
    return reminded;
  }

  /**
   * What a send answers once its broadcast exists, after waiting up to `waitMs` for it to finish.
   * The messages go out whatever happens next, so a failure to read the progress (the database
   * gone for a moment) must not become the answer: the client would retry, and since an error
   * frees its Idempotency-Key, the retry would send everyone the message again. Then the answer
   * is the broadcast as created, still sending (202).
   */
  async progressOf(
    created: CreatedBroadcast,
    waitMs: number,
  ): Promise<BroadcastState & { done: boolean }> {
    const id = created.broadcast._id;
    try {
      const done = waitMs > 0 ? await this.waitForCompletion(id, waitMs) : false;
      return { ...(await this.state(id)), done };
    } catch (error) {
      this.logger.warn(
        `Broadcast ${id.toHexString()} was created; its progress could not be read (${(error as Error).message}): answering with the counts as created`,
      );
      return { ...created, deliveries: [], done: false };
    }
  }

  /**
   * Resolves when no delivery of the broadcast is pending or sending, or after `timeoutMs`.
   * Listens to this instance's sender and also polls, since another instance may do the sending.
   */
  async waitForCompletion(id: Types.ObjectId, timeoutMs: number): Promise<boolean> {
    const hex = id.toHexString();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.deliveries.hasOpenWork(id))) return true;
      await new Promise<void>((resolve) => {
        const done = (broadcastId: string) => {
          if (broadcastId === hex) finish();
        };
        const finish = () => {
          clearTimeout(timer);
          this.worker.events.off('completed', done);
          resolve();
        };
        const timer = setTimeout(
          finish,
          Math.min(WAIT_POLL_MS, Math.max(0, deadline - Date.now())),
        );
        this.worker.events.on('completed', done);
      });
    }
    return !(await this.deliveries.hasOpenWork(id));
  }

  private async create(input: NewBroadcast): Promise<CreatedBroadcast> {
    const { occurrence_uuid: occurrenceUuid, people } = await this.participants.currentAttendees(
      input.meetingId,
    );
    let channelId: string | null = null;
    if (input.mode === 'channel') {
      const meeting = await this.meetings.getMeeting(input.meetingId);
      channelId = meeting.chatChannelId;
      if (!channelId) {
        throw new ConflictException(
          `Meeting ${input.meetingId} has no continuous meeting chat channel; enable continuous meeting chat in Zoom or use mode "direct"`,
        );
      }
    } else if (people.length === 0) {
      // A send to nobody is almost always a mistake (wrong meeting id, or webhooks not set up):
      // say so instead of recording an empty broadcast.
      throw new ConflictException(
        `No one is in meeting ${input.meetingId} right now as far as Zoom's webhooks tell; check the meeting id, or run POST /api/meetings/${input.meetingId}/participants/sync`,
      );
    }

    // Under an Idempotency-Key the id comes from it: the unique _id is what lets a repeat find
    // this broadcast (createdUnder), and what makes a second create of it fail.
    const id = input.workKey ? broadcastIdOf(input.workKey) : new Types.ObjectId();
    const { questionId } = input;
    if (questionId !== undefined && input.allowDuplicate) {
      await this.openBroadcasts.take(input.meetingId, questionId, id);
    } else if (questionId !== undefined) {
      const open = await this.openBroadcasts.claim(input.meetingId, questionId, id, (holder, at) =>
        this.isOpen(holder, at),
      );
      if (open !== null) {
        throw new ConflictException({
          message: `Question ${questionId.toHexString()} is still open in meeting ${input.meetingId} (broadcast ${open.toHexString()}: being sent, or someone may still answer); send with "allow_duplicate": true to send it again anyway`,
          details: { open_broadcast_id: open.toHexString() },
        });
      }
    }
    try {
      return await this.write(id, input, channelId, people, occurrenceUuid);
    } catch (error) {
      // A run of the same request that overtook this one (its lock ran out) wrote it first.
      const other = isDuplicateKey(error) ? await this.createdUnder(input.workKey ?? null) : null;
      if (other) return other;
      if (questionId !== undefined) {
        await this.openBroadcasts.release(input.meetingId, questionId, id).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * Open: still being sent, or some recipient's answer window (plus the grace period) has not
   * closed. A claim whose broadcast is not written yet is a send in progress.
   */
  private async isOpen(id: Types.ObjectId, claimedAt: Date): Promise<boolean> {
    const broadcast = await this.broadcasts
      .findById(id, { completed_at: 1, closed_at: 1 })
      .lean()
      .exec();
    if (!broadcast) return Date.now() - claimedAt.getTime() < CLAIM_SETTLE_MS;
    // Closed by the instructor: nobody may answer any more, so it may be sent again.
    if (broadcast.closed_at) return false;
    // completed_at is only a hint: it stays null when nothing was ever claimed (every recipient
    // unreachable) or when an instance died between the last outcome and marking the broadcast
    // complete. Only deliveries still pending or sending make it "being sent".
    if (broadcast.completed_at === null && (await this.deliveries.hasOpenWork(id))) return true;
    // The broadcast is written before its deliveries (write): a recent claim whose broadcast has
    // none yet is a send still being written, not a finished one. Seen as two concurrent sends
    // both answered 202 when the second looked between the two writes.
    if (
      broadcast.completed_at === null &&
      Date.now() - claimedAt.getTime() < CLAIM_SETTLE_MS &&
      !(await this.deliveries.hasAny(id))
    ) {
      return true;
    }
    const graceMs = this.config.answers.graceSeconds * 1000;
    return this.deliveries.anyWindowOpenAfter(id, new Date(Date.now() - graceMs));
  }

  private async write(
    id: Types.ObjectId,
    input: NewBroadcast,
    channelId: string | null,
    people: MeetingPerson[],
    occurrenceUuid: string | null,
  ): Promise<CreatedBroadcast> {
    const now = new Date();
    const broadcast = await this.broadcasts.create({
      _id: id,
      meeting_id: input.meetingId,
      kind: input.kind,
      question_id: input.questionId ?? null,
      question: input.question ?? null,
      question_link: input.questionLink ?? null,
      message: input.message ?? null,
      anonymous: input.anonymous,
      mode: input.mode,
      channel_id: channelId,
      // The Clock's time, as the answer window's rules read it (a test sets both).
      opens_at: this.clock.now(),
      occurrence_uuid: occurrenceUuid,
    });

    const records: NewDelivery[] =
      channelId !== null
        ? [
            this.newDelivery({
              recipient_key: `channel:${channelId}`,
              name: 'Meeting chat channel',
              to_channel: channelId,
            }),
          ]
        : people.map((person) => this.personDelivery(person));
    await this.deliveries.createMany(broadcast._id, records, now);
    this.worker.kick();
    const pending = records.filter((r) => r.status === 'pending').length;
    const counts: DeliveryCounts = {
      total: records.length,
      pending,
      sending: 0,
      sent: 0,
      failed: 0,
      unreachable: records.length - pending,
      unconfirmed: 0,
    };
    return { broadcast, counts };
  }

  /** A person's delivery: to their Team Chat contact, or unreachable with the reason. */
  private personDelivery(person: MeetingPerson): NewDelivery {
    return this.newDelivery({
      recipient_key: person.person_key,
      // Zoom may send no user_name; a nameless person is still a recipient.
      name: person.name.trim() || person.email || 'Participant',
      email: person.email,
      zoom_user_id: person.zoom_user_id,
      // Team Chat's to_contact is the contact's email (docs/zoom.md §2).
      to_contact: person.reachable ? person.email : null,
      unreachable_reason: person.reachable
        ? null
        : (person.unreachable_reason ?? 'Team Chat cannot reach this person'),
    });
  }

  private newDelivery(
    fields: Partial<NewDelivery> & Pick<NewDelivery, 'recipient_key' | 'name'>,
  ): NewDelivery {
    const _id = new Types.ObjectId();
    const reachable = fields.to_contact || fields.to_channel;
    return {
      _id,
      email: null,
      zoom_user_id: null,
      to_contact: null,
      to_channel: null,
      unreachable_reason: null,
      ...fields,
      status: reachable ? 'pending' : 'unreachable',
      answer_token_hash: hashAnswerToken(answerToken(this.config.answers.tokenSecret, _id)),
    };
  }
}

/**
 * An anonymous question goes to each person by a personal link: the link is what lets the answer
 * be counted once per person while the answer itself names no one (the delivery records that it
 * was answered). A channel's one shared link has no such identity, only what people type, so one
 * person could answer any number of times and nobody could be reminded: refused.
 */
function refuseAnonymousChannel(mode: BroadcastMode, anonymous: boolean): void {
  if (!anonymous || mode !== 'channel') return;
  throw new BadRequestException({
    message:
      'An anonymous question cannot be sent with mode "channel": a shared link has no identity by which to count one answer per person; send it with mode "direct"',
    details: [{ field: 'anonymous', errors: ['anonymous is not possible with mode "channel"'] }],
  });
}

/**
 * Whether people of the meeting's current occurrence (`current`) are a run broadcast's audience:
 * the occurrence it was created in, or any when it was created while the meeting had none.
 */
function broadcastNotFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Broadcast ${id.toHexString()} not found`);
}

/**
 * A broadcast's id under an Idempotency-Key: 12 bytes of a hash of the claim's work key, the same
 * for every run of one request (IdempotencyClaim). Nothing reads a time out of a broadcast id.
 */
function broadcastIdOf(workKey: string): Types.ObjectId {
  return new Types.ObjectId(
    createHash('sha256').update(`broadcast:${workKey}`).digest('hex').slice(0, 24),
  );
}
