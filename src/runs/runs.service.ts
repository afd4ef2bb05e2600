import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import { EventEmitter } from 'node:events';
import type { MeetingLevel } from '../access/access.types';
import { MeetingAccessService } from '../access/meeting-access.service';
import { AnswerRecordsService } from '../answers/answer-records.service';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import type { Actor } from '../common/auth/actor';
import { ownedBy } from '../common/auth/owner-filter';
import { Clock } from '../common/clock';
import type { PersonIdentity } from '../common/personal-data';
import { isDuplicateKey } from '../database/duplicate-key';
import { ParticipantsService } from '../participants/participants.service';
import type { SetForRun } from '../question-sets/question-set.types';
import { QuestionSetsService } from '../question-sets/question-sets.service';
import type { RunResponseDto } from './dto/run.response';
import {
  activeKey,
  endFields,
  nextFields,
  runBroadcastIds,
  runningFields,
  stepsToClose,
} from './run-rules';
import type { RunChangedEvent, RunEndReason, RunRecord } from './run.types';
import { RunsRepository, type StoredRun } from './runs.repository';

/** How a run starts (POST /api/question-sets/{id}/runs with start "now", or an armed start). */
export interface RunStart {
  meetingId: string;
  /** The run's id: new, from the request's Idempotency-Key, or from the arm (a repeat finds it). */
  runId: Types.ObjectId;
  /** Self pacing: the run's length (null: the default, selfPacedSeconds). */
  durationSeconds: number | null;
  armId: Types.ObjectId | null;
  /** Who starts it (Actor.instructorId; null: a bootstrap key): the run is theirs. */
  ownerId: string | null;
}

/** Runs deleted per round of the retention purge. */
const PURGE_BATCH = 100;

/** Tries of `end` when other moves (next, auto-advance) keep coming first. */
const END_TRIES = 5;

/**
 * Runs of question sets (issue 16): start (now or armed for `meeting.started`), next, end, the
 * state every page and route reads. State lives in the run document only (RunRecord); every
 * transition is one conditional update on it and bumps `version`.
 */
@Injectable()
export class RunsService {
  private readonly logger = new Logger(RunsService.name);
  /** 'changed' (RunChangedEvent, run.types.ts) after a transition made on this instance. */
  readonly events = new EventEmitter();

  constructor(
    private readonly runs: RunsRepository,
    private readonly sets: QuestionSetsService,
    private readonly broadcasts: BroadcastsService,
    private readonly participants: ParticipantsService,
    private readonly access: MeetingAccessService,
    private readonly answers: AnswerRecordsService,
    private readonly clock: Clock,
  ) {
    this.events.setMaxListeners(0);
  }

  /** The run as stored now (never cached: another instance may have moved it), or null. */
  async byId(id: Types.ObjectId): Promise<RunRecord | null> {
    return this.runs.byId(id);
  }

  /**
   * The run if the actor may act on it at `level` in its meeting (docs/architecture.md §10):
   * 404 for a run the actor may not see (another instructor's: owned like questions, and
   * the meeting's access rule), 403 when they may see but not act.
   */
  async authorize(actor: Actor, id: Types.ObjectId, level: MeetingLevel): Promise<RunRecord> {
    return this.authorized(actor, id, level);
  }

  /**
   * The set, checked for a start by this actor in this meeting: 404 for a set they may not see,
   * 409 for questions gone from the bank (QuestionSetsService.forRun), 400 for a length asked of
   * an instructor-paced set, 403 without 'send' in the meeting.
   */
  async setForStart(
    actor: Actor,
    setId: Types.ObjectId,
    meetingId: string,
    durationSeconds: number | null,
  ): Promise<SetForRun> {
    const set = await this.sets.forRun(actor, setId);
    if (durationSeconds !== null && set.pacing !== 'self') {
      throw new BadRequestException({
        message: `duration_seconds is for self-paced sets; set ${setId.toHexString()} is paced by the instructor (each question has its own time limit)`,
        details: [{ field: 'duration_seconds', errors: ['only for a self-paced set'] }],
      });
    }
    await this.broadcasts.requireSend(actor, meetingId);
    return set;
  }

