import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBase64,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { MEETING_NUMBER_PATTERN, MEETING_NUMBER_RULE } from '../../zoom/meeting-id';
import { AUDIT_ACTION_NAMES, type AuditAction } from '../audit-actions';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** GET /api/audit: filters (all optional, combined with AND) and the page. */
export class ListAuditQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTION_NAMES, description: 'Only this action' })
  @IsOptional()
  @IsIn(AUDIT_ACTION_NAMES)
  action?: AuditAction;

  @ApiPropertyOptional({
    description: 'Only what this instructor did (their id)',
    pattern: ID_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: 'actor_id must be an instructor id' })
  actor_id?: string;

  @ApiPropertyOptional({
    description: 'Only what was done with keys of this prefix (e.g. a bootstrap key)',
    pattern: ID_PATTERN.source,
  })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: 'key_prefix must be a key prefix' })
  key_prefix?: string;

  @ApiPropertyOptional({ description: 'Only actions on this meeting', example: '85746352413' })
  @IsOptional()
  @IsString()
  @Matches(MEETING_NUMBER_PATTERN, { message: `meeting_id must be ${MEETING_NUMBER_RULE}` })
  meeting_id?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only entries at or after this time (ISO 8601)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Only entries before this time (ISO 8601)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Opaque cursor from a previous next_cursor',
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9_-]+$',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @IsBase64({ urlSafe: true }, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;
}
