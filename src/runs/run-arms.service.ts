import {
  ConflictException,
  HttpException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { isDuplicateKey } from '../database/duplicate-key';
import { ParticipantsService } from '../participants/participants.service';
import { QuestionSetsService } from '../question-sets/question-sets.service';
import type { RunArmResponseDto } from './dto/run.response';
import { RunArmsRepository, type StoredArm } from './run-arms.repository';
import { ARM_TAKE_LEASE_MS, runIdOfArm } from './run-rules';
import { mayAccessRun, RunsService } from './runs.service';

/**
 * Armed starts (issue 16, docs/architecture.md §27): a run that starts by itself
 * `delay_seconds` after Zoom says its meeting started. Armed -> scheduled (the first instance
 * to learn of the start sets start_at) -> taken by one instance once due (a lease) -> started
 * (the run's id derived from the arm's, so a repeated start finds the run). Disarmed by DELETE.
 */
@Injectable()
export class RunArmsService {
  private readonly logger = new Logger(RunArmsService.name);

  constructor(
    private readonly arms: RunArmsRepository,
    private readonly runs: RunsService,
    private readonly sets: QuestionSetsService,
    private readonly participants: ParticipantsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Arms a start (the set and the meeting access are the caller's checks, RunsService.setForStart).
   * The same request repeated (its Idempotency-Key gives the id) answers the arm it made.
   */
  async arm(
    actor: Actor,
    input: {
      id: Types.ObjectId;
      setId: Types.ObjectId;
      meetingId: string;
      delaySeconds: number;
      durationSeconds: number | null;
    },
  ): Promise<StoredArm> {
    try {
      return await this.arms.insert({
        _id: input.id,
        set_id: input.setId,
        owner_id: actor.instructorId,
        owner_role: actor.role,
        meeting_id: input.meetingId,
        delay_seconds: input.delaySeconds,
        duration_seconds: input.durationSeconds,
      });
    } catch (error) {
      const existing = isDuplicateKey(error) ? await this.arms.byId(input.id) : null;
      if (existing) return existing;
      throw error;
    }
  }

  /** DELETE /api/run-arms/{id}: 404 for another's arm; 409 once it started (or is starting). */
  async disarm(actor: Actor, id: Types.ObjectId): Promise<void> {
    const arm = await this.arms.byId(id);
    if (!arm || !mayAccessRun(actor, arm)) throw armNotFound(id);
    if (arm.state === 'disarmed') return;
    const now = this.clock.now();
    if (await this.arms.disarm(id, new Date(now.getTime() - ARM_TAKE_LEASE_MS))) return;
    const fresh = (await this.arms.byId(id)) ?? arm;
    if (fresh.state === 'disarmed') return;
    throw new ConflictException({
      message:
        fresh.state === 'started'
          ? `Armed start ${id.toHexString()} has started run ${fresh.run_id?.toHexString() ?? '?'}: end the run instead (POST /api/runs/{id}/end)`
          : `Armed start ${id.toHexString()} is being started right now: end its run instead`,
      details: { run_id: fresh.run_id?.toHexString() ?? null, state: fresh.state },
    });
  }

  /** The meeting's armed starts in every state, newest first, the actor's only (all for an admin). */
  async listIn(actor: Actor, meetingId: string): Promise<StoredArm[]> {
    const states = ['armed', 'scheduled', 'started', 'disarmed'] as const;
    const arms = await this.arms.inMeeting(meetingId, [...states]);
    return arms.filter((arm) => mayAccessRun(actor, arm));
  }

  /**
   * The meeting started (Zoom's meeting.started, or the sweep finding an occurrence that began
   * after an arm was made): its armed arms made before `startedAt` are scheduled for
   * `startedAt + delay`. Each is one conditional update: every instance may call this.
   * Answers the earliest start_at scheduled, for a timer.
   */
  async schedule(meetingId: string, startedAt: Date): Promise<Date | null> {
    let earliest: Date | null = null;
    for (const arm of await this.arms.inMeeting(meetingId, ['armed'])) {
      // An arm made during a meeting waits for the next start of it (start: on_meeting_start).
      if (arm.created_at.getTime() > startedAt.getTime()) continue;
      const startAt = new Date(startedAt.getTime() + arm.delay_seconds * 1000);
      if (await this.arms.schedule(arm._id, startAt)) {
        if (earliest === null || startAt < earliest) earliest = startAt;
      }
    }
    return earliest;
  }

  /**
   * The sweep's cover for a meeting.started another instance handled (and died before
   * scheduling) or that never came: arms whose meeting's current occurrence began after them.
   */
  async scheduleStarted(): Promise<void> {
    const meetings = new Set((await this.arms.armed()).map((a) => a.meeting_id));
    for (const meetingId of meetings) {
      const occurrence = await this.participants.currentOccurrence(meetingId);
      if (occurrence && !occurrence.ended) await this.schedule(meetingId, occurrence.started);
    }
  }

  /** Starts every scheduled arm that is due, each taken by one instance (a lease). */
  async startDue(): Promise<void> {
    const now = this.clock.now();
    for (const arm of await this.arms.due(now)) {
      const staleBefore = new Date(now.getTime() - ARM_TAKE_LEASE_MS);
      if (!(await this.arms.take(arm._id, now, staleBefore))) continue;
      await this.startArm(arm);
    }
  }

  private async startArm(arm: StoredArm): Promise<void> {
    const runId = runIdOfArm(arm._id);
    // A delay that ran past the meeting's end: the lesson is over, so the run does not start.
    const occurrence = await this.participants.currentOccurrence(arm.meeting_id);
    if (!occurrence || occurrence.ended) {
      const reason = `Meeting ${arm.meeting_id} ended before the armed start was due`;
      this.logger.warn(`Armed start ${arm._id.toHexString()} not started: ${reason}`);
      await this.arms.failed(arm._id, reason);
      return;
    }
    try {
      // The start acts as whoever armed it: their sets as they may see them now.
      const set = await this.sets.forRun(armActor(arm), arm.set_id);
      await this.runs.startRun(set, {
        meetingId: arm.meeting_id,
        runId,
        durationSeconds: arm.duration_seconds,
        armId: arm._id,
        ownerId: arm.owner_id,
      });
      await this.arms.started(arm._id, runId);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() < 500) {
        // The set is gone, a question left the bank, or a run of the set is live: said on the arm.
        this.logger.warn(`Armed start ${arm._id.toHexString()} refused: ${error.message}`);
        await this.arms.failed(arm._id, error.message);
        return;
      }
      // Anything else (the database away): the take's lease runs out and a sweep tries again.
      this.logger.warn(
        `Armed start ${arm._id.toHexString()} failed for now: ${(error as Error).message}`,
      );
    }
  }
}

export function toArmResponse(arm: StoredArm): RunArmResponseDto {
  return {
    id: arm._id.toHexString(),
    set_id: arm.set_id.toHexString(),
    meeting_id: arm.meeting_id,
    delay_seconds: arm.delay_seconds,
    state: arm.state,
    start_at: arm.start_at ? arm.start_at.toISOString() : null,
    run_id: arm.run_id ? arm.run_id.toHexString() : null,
    error: arm.error ?? null,
    created_at: arm.created_at.toISOString(),
  };
}

/** Whoever armed it, as an Actor for the set's ownership check (no credential: a job). */
function armActor(arm: StoredArm): Actor {
  return {
    instructorId: arm.owner_id,
    role: arm.owner_role,
    name: 'Armed start',
    email: null,
    zoomUserId: null,
    credentialId: null,
    keyPrefix: `arm_${arm._id.toHexString()}`,
    credentialExpiresAt: null,
  };
}

function armNotFound(id: Types.ObjectId): NotFoundException {
  return new NotFoundException(`Armed start ${id.toHexString()} not found`);
}
