import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsMongoId } from 'class-validator';
import { SubmitAnswerDto } from '../../answers/dto/submit-answer.dto';
import { RUN_PACINGS, RUN_STATES, type RunPacing, type RunState } from '../run.types';
import type { RunPageState } from '../run-participant.service';

const RUN_PHASES = ['starting', 'question', 'waiting', 'time_up', 'done', 'ended'] as const;

/**
 * POST /r/{token}/answer: the question answered and its type's value field (SubmitAnswerDto's
 * fields, read as on the answer page; `name` and `email` are ignored: a run link is one person's).
 */
export class RunAnswerDto extends SubmitAnswerDto {
  @ApiProperty({
    example: '665f1c2e9b1d8a0012345678',
    description:
      "The question answered: the bank question's id as listed in the set (the state's `question_id`). Not the current one: 409, nothing stored.",
  })
  // An ObjectId's hex in either case names the same question: compared and echoed lower-cased.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.toLowerCase() : value,
  )
  @IsMongoId({ message: 'question_id must be the id of the question answered' })
  question_id!: string;
}

export class RunPageStateDto implements RunPageState {
  @ApiProperty({ description: "The question set's title" }) title!: string;
  @ApiProperty({ enum: RUN_PACINGS }) pacing!: RunPacing;
  @ApiProperty({ enum: RUN_STATES }) run_state!: RunState;
  @ApiProperty({
    description: '+1 on every transition of the run (the page reloads when it moves)',
  })
  version!: number;
  @ApiProperty({
    enum: RUN_PHASES,
    description:
      "This person's screen: starting; question (open for an answer); waiting (instructor pacing: answered or time up, until the next question); time_up (self pacing: their time ran out, the next read moves them on); done (self pacing: past the last question); ended",
  })
  phase!: RunPageState['phase'];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The position (0-based) of the question the phase is about; null: none',
  })
  question_index!: number | null;
  @ApiProperty() question_count!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The id to name in `question_id` when answering; null: none',
  })
  question_id!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: "When this person's time on the question is up; null: no question",
  })
  deadline!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Milliseconds left to answer, measured on the server (phase question only)',
  })
  remaining_ms!: number | null;
  @ApiProperty({ description: 'Whether this person answered the question' }) answered!: boolean;
}

export class RunAnswerResultDto {
  @ApiProperty() question_id!: string;
  @ApiProperty({ description: "The question's position in the run (0-based)" })
  question_index!: number;
  @ApiProperty({ format: 'date-time' }) answered_at!: string;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Null for a survey or a rating (no right answer)',
  })
  correct!: boolean | null;
  @ApiProperty() score!: number;
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Self pacing: the position of the question the person moved on to (question_count: past the last); null for instructor pacing',
  })
  next_question_index!: number | null;
}
