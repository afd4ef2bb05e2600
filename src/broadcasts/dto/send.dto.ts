import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  meetingNumberFromJson,
  MEETING_NUMBER_PATTERN,
  MEETING_NUMBER_RULE,
} from '../../zoom/meeting-id';
import { BROADCAST_MODES, type BroadcastMode } from '../broadcast.types';

const MEETING_ID_MESSAGE = `meeting_id must be ${MEETING_NUMBER_RULE}`;

/** POST /api/send-question: the original Flask API's contract. */
export class SendLinkDto {
  @ApiProperty({
    example: 'https://forms.example.com/quiz/42',
    description: 'Any http(s) link to send',
  })
  @IsString()
  @MaxLength(900)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'question_link must be an http(s) URL' },
  )
  question_link!: string;

  @ApiProperty({ example: '85746352413', description: 'Zoom meeting number' })
  @Transform(meetingNumberFromJson)
  @IsString({ message: MEETING_ID_MESSAGE })
  @Matches(MEETING_NUMBER_PATTERN, { message: MEETING_ID_MESSAGE })
  meeting_id!: string;

  @ApiPropertyOptional({
    maxLength: 1000,
    description: 'Text sent before the link (shortened to fit Zoom if needed)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  message?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      "Marks the link as an anonymous question: recorded on the broadcast (shown as `anonymous` on GET /api/broadcasts/{id}) so the instructor's record says the linked form was sent as anonymous. This service collects no answers for a link (they go to the linked site), so nothing else changes: the message, recipients and delivery records are as without it.",
  })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

/** POST /api/questions/{id}/send */
export class SendQuestionDto {
  @ApiProperty({ example: '85746352413', description: 'Zoom meeting number' })
  @Transform(meetingNumberFromJson)
  @IsString({ message: MEETING_ID_MESSAGE })
  @Matches(MEETING_NUMBER_PATTERN, { message: MEETING_ID_MESSAGE })
  meeting_id!: string;

  @ApiPropertyOptional({
    enum: BROADCAST_MODES,
    default: 'direct',
    description:
      '"direct": a personal link to each reachable participant by Team Chat. "channel": one message with a shared link to the meeting\'s continuous-chat channel; the answer page then asks for name and email.',
  })
  @IsOptional()
  @IsIn(BROADCAST_MODES)
  mode?: BroadcastMode;

  @ApiPropertyOptional({
    default: false,
    description:
      'Send even though this question is still open in this meeting (being sent, or someone may still answer it). Without it such a send is refused with 409 naming the open broadcast.',
  })
  @IsOptional()
  @IsBoolean()
  allow_duplicate?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'An anonymous question: each answer is stored with no link to the person who gave it (no person key, name, email or delivery), and each delivery records only that it was answered, so reminders still reach those who have not. Results show aggregates only; the leaderboard ignores the question. Refused (400) with mode "channel": a shared link has no identity by which to count one answer per person.',
  })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

export class MeetingIdParamDto {
  @ApiProperty({ example: '85746352413', description: 'Zoom meeting number' })
  @IsString()
  @Matches(MEETING_NUMBER_PATTERN, { message: MEETING_ID_MESSAGE })
  meeting_id!: string;
}

/** POST /api/broadcasts/{id}/retry (the body is optional). */
export class RetryDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'Also send again to `unconfirmed` recipients: a message went out to them, no answer came back, and Zoom could not confirm it arrived, so this may give them a second copy',
  })
  @IsOptional()
  @IsBoolean()
  include_unconfirmed?: boolean;
}
