import { ApiProperty } from '@nestjs/swagger';
import type { RosterEntry } from '../../common/course-records';
import type { CourseDocument } from '../schemas/course.schema';

export class CourseResponseDto {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String], example: ['85746352413'] }) meeting_ids!: string[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The creator's instructor id (null: a bootstrap key's, admins only)",
  })
  owner_id!: string | null;
  @ApiProperty({ type: 'integer', description: 'Students on the roster' }) roster_size!: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the roster was last replaced (null: never)',
  })
  roster_updated_at!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}

export class CourseListResponseDto {
  @ApiProperty({ type: [CourseResponseDto] }) items!: CourseResponseDto[];
  @ApiProperty({ type: 'integer', description: 'Courses you can see, over all pages' })
  total!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
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

export class RosterStudentDto implements RosterEntry {
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.edu' })
  email!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 's1234567' }) student_id!: string | null;
}

export class RosterResponseDto {
  @ApiProperty() course_id!: string;
  @ApiProperty({ type: [RosterStudentDto] }) students!: RosterStudentDto[];
  @ApiProperty({ type: 'integer' }) count!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Students without an email: Zoom names participants by email, so no attendance or answer can be matched to them',
  })
  without_email!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  roster_updated_at!: string | null;
}

/** Never a Mongoose document in a response (docs/architecture.md §13); the roster is its own route. */
export function toCourseResponse(doc: CourseDocument): CourseResponseDto {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    meeting_ids: [...doc.meeting_ids],
    owner_id: doc.owner_id ?? null,
    roster_size: doc.roster_size,
    roster_updated_at: doc.roster_updated_at?.toISOString() ?? null,
    created_at: doc.created_at.toISOString(),
    updated_at: doc.updated_at.toISOString(),
  };
}

export function toRosterResponse(doc: CourseDocument): RosterResponseDto {
  const students = doc.roster.map(({ name, email, student_id }) => ({ name, email, student_id }));
  return {
    course_id: doc._id.toHexString(),
    students,
    count: students.length,
    without_email: students.filter((s) => s.email === null).length,
    roster_updated_at: doc.roster_updated_at?.toISOString() ?? null,
  };
}