  /**
   * Starts a run of `set` (checked by setForStart, or by the arm), durably and repeat-safe:
   * (1) the run is written 'starting' with the ids of its broadcasts chosen up front, (2) its
   * step broadcasts, (3) its run broadcast (the messages go out), (4) the conditional update to
   * 'running'. A start cut short after (1) is finished by the runs worker with the same steps;
   * a repeat with the same run id (Idempotency-Key, arm) finds the run and finishes it.
   * 409 naming the live run when another run of the set is starting or running in the meeting.
   */
  async startRun(set: SetForRun, start: RunStart): Promise<StoredRun> {
    if (set.questions.length === 0) {
      throw new ConflictException(
        `Question set ${set.id.toHexString()} has no questions: add some before running it`,
      );
    }
    const occurrence = await this.participants.currentOccurrence(start.meetingId);
    const { broadcastId, stepIds } = runBroadcastIds(start.runId, set.questions.length);
    const now = this.clock.now();
    const key = activeKey(start.meetingId, set.id);
    const run: Omit<StoredRun, 'created_at' | 'updated_at'> = {
      _id: start.runId,
      set_id: set.id,
      owner_id: start.ownerId,
      title: set.title,
      meeting_id: start.meetingId,
      occurrence_uuid: occurrence && !occurrence.ended ? occurrence.uuid : null,
      pacing: set.pacing,
      show_results_between: set.show_results_between,
      anonymous: set.anonymous,
      speed_scoring: set.anonymous ? false : set.speed_scoring,
      auto_advance_seconds: set.pacing === 'instructor' ? set.auto_advance_seconds : null,
      broadcast_id: broadcastId,
      steps: set.questions.map((q, i) => ({
        question_id: q.question_id,
        broadcast_id: stepIds[i],
        time_limit: q.question.time_limit,
      })),
      step_questions: set.questions.map((q) => q.question),
      state: 'starting',
      current_index: 0,
      current_opened_at: null,
      current_deadline: null,
      ends_at: null,
      duration_seconds: set.pacing === 'self' ? start.durationSeconds : null,
      started_at: now,
      ended_at: null,
      end_reason: null,
      version: 0,
      arm_id: start.armId,
      active_key: key,
      closing: false,
    };
    let stored: StoredRun | null = null;
    try {
      await this.runs.insert(run);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      stored = await this.runs.byId(start.runId);
      if (!stored) throw await this.liveConflict(key, set.id, start.meetingId);
      this.logger.warn(
        `Run ${start.runId.toHexString()} was started before (a repeated start): finishing it, not starting another`,
      );
    }
    return this.finishStart(stored ?? (await this.runs.byId(start.runId)) ?? (run as StoredRun));
  }

  /**
   * Steps (2) to (4) of startRun, each safe to repeat: for a start cut short (the runs worker
   * calls it for a run 'starting' for a while) and for a repeated start. A run already past
   * 'starting' is answered as it is.
   */
  async finishStart(run: StoredRun): Promise<StoredRun> {
    if (run.state !== 'starting') return run;
    await this.broadcasts.createRunSteps({
      meetingId: run.meeting_id,
      runId: run._id,
      occurrenceUuid: run.occurrence_uuid,
      anonymous: run.anonymous,
      steps: run.steps.map((step, index) => ({
        id: step.broadcast_id,
        questionId: step.question_id,
        question: run.step_questions[index],
        index,
      })),
    });
    await this.broadcasts.createRunBroadcast({
      id: run.broadcast_id,
      meetingId: run.meeting_id,
      runId: run._id,
      title: run.title,
      questionCount: run.steps.length,
      anonymous: run.anonymous,
      occurrenceUuid: run.occurrence_uuid,
    });
    const now = this.clock.now();
    const running = await this.runs.transition(run, {
      state: 'running',
      started_at: now,
      ...runningFields(run, now),
    });
    if (running) {
      this.changed(running);
      return running;
    }
    // Another instance (or the worker) finished the same start first.
    return (await this.runs.byId(run._id)) ?? run;
  }

  /**
   * POST /api/runs/{id}/next: closes the current question and opens the next with its own
   * deadline; past the last one the run ends ('finished'). `expectedIndex`, when given, must be
   * the current position (409 otherwise: a double click never skips a question); without it,
   * a request that loses the race to another move answers the run as that move left it.
   */
  async next(actor: Actor, id: Types.ObjectId, expectedIndex: number | null): Promise<StoredRun> {
    const run = await this.authorized(actor, id, 'send');
    refuseUnlessRunning(run);
    if (run.pacing === 'self') {
      throw new ConflictException(
        `Run ${id.toHexString()} is self-paced: each person moves on at their own pace; end it with POST /api/runs/${id.toHexString()}/end`,
      );
    }
    if (expectedIndex !== null && expectedIndex !== run.current_index) {
      throw staleIndex(run, expectedIndex);
    }
    const moved = await this.advance(run);
    if (moved) return moved;
    const now = (await this.runs.byId(id)) ?? run;
    if (expectedIndex !== null) throw staleIndex(now, expectedIndex);
    return now;
  }

