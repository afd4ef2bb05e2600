import { BadRequestException, Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { Actor } from '../common/auth/actor';
import type { MeetingRunsResponseDto, RunArmResponseDto, RunResponseDto } from './dto/run.response';
import type { StartRunDto } from './dto/start-run.dto';
import { RunArmsService, toArmResponse } from './run-arms.service';
import { derivedId } from './run-rules';
import { RunsService } from './runs.service';

/** What POST /api/question-sets/{id}/runs made: a run (201) or an armed start (202). */
export type StartOutcome =
  { kind: 'run'; body: RunResponseDto } | { kind: 'arm'; body: RunArmResponseDto };

/**
 * The run routes that span runs and armed starts (issue 16): starting now or arming, and a
 * meeting's list of both. The rules are RunsService's and RunArmsService's.
 */
@Injectable()
export class RunStarter {
  constructor(
    private readonly runs: RunsService,
    private readonly arms: RunArmsService,
  ) {}

  /**
   * POST /api/question-sets/{id}/runs. Under an Idempotency-Key the run's (or arm's) id comes
   * from it, so a repeat whose first answer was never kept finds what the first made.
   */
  async start(
    actor: Actor,
    setId: Types.ObjectId,
    dto: StartRunDto,
    workKey: string | null,
  ): Promise<StartOutcome> {
    const armed = dto.start === 'on_meeting_start';
    if (!armed && (dto.delay_seconds ?? 0) > 0) {
      throw new BadRequestException({
        message:
          'delay_seconds is for start "on_meeting_start" (the wait after the meeting starts)',
        details: [{ field: 'delay_seconds', errors: ['only with start "on_meeting_start"'] }],
      });
    }
    const duration = dto.duration_seconds ?? null;
    const set = await this.runs.setForStart(actor, setId, dto.meeting_id, duration);
    if (armed) {
      const arm = await this.arms.arm(actor, {
        id: workKey ? derivedId('arm', workKey) : new Types.ObjectId(),
        setId: set.id,
        meetingId: dto.meeting_id,
        delaySeconds: dto.delay_seconds ?? 0,
        durationSeconds: duration,
      });
      return { kind: 'arm', body: toArmResponse(arm) };
    }
    const run = await this.runs.startRun(set, {
      meetingId: dto.meeting_id,
      runId: workKey ? derivedId('run', workKey) : new Types.ObjectId(),
      durationSeconds: duration,
      armId: null,
      ownerId: actor.instructorId,
    });
    return { kind: 'run', body: await this.runs.toResponse(run) };
  }

  /** GET /api/meetings/{meeting_id}/runs. */
  async listForMeeting(actor: Actor, meetingId: string): Promise<MeetingRunsResponseDto> {
    const items = await this.runs.listForMeeting(actor, meetingId);
    const arms = await this.arms.listIn(actor, meetingId);
    return { meeting_id: meetingId, items, arms: arms.map(toArmResponse) };
  }
}
