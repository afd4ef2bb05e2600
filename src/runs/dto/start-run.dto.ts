import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  meetingNumberFromJson,
  MEETING_NUMBER_PATTERN,
  MEETING_NUMBER_RULE,
} from '../../zoom/meeting-id';

const MEETING_ID_MESSAGE = `meeting_id must be ${MEETING_NUMBER_RULE}`;

export const RUN_STARTS = ['now', 'on_meeting_start'] as const;
export type RunStart = (typeof RUN_STARTS)[number];

/** The longest delay an armed start may wait after its meeting starts (one hour). */
export const MAX_DELAY_SECONDS = 3600;
/** A self-paced run's length: from one minute to one day. */
export const MIN_DURATION_SECONDS = 60;
export const MAX_DURATION_SECONDS = 86_400;

/** POST /api/question-sets/{id}/runs */
export class StartRunDto {
  @ApiProperty({ example: '85746352413', description: 'Zoom meeting number' })
  @Transform(meetingNumberFromJson)
  @IsString({ message: MEETING_ID_MESSAGE })
  @Matches(MEETING_NUMBER_PATTERN, { message: MEETING_ID_MESSAGE })
  meeting_id!: string;

  @ApiPropertyOptional({
    enum: RUN_STARTS,
    default: 'now',
    description:
      '"now": the run starts at once (201, the run). "on_meeting_start": armed (202, the arm): the run starts by itself `delay_seconds` after Zoom says the meeting started (a start after this request); DELETE /api/run-arms/{id} disarms it.',
  })
  @IsOptional()
  @IsIn(RUN_STARTS)
  start?: RunStart;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_DELAY_SECONDS,
    default: 0,
    description: 'With "on_meeting_start": seconds to wait after the meeting starts',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_DELAY_SECONDS)
  delay_seconds?: number;

  @ApiPropertyOptional({
    minimum: MIN_DURATION_SECONDS,
    maximum: MAX_DURATION_SECONDS,
    description:
      "Self-paced sets only: how long the run stays open (seconds) before it ends by itself (end_reason 'deadline'). Default: the sum of the questions' time limits plus 600 s.",
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_DURATION_SECONDS)
  @Max(MAX_DURATION_SECONDS)
  duration_seconds?: number;
}

/** POST /api/runs/{id}/next (the body is optional). */
export class NextRunDto {
  @ApiPropertyOptional({
    minimum: 0,
    description:
      'The position of the question the caller sees as current (GET /api/runs/{id}: current_question.index). When given and no longer current, the request is refused with 409 instead of moving on: a double click never skips a question.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  current_index?: number;
}