  /** POST /api/runs/{id}/end: ends it now (reason 'instructor'); an ended run stays as it is. */
  async end(actor: Actor, id: Types.ObjectId): Promise<StoredRun> {
    let run = await this.authorized(actor, id, 'send');
    for (let attempt = 0; attempt < END_TRIES; attempt++) {
      if (run.state === 'ended') return run;
      refuseUnlessRunning(run);
      const ended = await this.endRun(run, 'instructor');
      if (ended) return ended;
      run = (await this.runs.byId(id)) ?? run;
    }
    throw new ConflictException(
      `Run ${id.toHexString()} kept changing while it was being ended; try again`,
    );
  }

  /**
   * Instructor pacing: the move past the current question, as a conditional update on the run
   * as read; null when another move came first. The runs worker's auto-advance uses it too.
   */
  async advance(run: StoredRun): Promise<StoredRun | null> {
    const moved = await this.runs.transition(run, nextFields(run, this.clock.now()));
    if (moved) await this.afterMove(moved);
    return moved;
  }

  /** Ends a running run (conditional, like every move); null when another move came first. */
  async endRun(run: StoredRun, reason: RunEndReason): Promise<StoredRun | null> {
    const ended = await this.runs.transition(run, endFields(run._id, reason, this.clock.now()));
    if (ended) await this.afterMove(ended);
    return ended;
  }

  /**
   * Closes the step broadcasts a move left behind (stepsToClose) and clears `closing`; called
   * right after the move, and by the runs worker for a move whose closing a crash cut short.
   */
  async closeLeftBehind(run: StoredRun): Promise<void> {
    for (const stepId of stepsToClose(run)) await this.broadcasts.closeStep(stepId);
    await this.runs.closed(run._id, run.version);
  }

  /**
   * Retention (docs/architecture.md §14): runs created before `cutoff` with everyone's places
   * in them (their broadcasts and answers go with the other broadcasts of their age).
   */
  async purgeBefore(cutoff: Date): Promise<number> {
    let purged = 0;
    for (;;) {
      const removed = await this.runs.purgeBefore(cutoff, PURGE_BATCH);
      purged += removed;
      if (removed < PURGE_BATCH) return purged;
    }
  }

  /** Erasure: the person's places in runs (run_progress, keyed by their person key). */
  async erasePerson(person: PersonIdentity): Promise<number> {
    return this.runs.erasePerson([...new Set([...person.personKeys, ...person.zoomUserIds])]);
  }

  /** GET /api/runs/{id}. */
  async view(actor: Actor, id: Types.ObjectId): Promise<RunResponseDto> {
    return this.toResponse(await this.authorized(actor, id, 'read'));
  }

  /** GET /api/meetings/{meeting_id}/runs: the actor's runs there (all for an admin), newest first. */
  async listForMeeting(actor: Actor, meetingId: string): Promise<RunResponseDto[]> {
    await this.access.require(actor, meetingId, 'read');
    const runs = await this.runs.forMeeting(meetingId, runOwnerFilter(actor));
    return Promise.all(runs.map((run) => this.toResponse(run)));
  }

