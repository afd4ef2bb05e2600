import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PRESENCE_FILTERS, type PresenceFilter } from '../participants.service';

export class ListParticipantsQueryDto {
  @ApiPropertyOptional({
    enum: PRESENCE_FILTERS,
    default: 'joined',
    description:
      'joined: in the meeting now; waiting: in its waiting room now (not in the meeting, not a recipient); left: was in this occurrence, neither now; all: everyone',
  })
  @IsOptional()
  @IsIn(PRESENCE_FILTERS)
  status?: PresenceFilter;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous next_cursor' })
  @IsOptional()
  @IsString()
  @IsBase64({ urlSafe: true }, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;

  @ApiPropertyOptional({
    description:
      "An earlier occurrence's UUID (webhook `object.uuid`) to read its history; default the current occurrence",
    example: '4444AAAiAAAAAiAiAiiAii==',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9+/=_-]{1,128}$/, { message: 'occurrence must be a Zoom meeting UUID' })
  occurrence?: string;
}
