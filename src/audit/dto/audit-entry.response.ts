import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTION_NAMES } from '../audit-actions';
import {
  AUDIT_OUTCOMES,
  type AuditEntryDocument,
  type AuditOutcome,
} from '../schemas/audit-entry.schema';

export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
  @ApiProperty({ enum: AUDIT_ACTION_NAMES }) action!: string;
  @ApiProperty({
    enum: AUDIT_OUTCOMES,
    description: '`denied`: a 403 raised after the route check (e.g. no grant for the meeting)',
  })
  outcome!: AuditOutcome;
  @ApiProperty({ type: 'integer', nullable: true, description: 'HTTP status answered' })
  status!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Instructor id; null for a bootstrap key (API_KEYS) or the retention job',
  })
  actor_id!: string | null;
  @ApiProperty({ description: 'assistant, instructor, admin, or system (the retention job)' })
  actor_role!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Visible prefix of the instructor key used; for a bootstrap key (API_KEYS), `boot_` and 8 hex digits of its SHA-256, no part of the key',
  })
  key_prefix!: string | null;
  @ApiProperty({ example: 'question' }) target_type!: string;
  @ApiProperty({ type: String, nullable: true }) target_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) meeting_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) request_id!: string | null;
  @ApiProperty({ description: 'An Idempotency-Key replayed an earlier answer; nothing was redone' })
  replayed!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    nullable: true,
    description: 'Numbers only, e.g. what an erasure or a purge removed per collection',
  })
  details!: Record<string, number> | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  next_cursor!: string | null;
}

export function toAuditEntryDto(entry: AuditEntryDocument): AuditEntryDto {
  return {
    id: entry._id.toHexString(),
    at: entry.at.toISOString(),
    action: entry.action,
    outcome: entry.outcome,
    status: entry.status,
    actor_id: entry.actor_id,
    actor_role: entry.actor_role,
    key_prefix: entry.key_prefix,
    target_type: entry.target_type,
    target_id: entry.target_id,
    meeting_id: entry.meeting_id,
    request_id: entry.request_id,
    replayed: entry.replayed,
    details: entry.details,
  };
}
