import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/paging/newest-first';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import {
  meetingNumberFromJson,
  MEETING_NUMBER_PATTERN,
  MEETING_NUMBER_RULE,
} from '../../zoom/meeting-id';

/** The most meetings a course names: a term of weekly meetings (each recurring series counts once). */
export const MAX_COURSE_MEETINGS = 100;
export const TITLE_MAX = 200;

const MEETING_IDS_MESSAGE = `each of meeting_ids must be ${MEETING_NUMBER_RULE}`;

const eachMeetingNumberFromJson = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? value.map((v: unknown) => meetingNumberFromJson({ value: v })) : value;

/** The meetings of a course: both POST and PATCH take them by this one rule. */
function MeetingIds(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [String],
      maxItems: MAX_COURSE_MEETINGS,
      example: ['85746352413'],
      description: `Zoom meeting numbers (${MEETING_NUMBER_RULE}); a recurring meeting's number covers all its occurrences. Duplicates are dropped. You must be able to read each meeting (its host, a grant, or an admin).`,
    }),
    IsOptionalNonNull(),
    Transform(eachMeetingNumberFromJson),
    IsArray(),
    ArrayMaxSize(MAX_COURSE_MEETINGS),
    IsString({ each: true, message: MEETING_IDS_MESSAGE }),
    Matches(MEETING_NUMBER_PATTERN, { each: true, message: MEETING_IDS_MESSAGE }),
  );
}

const TITLE = { minLength: 1, maxLength: TITLE_MAX, example: 'Physics 101, autumn term' };

/** POST /api/courses. */
export class CreateCourseDto {
  @ApiProperty(TITLE)
  @IsString()
  @Length(1, TITLE_MAX)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;

  /** Default: none yet. */
  @MeetingIds()
  meeting_ids?: string[];
}

/**
 * PATCH /api/courses/{id}: the fields sent; meeting_ids replaces the whole list. An explicit
 * null is refused (IsOptionalNonNull), never stored.
 */
export class PatchCourseDto {
  @ApiPropertyOptional(TITLE)
  @IsOptionalNonNull()
  @IsString()
  @Length(1, TITLE_MAX)
  @Matches(/\S/, { message: 'title must not be blank' })
  title?: string;

  @MeetingIds()
  meeting_ids?: string[];
}

/** GET /api/courses: the common paging, newest first. */
export class ListCoursesQueryDto extends PageQueryDto {}

/**
 * PUT /api/courses/{id}/roster as JSON: documentation only. The body is read by the roster rules
 * (src/courses/roster.ts), not the validation pipe, so that a JSON roster and a CSV file answer
 * the same per-line errors.
 */
export class RosterStudentInputDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ada Lovelace' }) name!: string;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 254,
    format: 'email',
    example: 'ada@example.edu',
    description: 'Unique in the roster; stored lower-case. Zoom participants are matched by it',
  })
  email?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 64,
    example: 's1234567',
    description: 'Unique in the roster',
  })
  student_id?: string | null;
}

export class RosterUploadDto {
  // No maxItems in the schema: over the limit is a 413 (documented on the route), not a 400.
  @ApiProperty({ type: [RosterStudentInputDto] })
  students!: RosterStudentInputDto[];
}
