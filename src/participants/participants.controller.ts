import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiMeetingAccess } from '../access/api-meeting-access.decorator';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ParseMeetingNumberPipe } from '../zoom/meeting-number.pipe';
import { ListParticipantsQueryDto } from './dto/list-participants.dto';
import { ParticipantListResponseDto, toParticipantListResponse } from './dto/participant.response';
import { SyncResponseDto } from './dto/sync.response';
import { ParticipantsSyncService } from './participants-sync.service';
import { ParticipantsService } from './participants.service';

const MEETING_ID_PARAM = {
  name: 'meeting_id',
  description:
    'Zoom meeting or webinar number (digits). Occurrence UUIDs go in ?occurrence=, not the path: they may contain "/".',
  example: '85746065432',
};

@ApiTags('participants')
@RequireRole('assistant')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid meeting number or query' })
@Controller('api/meetings/:meeting_id/participants')
export class ParticipantsController {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly syncer: ParticipantsSyncService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'People in the meeting, one entry per person',
    description:
      "Built from Zoom's webhooks. Default: the people in the current occurrence now. A person who " +
      'rejoined is listed once (same Zoom user id, else same email). Ordered by person_key; page ' +
      'with limit and next_cursor (large webinars).',
  })
  @ApiParam(MEETING_ID_PARAM)
  @ApiOkResponse({ type: ParticipantListResponseDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'Unknown ?occurrence for this meeting, or Zoom does not know the meeting',
  })
  @ApiMeetingAccess({ notFound: false })
  async list(
    @CurrentActor() actor: Actor,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
    @Query() query: ListParticipantsQueryDto,
  ): Promise<ParticipantListResponseDto> {
    const page = await this.participants.listPeople(actor, meetingId, {
      status: query.status,
      limit: query.limit,
      cursor: query.cursor,
      occurrenceUuid: query.occurrence,
    });
    return toParticipantListResponse(page);
  }

  @Post('sync')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Reconcile with Zoom's live participant list",
    description:
      'For when webhooks were missed or the service was down. Never overrides newer webhook ' +
      'information. Needs a Business plan (dashboard API) and calls a Heavy Zoom endpoint.',
  })
  @ApiParam(MEETING_ID_PARAM)
  @ApiOkResponse({ type: SyncResponseDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'No occurrence of the meeting is known' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'Zoom does not know the meeting' })
  @ApiBadGatewayResponse({ type: ErrorBodyDto, description: "Zoom's answer, code and tracking id" })
  async sync(
    @CurrentActor() actor: Actor,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
  ): Promise<SyncResponseDto> {
    return this.syncer.sync(actor, meetingId);
  }
}
