import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadGatewayResponse,
  ApiBody,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiMeetingAccess } from '../access/api-meeting-access.decorator';
import type { FastifyReply } from 'fastify';
import { Types } from 'mongoose';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { AppConfig } from '../config/app-config';
import { Idempotent, IdempotencyWorkKey } from '../idempotency/idempotent.decorator';
import { replayCheck } from '../idempotency/replay-check';
import { BroadcastsService } from './broadcasts.service';
import {
  BroadcastControlsResponseDto,
  BroadcastListResponseDto,
  BroadcastResponseDto,
  LegacySendResponseDto,
  RetryResponseDto,
  toBroadcastResponse,
  toControlsResponse,
  toLegacyResponse,
} from './dto/broadcast.response';
import { MeetingIdParamDto, RetryDto, SendLinkDto, SendQuestionDto } from './dto/send.dto';

const NO_BROADCAST = 'No such broadcast, or one in a meeting you may not read';

/** A replayed send or retry is refused as a new one would be (ReplayCheck). */
const MAY_SEND = replayCheck(BroadcastsService, (broadcasts, actor, { body }) =>
  // A JSON number or a string: String() is what SendQuestionDto's transform makes of either.
  broadcasts.requireSend(actor, String(body.meeting_id)),
);
const MAY_RETRY = replayCheck(BroadcastsService, (broadcasts, actor, { params }) =>
  broadcasts.authorizeRetry(actor, new Types.ObjectId(params.id)),
);

@ApiTags('broadcasts')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid body or id' })
@Controller('api')
export class BroadcastsController {
  constructor(
    private readonly broadcasts: BroadcastsService,
    private readonly config: AppConfig,
  ) {}

