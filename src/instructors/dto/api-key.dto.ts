import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsInt, Matches, Max, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import type { ApiKeyDocument } from '../schemas/api-key.schema';

/** RFC 3339 date-time (what OpenAPI's format means): a date alone is not an instant. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export const MAX_KEY_LIFETIME_DAYS = 3650;

/** POST /api/instructors/{id}/api-keys: no body (or `{}`) makes a key that never expires. */
export class CreateApiKeyDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_KEY_LIFETIME_DAYS,
    description: 'The key expires this many days from now (not with expires_at)',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(MAX_KEY_LIFETIME_DAYS)
  expires_in_days?: number;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: `The key expires at this instant: in the future, within ${MAX_KEY_LIFETIME_DAYS} days (not with expires_in_days)`,
  })
  @IsOptionalNonNull()
  @IsDateString({ strict: true }, { message: 'expires_at must be an ISO 8601 date-time' })
  @Matches(DATE_TIME, {
    message: 'expires_at must be a date-time with a time zone, e.g. 2030-01-31T12:00:00Z',
  })
  expires_at?: string;
}

export class ApiKeyResponseDto {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty({ example: '1a2b3c4d', description: 'The visible part: the key is zlq_<prefix>_…' })
  prefix!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Updated at most once a minute',
  })
  last_used_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revoked_at!: string | null;
}

export class ApiKeyListResponseDto {
  @ApiProperty({ type: [ApiKeyResponseDto], description: 'Newest first; secrets are never shown' })
  items!: ApiKeyResponseDto[];
}

export class CreatedApiKeyResponseDto {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty({
    example: 'zlq_1a2b3c4d_9mR0bYq3kq2c6Jj3mYj9Zr8xQ1c2Vb7nLk4pWs5eTt0',
    description: 'The whole key: shown this once, only its hash is kept',
  })
  key!: string;

  @ApiProperty({ example: '1a2b3c4d' })
  prefix!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at!: string | null;
}

export function toApiKeyResponse(doc: ApiKeyDocument): ApiKeyResponseDto {
  const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
  return {
    id: doc._id.toHexString(),
    prefix: doc.prefix,
    created_at: doc.created_at.toISOString(),
    last_used_at: iso(doc.last_used_at),
    expires_at: iso(doc.expires_at),
    revoked_at: iso(doc.revoked_at),
  };
}
