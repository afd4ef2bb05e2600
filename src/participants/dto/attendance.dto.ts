import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { CoursePersonDto } from '../../common/course-person.dto';
import { Type } from 'class-transformer';
import { IsNumber, Max, Min } from 'class-validator';
import { CsvFormatQueryDto } from '../../common/csv/csv-format';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';

export const DEFAULT_PRESENT_MIN_PERCENT = 75;
export const DEFAULT_PARTIAL_MIN_PERCENT = 25;

/**
 * Thresholds of GET /api/courses/{id}/attendance, in percent of each occurrence's length
 * (docs/architecture.md §25): present at `present_min_percent` or more, partial at
 * `partial_min_percent` or more (and some time in the meeting), else absent.
 */
export class AttendanceQueryDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: DEFAULT_PRESENT_MIN_PERCENT,
    description:
      "Present: minutes in the meeting of at least this percent of the occurrence's length",
  })
  @IsOptionalNonNull()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  present_min_percent?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 100,
    default: DEFAULT_PARTIAL_MIN_PERCENT,
    description:
      "Partial: below present, but at least this percent of the occurrence's length (and not 0 minutes); not above present_min_percent",
  })
  @IsOptionalNonNull()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  partial_min_percent?: number;
}

/** GET /api/courses/{id}/attendance.csv: the thresholds and the CSV format. */
export class AttendanceCsvQueryDto extends IntersectionType(
  AttendanceQueryDto,
  CsvFormatQueryDto,
) {}

export const ATTENDANCE_STATUSES = ['present', 'partial', 'absent'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export class AttendanceThresholdsDto {
  @ApiProperty({ example: DEFAULT_PRESENT_MIN_PERCENT })
  present_min_percent!: number;

  @ApiProperty({ example: DEFAULT_PARTIAL_MIN_PERCENT })
  partial_min_percent!: number;
}

export class CourseOccurrenceDto {
  @ApiProperty({ description: '1-based, oldest first over all the course’s meetings', example: 1 })
  number!: number;

  @ApiProperty({ example: '85746065432' })
  meeting_id!: string;

  @ApiProperty({ description: 'Occurrence UUID (`object.uuid`)' })
  uuid!: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'Its first event' })
  start!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'meeting.ended, else now (the occurrence has not ended)',
  })
  end!: string;

  @ApiProperty()
  ended!: boolean;

  @ApiProperty({ description: 'Length (end − start), minutes, 2 decimals', example: 60 })
  minutes!: number;
}

export class AttendanceCellDto {
  @ApiProperty({ description: 'CourseOccurrenceDto.number', example: 1 })
  occurrence!: number;

  @ApiProperty({
    description:
      'Minutes in the meeting, 2 decimals: the union of their joins (several devices count once; waiting room excluded)',
    example: 52.5,
  })
  minutes!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  first_join!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'End of their last stay; null when absent or still in the meeting',
  })
  last_leave!: string | null;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  status!: AttendanceStatus;
}

export class AttendanceRowDto extends CoursePersonDto {
  @ApiProperty({ type: [AttendanceCellDto], description: 'One per occurrence, in order' })
  occurrences!: AttendanceCellDto[];

  @ApiProperty({ example: 150.25 })
  total_minutes!: number;

  @ApiProperty({ description: 'Occurrences with status present' })
  present!: number;

  @ApiProperty()
  partial!: number;

  @ApiProperty()
  absent!: number;
}

export class AttendanceResponseDto {
  @ApiProperty({ type: AttendanceThresholdsDto })
  thresholds!: AttendanceThresholdsDto;

  @ApiProperty({ type: [CourseOccurrenceDto] })
  occurrences!: CourseOccurrenceDto[];

  @ApiProperty({
    type: [AttendanceRowDto],
    description: 'Roster lines in roster order, then people seen who are on no line, by name',
  })
  rows!: AttendanceRowDto[];
}
