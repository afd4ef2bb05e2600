import { ApiProperty } from '@nestjs/swagger';
import { DIFFICULTIES, type Difficulty } from '../question.types';
import type { QuestionDocument } from '../schemas/question.schema';

export class QuestionResponseDto {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  question_text!: string;

  @ApiProperty({ type: [String] })
  options!: string[];

  @ApiProperty({ type: 'integer', nullable: true })
  correct_answer!: number | null;

  @ApiProperty({ type: 'integer' })
  time_limit!: number;

  @ApiProperty({ type: 'integer' })
  points!: number;

  @ApiProperty({ enum: DIFFICULTIES })
  difficulty!: Difficulty;

  @ApiProperty()
  category!: string;

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The instructor who created it, who alone (with admins) sees and sends it; null when an admin bootstrap key created it',
  })
  owner_id!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  created_at!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updated_at!: string;
}

export class QuestionListResponseDto {
  @ApiProperty({ type: [QuestionResponseDto] })
  items!: QuestionResponseDto[];

  @ApiProperty({ type: 'integer', description: 'Questions matching the filters, over all pages' })
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

/** Never a Mongoose document in a response: no _id, no __v (docs/architecture.md §13). */
export function toQuestionResponse(doc: QuestionDocument): QuestionResponseDto {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    question_text: doc.question_text,
    options: [...doc.options],
    correct_answer: doc.correct_answer ?? null,
    time_limit: doc.time_limit,
    points: doc.points,
    difficulty: doc.difficulty,
    category: doc.category,
    tags: [...doc.tags],
    owner_id: doc.owner_id ?? null,
    created_at: doc.created_at.toISOString(),
    updated_at: doc.updated_at.toISOString(),
  };
}
