import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { MeetingListResponseDto, toMeetingSummaryResponse } from './dto/participant.response';
import { ParticipantsService, RECENT_MEETINGS } from './participants.service';

@ApiTags('participants')
@Controller('api/meetings')
export class MeetingsController {
  constructor(private readonly participants: ParticipantsService) {}

  @Get()
  @RequireRole('assistant')
  @ApiOperation({
    summary: 'Meetings heard from lately, with who is in each now',
    description: `The ${RECENT_MEETINGS} meetings whose latest occurrence began most recently (from Zoom's webhooks), newest first, of those you may read (you host them, were granted them, or are an admin): the occurrence, how many people are in it now, how many of them Team Chat can reach, and the others counted by reason.`,
  })
  @ApiOkResponse({ type: MeetingListResponseDto })
  async list(@CurrentActor() actor: Actor): Promise<MeetingListResponseDto> {
    const meetings = await this.participants.recentMeetings(actor, RECENT_MEETINGS);
    return { items: meetings.map(toMeetingSummaryResponse) };
  }
}
