import { ApiProperty } from '@nestjs/swagger';
import { GRANT_ROLES, type GrantRole } from '../access.types';
import type { MeetingGrantDocument } from '../schemas/meeting-grant.schema';

export class GrantResponseDto {
  @ApiProperty({ example: '85746352413' })
  meeting_id!: string;

  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' })
  instructor_id!: string;

  @ApiProperty({ enum: GRANT_ROLES })
  role!: GrantRole;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The instructor who granted it last; null for a bootstrap key',
  })
  granted_by!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

export class GrantListResponseDto {
  @ApiProperty({ type: [GrantResponseDto] })
  items!: GrantResponseDto[];
}

export function toGrantResponse(grant: MeetingGrantDocument): GrantResponseDto {
  return {
    meeting_id: grant.meeting_id,
    instructor_id: grant.instructor_id,
    role: grant.role,
    granted_by: grant.granted_by,
    created_at: grant.created_at.toISOString(),
    updated_at: grant.updated_at.toISOString(),
  };
}
