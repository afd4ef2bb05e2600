import { ApiProperty } from '@nestjs/swagger';
import { CoursePersonDto } from '../../common/course-person.dto';
import { CourseOccurrenceDto } from '../../participants/dto/attendance.dto';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';
import { GRADEBOOK_CELL_STATUSES, type GradebookCellStatus } from '../gradebook-cells';

export class GradebookQuestionDto {
  @ApiProperty({ description: 'The broadcast that asked it' })
  broadcast_id!: string;

  @ApiProperty({ example: '85746065432' })
  meeting_id!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'CourseOccurrenceDto.number of the occurrence it was asked in; null when none is on record',
  })
  occurrence!: number | null;

  @ApiProperty({ description: '1-based, in the order asked within its occurrence', example: 1 })
  number!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  asked_at!: string;

  @ApiProperty({ example: 'Capitals' })
  title!: string;

  @ApiProperty({ enum: QUESTION_TYPES })
  type!: QuestionType;

  @ApiProperty()
  anonymous!: boolean;

  @ApiProperty({
    description:
      'Points it is out of: 0 when it counts participation only (anonymous, or a type with no right answer)',
    example: 10,
  })
  points_possible!: number;

  @ApiProperty({
    description:
      'Its column header in gradebook.csv: date (UTC), occurrence, number, title, points',
    example: '2026-11-03 #1 Q1 Capitals (10 points)',
  })
  column!: string;
}

export class GradebookCellDto {
  @ApiProperty({
    enum: GRADEBOOK_CELL_STATUSES,
    description:
      'scored: points below; answered: answered a participation-only question; absent: not in that occurrence; not_reached: in it, but no message reached them; no_answer: reached, did not answer; late: joined after the question closed',
  })
  status!: GradebookCellStatus;

  @ApiProperty({ type: Number, nullable: true, description: 'The answer’s score when scored' })
  points!: number | null;
}

export class GradebookRowDto extends CoursePersonDto {
  @ApiProperty({ type: [GradebookCellDto], description: 'One per question, in `questions` order' })
  cells!: GradebookCellDto[];

  @ApiProperty({ example: 25 })
  points_earned!: number;

  @ApiProperty({ description: 'Sum of every question’s points_possible', example: 40 })
  points_possible!: number;

  @ApiProperty({ description: 'Questions answered (scored or answered)' })
  answered!: number;

  @ApiProperty({ description: 'Questions that reached them: answered or no_answer' })
  asked!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'answered / asked, 4 decimals; null when nothing was asked',
    example: 0.75,
  })
  participation_rate!: number | null;
}

export class GradebookResponseDto {
  @ApiProperty({ type: [CourseOccurrenceDto] })
  occurrences!: CourseOccurrenceDto[];

  @ApiProperty({
    type: [GradebookQuestionDto],
    description: 'Every question (not link) sent in the course’s meetings, by occurrence then time',
  })
  questions!: GradebookQuestionDto[];

  @ApiProperty({
    type: [GradebookRowDto],
    description: 'Roster lines in roster order, then people seen who are on no line, by name',
  })
  rows!: GradebookRowDto[];
}