  /** The run as the API shows it, with its counts read now. */
  async toResponse(run: StoredRun): Promise<RunResponseDto> {
    // Counted by the database (one aggregate for every step), never by loading the answers:
    // the console's run page reads this every few seconds while a class answers.
    const [recipients, counted] = await Promise.all([
      this.broadcasts.counts(run.broadcast_id),
      this.answers.countsFor(run.steps.map((s) => s.broadcast_id)),
    ]);
    const perStep = run.steps.map((s) => counted.get(s.broadcast_id.toHexString()) ?? 0);
    const current =
      run.state === 'running' && run.pacing === 'instructor' ? run.current_index : null;
    const question = current === null ? null : run.step_questions[current];
    return {
      id: run._id.toHexString(),
      set_id: run.set_id.toHexString(),
      meeting_id: run.meeting_id,
      title: run.title,
      pacing: run.pacing,
      state: run.state,
      end_reason: run.end_reason,
      version: run.version,
      show_results_between: run.show_results_between,
      anonymous: run.anonymous,
      speed_scoring: run.speed_scoring,
      auto_advance_seconds: run.auto_advance_seconds,
      broadcast_id: run.broadcast_id.toHexString(),
      current_question:
        current === null || question === null
          ? null
          : {
              id: run.steps[current].question_id.toHexString(),
              index: current,
              title: question.title,
              question_text: question.question_text,
              type: question.type,
              time_limit: question.time_limit,
              opened_at: iso(run.current_opened_at) ?? iso(run.started_at)!,
              deadline: iso(run.current_deadline) ?? iso(run.started_at)!,
              step_broadcast_id: run.steps[current].broadcast_id.toHexString(),
            },
      ends_at: iso(run.ends_at),
      started_at: run.started_at.toISOString(),
      ended_at: iso(run.ended_at),
      counts: {
        recipients: { ...recipients },
        current_answers: current === null ? null : perStep[current],
        answered_per_question: perStep,
      },
      steps: run.steps.map((step, index) => ({
        index,
        question_id: step.question_id.toHexString(),
        title: run.step_questions[index].title,
        type: run.step_questions[index].type,
        time_limit: step.time_limit,
        step_broadcast_id: step.broadcast_id.toHexString(),
        answers: perStep[index],
      })),
      arm_id: run.arm_id ? run.arm_id.toHexString() : null,
    };
  }

  private async authorized(actor: Actor, id: Types.ObjectId, level: MeetingLevel) {
    const run = await this.runs.byId(id);
    if (!run || !mayAccessRun(actor, run)) throw runNotFound(id);
    await this.access.requireOnData(actor, run.meeting_id, level, () => runNotFound(id));
    return run;
  }

  /** After a move made here: announce it, then close what it left behind (the worker retries). */
  private async afterMove(run: StoredRun): Promise<void> {
    this.changed(run);
    try {
      await this.closeLeftBehind(run);
    } catch (error) {
      this.logger.warn(
        `Run ${run._id.toHexString()}: closing its past questions failed (${(error as Error).message}); the runs worker closes them`,
      );
    }
  }

  private changed(run: StoredRun): void {
    const event: RunChangedEvent = { runId: run._id.toHexString(), version: run.version };
    this.events.emit('changed', event);
  }

  private async liveConflict(
    key: string,
    setId: Types.ObjectId,
    meetingId: string,
  ): Promise<ConflictException> {
    const live = await this.runs.liveByKey(key);
    const id = live?._id.toHexString() ?? null;
    return new ConflictException({
      message: id
        ? `A run of question set ${setId.toHexString()} is already ${live!.state} in meeting ${meetingId} (run ${id}); end it first (POST /api/runs/${id}/end)`
        : `A run of question set ${setId.toHexString()} was being started in meeting ${meetingId} at the same time; try again`,
      details: { running_run_id: id },
    });
  }
}

/**
 * Whose runs (and armed starts) are whose (docs/architecture.md §27): owned like questions
 * (ownedBy, owner-filter.ts): an admin reaches every one, an instructor their own, another
 * instructor's is a 404. An assistant works for meetings they are granted in: for them the
 * meeting's access rule alone decides (it never gives an assistant more than 'remind').
 */
export function mayAccessRun(actor: Actor, run: { owner_id: string | null }): boolean {
  if (actor.role === 'admin' || actor.role === 'assistant') return true;
  return actor.instructorId !== null && run.owner_id === actor.instructorId;
}

/** mayAccessRun as a filter on `owner_id` for a meeting's list (after its access check). */
export function runOwnerFilter(actor: Actor): ReturnType<typeof ownedBy> {
  return actor.role === 'assistant' ? {} : ownedBy(actor);
}

function refuseUnlessRunning(run: RunRecord): void {
  if (run.state === 'running') return;
  const id = run._id.toHexString();
  throw new ConflictException(
    run.state === 'starting'
      ? `Run ${id} is still starting (its messages are being written); try again in a moment`
      : `Run ${id} has ended (${run.end_reason ?? 'ended'})`,
  );
}

function staleIndex(run: RunRecord, expected: number): ConflictException {
  const id = run._id.toHexString();
  return new ConflictException({
    message:
      run.state === 'running'
        ? `Run ${id} is at question ${run.current_index}, not ${expected}: it moved on already (reload it before moving on)`
        : `Run ${id} has ended (${run.end_reason ?? 'ended'}): it moved on already`,
    details: { current_index: run.current_index, state: run.state, version: run.version },
  });
}

function runNotFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Run ${id.toHexString()} not found`);
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
