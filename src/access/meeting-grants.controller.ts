import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Types } from 'mongoose';
import { ApiMeetingAccess } from './api-meeting-access.decorator';
import { Audited } from '../audit/audited.decorator';
import { CurrentActor, RequireRole, type Actor } from '../common/auth/actor';
import { ErrorBodyDto } from '../common/errors/error-body';
import { ApiObjectIdParam } from '../common/http/api-object-id-param.decorator';
import { ParseObjectIdPipe } from '../common/http/parse-object-id.pipe';
import { ParseMeetingNumberPipe } from '../zoom/meeting-number.pipe';
import { PutGrantDto } from './dto/grant.dto';
import { GrantListResponseDto, GrantResponseDto, toGrantResponse } from './dto/grant.response';
import { MeetingAccessService } from './meeting-access.service';

const MEETING_ID_PARAM = {
  name: 'meeting_id',
  description: 'Zoom meeting or webinar number (digits)',
  example: '85746065432',
};
const INSTRUCTOR_ID = 'Instructor id';

@ApiTags('meeting access')
@ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Invalid meeting number, id or body' })
@Controller('api/meetings/:meeting_id/instructors')
export class MeetingGrantsController {
  constructor(private readonly access: MeetingAccessService) {}

  @Get()
  @RequireRole('assistant')
  @ApiOperation({
    summary: "The meeting's grants",
    description: 'For anyone who may read the meeting: its host, its grantees, admins.',
  })
  @ApiParam(MEETING_ID_PARAM)
  @ApiOkResponse({ type: GrantListResponseDto })
  @ApiMeetingAccess()
  async list(
    @CurrentActor() actor: Actor,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
  ): Promise<GrantListResponseDto> {
    const grants = await this.access.listGrants(actor, meetingId);
    return { items: grants.map(toGrantResponse) };
  }

  @Put(':instructor_id')
  @RequireRole('instructor')
  @Audited('meeting_grant.granted')
  @ApiOperation({
    summary: 'Grant an instructor access to the meeting (or change their grant)',
    description:
      'By the meeting\'s host (Zoom says so) or an admin. "instructor": read, remind and send; "assistant": read and remind. An account\'s own role caps its grant.',
  })
  @ApiParam(MEETING_ID_PARAM)
  @ApiObjectIdParam('instructor_id', INSTRUCTOR_ID)
  @ApiOkResponse({ type: GrantResponseDto })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'No such instructor, or Zoom does not know the meeting',
  })
  @ApiMeetingAccess({ notFound: false })
  async put(
    @CurrentActor() actor: Actor,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
    @Param('instructor_id', ParseObjectIdPipe) instructorId: Types.ObjectId,
    @Body() dto: PutGrantDto,
  ): Promise<GrantResponseDto> {
    return toGrantResponse(await this.access.grant(actor, meetingId, instructorId, dto.role));
  }

  @Delete(':instructor_id')
  @RequireRole('instructor')
  @Audited('meeting_grant.revoked')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Revoke an instructor's grant (by the host or an admin)" })
  @ApiParam(MEETING_ID_PARAM)
  @ApiObjectIdParam('instructor_id', INSTRUCTOR_ID)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({
    type: ErrorBodyDto,
    description: 'The instructor had no grant, or Zoom does not know the meeting',
  })
  @ApiMeetingAccess({ notFound: false })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('meeting_id', ParseMeetingNumberPipe) meetingId: string,
    @Param('instructor_id', ParseObjectIdPipe) instructorId: Types.ObjectId,
  ): Promise<void> {
    await this.access.revoke(actor, meetingId, instructorId);
  }
}
