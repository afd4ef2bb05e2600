import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/auth/actor';
import type { InstructorDocument } from '../schemas/instructor.schema';

export class InstructorResponseDto {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  zoom_user_id!: string | null;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ description: 'True when the account is disabled and its keys are refused' })
  disabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabled_at!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

export class InstructorListResponseDto {
  @ApiProperty({ type: [InstructorResponseDto] })
  items!: InstructorResponseDto[];

  @ApiProperty({ type: 'integer', description: 'Instructors matching the filter, over all pages' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Page number, or null in cursor mode',
  })
  page!: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null at the end',
  })
  next_cursor!: string | null;
}

export function toInstructorResponse(doc: InstructorDocument): InstructorResponseDto {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    email: doc.email,
    zoom_user_id: doc.zoom_user_id ?? null,
    role: doc.role,
    disabled: doc.disabled_at !== null && doc.disabled_at !== undefined,
    disabled_at: doc.disabled_at ? doc.disabled_at.toISOString() : null,
    created_at: doc.created_at.toISOString(),
    updated_at: doc.updated_at.toISOString(),
  };
}

/** GET /api/me: who the presented key acts for. */
export class MeResponseDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The instructor id; null for a bootstrap key from API_KEYS',
  })
  id!: string | null;

  @ApiProperty({ example: 'Ada Lovelace' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, format: 'email' })
  email!: string | null;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}
