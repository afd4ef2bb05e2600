import { ApiProperty } from '@nestjs/swagger';
import { RUN_PACINGS, type RunPacing } from '../../runs/run.types';
import type { QuestionSetDocument } from '../schemas/question-set.schema';

export class QuestionSetResponseDto {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String], description: 'Bank question ids, in the order a run asks them' })
  question_ids!: string[];
  @ApiProperty({ enum: RUN_PACINGS }) pacing!: RunPacing;
  @ApiProperty() show_results_between!: boolean;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty() speed_scoring!: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) auto_advance_seconds!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The creator's instructor id (null: a bootstrap key's, admins only)",
  })
  owner_id!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) created_at!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updated_at!: string;
}

export class QuestionSetListResponseDto {
  @ApiProperty({ type: [QuestionSetResponseDto] }) items!: QuestionSetResponseDto[];
  @ApiProperty({ type: 'integer', description: 'Sets you can see, over all pages' })
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

/** Never a Mongoose document in a response (docs/architecture.md §13). */
export function toQuestionSetResponse(doc: QuestionSetDocument): QuestionSetResponseDto {
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    question_ids: doc.question_ids.map((q) => q.toHexString()),
    pacing: doc.pacing,
    show_results_between: doc.show_results_between,
    anonymous: doc.anonymous,
    speed_scoring: doc.speed_scoring,
    auto_advance_seconds: doc.auto_advance_seconds ?? null,
    owner_id: doc.owner_id ?? null,
    created_at: doc.created_at.toISOString(),
    updated_at: doc.updated_at.toISOString(),
  };
}