  @Post('send-question')
  @RequireRole('instructor')
  @Audited('link.sent')
  @Idempotent(MAY_SEND)
  @ApiOperation({
    summary: 'Send a link to everyone in a meeting (original API)',
    description:
      'Sends `question_link` by Zoom Team Chat to each person in the meeting now, once per person. Waits for the send to finish up to SEND_WAIT_SECONDS (200); past that answers 202 with the progress so far (follow GET /api/broadcasts/{broadcast_id}).',
  })
  @ApiOkResponse({ type: LegacySendResponseDto, description: 'Finished' })
  @ApiAcceptedResponse({ type: LegacySendResponseDto, description: 'Still sending' })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'No one is in the meeting, or a request with the same Idempotency-Key is still running',
  })
  @ApiMeetingAccess()
  async sendLink(
    @CurrentActor() actor: Actor,
    @Body() dto: SendLinkDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @IdempotencyWorkKey() workKey: string | null,
  ): Promise<LegacySendResponseDto> {
    const created = await this.broadcasts.sendLink(
      actor,
      dto.meeting_id,
      dto.question_link,
      dto.message ?? null,
      workKey,
      dto.anonymous ?? false,
    );
    const state = await this.broadcasts.progressOf(
      created,
      this.config.delivery.sendWaitSeconds * 1000,
    );
    void reply.status(state.done ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return toLegacyResponse(state.broadcast, state.counts, state.deliveries);
  }

  @Post('questions/:id/send')
  @RequireRole('instructor')
  @Audited('question.sent')
  @HttpCode(HttpStatus.ACCEPTED)
  @Idempotent(MAY_SEND)
  @ApiOperation({
    summary: 'Send a question from the bank to a meeting',
    description:
      "Creates a broadcast: one delivery record per person in the meeting now, each with a personal answer link; the durable sender delivers them within Zoom's rate limit. Each recipient may answer for the question's time_limit from the moment their message was sent.",
  })
  @ApiObjectIdParam('id', 'Question id')
  @ApiAcceptedResponse({ type: BroadcastResponseDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'No such question, or (mode channel) Zoom does not know the meeting',
  })
  @ApiBadGatewayResponse({
    type: ErrorBodyDto,
    description: "Zoom refused (mode channel): Zoom's reason and code",
  })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'No one in the meeting; no meeting chat channel (mode channel); the question is still open in the meeting (`details.open_broadcast_id` names that broadcast; `allow_duplicate` sends anyway); or a request with the same Idempotency-Key is still running',
  })
  async sendQuestion(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: SendQuestionDto,
    @IdempotencyWorkKey() workKey: string | null,
  ): Promise<BroadcastResponseDto> {
    const created = await this.broadcasts.sendQuestion(actor, id, dto.meeting_id, {
      mode: dto.mode ?? 'direct',
      allowDuplicate: dto.allow_duplicate ?? false,
      anonymous: dto.anonymous ?? false,
      workKey,
    });
    const state = await this.broadcasts.progressOf(created, 0);
    return toBroadcastResponse(state.broadcast, state.counts);
  }

  @Get('broadcasts/:id')
  @RequireRole('assistant')
  @ApiOperation({ summary: 'A broadcast: status, counts by delivery status, and every recipient' })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiOkResponse({ type: BroadcastResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<BroadcastResponseDto> {
    const state = await this.broadcasts.view(actor, id);
    return toBroadcastResponse(state.broadcast, state.counts, state.deliveries);
  }

  @Get('meetings/:meeting_id/broadcasts')
  @RequireRole('assistant')
  @ApiOperation({ summary: 'Broadcasts sent to a meeting, newest first' })
  @ApiOkResponse({ type: BroadcastListResponseDto })
  @ApiMeetingAccess()
  async listForMeeting(
    @CurrentActor() actor: Actor,
    @Param() params: MeetingIdParamDto,
  ): Promise<BroadcastListResponseDto> {
    const list = await this.broadcasts.listForMeeting(actor, params.meeting_id);
    return {
      items: list.map((b) => toBroadcastResponse(b.broadcast, b.counts)),
      total: list.length,
    };
  }

  @Post('broadcasts/:id/retry')
  @RequireRole('instructor')
  @Audited('broadcast.retried')
  @HttpCode(HttpStatus.ACCEPTED)
  @Idempotent(MAY_RETRY)
  @ApiOperation({
    summary: 'Send again to the failed recipients',
    description:
      'Queues `failed` recipients again. `unconfirmed` ones (a message went out, no answer came back, and Zoom could not confirm it arrived) are left alone unless the body says `include_unconfirmed: true`: Team Chat cannot tell a resend from a new message, so they may get a second copy.',
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiBody({ type: RetryDto, required: false })
  @ApiAcceptedResponse({ type: RetryResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'A request with the same Idempotency-Key is still running',
  })
  async retry(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
    @Body() dto: RetryDto = {},
  ): Promise<RetryResponseDto> {
    const requeued = await this.broadcasts.retryFailed(
      actor,
      id,
      dto?.include_unconfirmed === true,
    );
    const state = await this.broadcasts.state(id);
    return { requeued, broadcast: toBroadcastResponse(state.broadcast, state.counts) };
  }

  @Post('broadcasts/:id/close')
  @HttpCode(HttpStatus.OK)
  @RequireRole('instructor')
  @ApiOperation({
    summary: 'Close the answer window for everyone now',
    description:
      "Every recipient's window ends now (no grace period): an answer that arrives after this answers 410, on every instance, and reminders stop. Idempotent: closing again keeps the first close time. The question may then be sent to the meeting again without allow_duplicate.",
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiOkResponse({ type: BroadcastControlsResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description: 'The broadcast sent a link (original API), not a question',
  })
  async close(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<BroadcastControlsResponseDto> {
    return toControlsResponse(id.toHexString(), await this.broadcasts.close(actor, id));
  }

  @Post('broadcasts/:id/reveal')
  @HttpCode(HttpStatus.OK)
  @RequireRole('instructor')
  @ApiOperation({
    summary: 'Reveal the right answer to those who answered',
    description:
      'Closes the answer window first if it is still open (nobody may answer after seeing the answer), then marks the right answer revealed: results say `revealed: true`, and the answer page shows the right option to everyone who opens it (in direct mode next to their own answer). Idempotent.',
  })
  @ApiObjectIdParam('id', 'Broadcast id')
  @ApiOkResponse({ type: BroadcastControlsResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: NO_BROADCAST })
  @ApiMeetingAccess({ notFound: false })
  @ApiConflictResponse({
    type: ErrorBodyDto,
    description:
      'The broadcast sent a link (original API), or a survey question (no right answer to reveal)',
  })
  async reveal(
    @CurrentActor() actor: Actor,
    @Param('id', ParseObjectIdPipe) id: Types.ObjectId,
  ): Promise<BroadcastControlsResponseDto> {
    return toControlsResponse(id.toHexString(), await this.broadcasts.reveal(actor, id));
  }
}
