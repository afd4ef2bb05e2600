import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Types } from 'mongoose';
import { ApiMeetingAccess } from '../access/api-meeting-access.decorator';
import { MeetingIdParamDto } from '../broadcasts/dto/send.dto';
import { BroadcastsService } from '../broadcasts/broadcasts.service';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { Idempotent, IdempotencyWorkKey } from '../idempotency/idempotent.decorator';
import { replayCheck } from '../idempotency/replay-check';
import { MeetingRunsResponseDto, RunArmResponseDto, RunResponseDto } from './dto/run.response';
import { NextRunDto, StartRunDto } from './dto/start-run.dto';
import { RunArmsService } from './run-arms.service';
import { RunStarter } from './run-starter.service';
import { RunsService } from './runs.service';

const NO_RUN = "No such run, or one you may not see (another instructor's)";

/** A replayed start is refused as a new one would be (ReplayCheck): 'send' in the meeting. */
const MAY_START = replayCheck(BroadcastsService, (broadcasts, actor, { body }) =>
  broadcasts.requireSend(actor, String(body.meeting_id)),
);

/** Runs of question sets (issue 16, docs/architecture.md §27). */
@ApiTags('runs')
@ApiExtraModels(RunArmResponseDto)
@Controller('api')
export class RunsController {
  constructor(
    private readonly starter: RunStarter,
    private readonly runs: RunsService,
    private readonly arms: RunArmsService,
  ) {}

  @Post('question-sets/:id/runs')
  @RequireRole('instructor')
  @Idempotent(MAY_START)
  @ApiOperation({
    summary: 'Run a question set in a meeting (now, or armed for the meeting start)',
    description:
      'start "now" (default): every reachable person in the meeting gets one Team Chat message for the whole run, with a personal run link; people who join later get theirs when they join, while the run is running. 201 with the run. start "on_meeting_start": 202 with the armed start; the run starts by itself delay_seconds after Zoom says the meeting started (a start after this request). One run of a set at a time per meeting.',
  })
  @ApiObjectIdParam('id', 'Question set id')
  @ApiCreatedResponse({ type: RunResponseDto, description: 'Started (start "now")' })
  @ApiAcceptedResponse({ type: RunArmResponseDto, description: 'Armed (start "on_meeting_start")' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'No such question set, or one you may not see',
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'A run of this set is already starting or running in the meeting (`details.running_run_id`); questions of the set are gone from the bank; or a request with the same Idempotency-Key is still running',
  })
  @ApiMeetingAccess({ notFound: false })
  async start(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: StartRunDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @IdempotencyWorkKey() workKey: string | null,
  ): Promise<RunResponseDto | RunArmResponseDto> {
    const started = await this.starter.start(actor, id, dto, workKey);
    void reply.status(started.kind === 'run' ? HttpStatus.CREATED : HttpStatus.ACCEPTED);
    return started.body;
  }

  @Delete('run-arms/:id')
  @RequireRole('instructor')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Disarm an armed start',
    description: 'Disarming again changes nothing (204).',
  })
  @ApiObjectIdParam('id', 'Armed start id')
  @ApiNoContentResponse({ description: 'Disarmed' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such armed start, or not yours' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'It has started its run (or is starting it): end the run instead',
  })
  async disarm(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<void> {
    await this.arms.disarm(actor, id);
  }

  @Get('runs/:id')
  @RequireRole('assistant')
  @ApiOperation({
    summary: 'A run: state, current question, deadline, counts, questions',
  })
  @ApiObjectIdParam('id', 'Run id')
  @ApiOkResponse({ type: RunResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_RUN })
  @ApiMeetingAccess({ notFound: false })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<RunResponseDto> {
    return this.runs.view(actor, id);
  }

  @Post('runs/:id/next')
  @RequireRole('instructor')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Move an instructor-paced run to its next question',
    description:
      'Closes the current question and opens the next with its own time limit; next on the last question ends the run (end_reason "finished"). Give `current_index` to make a double click safe.',
  })
  @ApiObjectIdParam('id', 'Run id')
  @ApiBody({ type: NextRunDto, required: false })
  @ApiOkResponse({ type: RunResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_RUN })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      '`current_index` is no longer the current question (`details.current_index`); the run is self-paced, still starting, or has ended',
  })
  @ApiMeetingAccess({ notFound: false })
  async next(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: NextRunDto = {},
  ): Promise<RunResponseDto> {
    return this.runs.toResponse(await this.runs.next(actor, id, dto?.current_index ?? null));
  }

  @Post('runs/:id/end')
  @RequireRole('instructor')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'End a run now',
    description:
      'Closes every question of the run (end_reason "instructor"). Ending an ended run changes nothing.',
  })
  @ApiObjectIdParam('id', 'Run id')
  @ApiOkResponse({ type: RunResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_RUN })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The run is still starting' })
  @ApiMeetingAccess({ notFound: false })
  async end(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<RunResponseDto> {
    return this.runs.toResponse(await this.runs.end(actor, id));
  }

  @Get('meetings/:meeting_id/runs')
  @RequireRole('assistant')
  @ApiOperation({
    summary: "A meeting's runs and its armed starts (newest first)",
  })
  @ApiOkResponse({ type: MeetingRunsResponseDto })
  @ApiMeetingAccess()
  async listForMeeting(
    @CurrentActor() actor: Actor,
    @Param() params: MeetingIdParamDto,
  ): Promise<MeetingRunsResponseDto> {
    return this.starter.listForMeeting(actor, params.meeting_id);
  }
}
