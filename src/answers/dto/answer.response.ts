import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { describeAnswer } from '../../question-types/describe';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';
import { answerValueOf, type ReadAnswer } from '../answer.types';
import type { AnswerContext } from '../answers.service';

/** The JSON answer to POST /q/{token}/answer: the answer as stored, and how it scored. */
export class AnswerResultDto {
  @ApiProperty({ enum: QUESTION_TYPES, description: "The question's type" })
  type!: QuestionType;
  @ApiPropertyOptional({ example: 1, description: 'single, true_false: the chosen option' })
  choice?: number;
  @ApiPropertyOptional({
    type: [Number],
    example: [0, 2],
    description: 'multiple: the chosen options, ascending',
  })
  choices?: number[];
  @ApiPropertyOptional({
    example: 3.5,
    description: 'rating: the point on the scale; numeric: the number (a comma read as a point)',
  })
  value?: number;
  @ApiPropertyOptional({ description: 'text: the answer as stored (ends trimmed, Unicode NFC)' })
  text?: string;
  @ApiPropertyOptional({
    type: [Number],
    example: [2, 0, 1],
    description: 'ranking: the option indices, ranked top first',
  })
  order?: number[];
  @ApiProperty({
    example: 'Paris; Rome',
    description:
      'The answer in words: the options\' texts ("Paris; Rome"), the number with its unit ("3.5 km"), the text, or the ranking ("1. Rome, 2. Paris")',
  })
  answer_text!: string;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      'Whether the answer was right (full credit), revealed at once (as Kahoot does); null for a question that cannot be right or wrong (a survey, a rating), and on a shared channel link (where revealing it would let people probe under other emails). The right answer itself is never revealed here, so it cannot be passed on to those still answering.',
  })
  correct!: boolean | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.5,
    description:
      'Share of the right answer earned, 0 to 1 (partial credit for multiple and ranking); null when not scored, and on a shared channel link (see correct)',
  })
  credit!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 9,
    description:
      'Points earned (0 when not scored; null on a shared channel link, see correct). No speed factor on an anonymous question.',
  })
  score!: number | null;
  @ApiProperty({ example: 10, description: "The question's full points" })
  points!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 2350,
    description:
      'Milliseconds from the message being sent; null on an anonymous question (not kept: with the answer time it would name the recipient)',
  })
  latency_ms!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) answered_at!: string;
  @ApiProperty({
    description: 'An anonymous question: the answer is stored with no link to who gave it',
  })
  anonymous!: boolean;
}

/**
 * The JSON answer. On a shared channel link anyone can answer again under another email, so
 * correctness (and the credit and score that tell it) is kept for the results.
 */
export function toAnswerResult(context: AnswerContext, answer: ReadAnswer): AnswerResultDto {
  const { question } = context.broadcast;
  const reveal = context.broadcast.mode !== 'channel';
  return {
    type: question.type,
    ...answerValueOf(answer),
    answer_text: describeAnswer(question, answer),
    correct: reveal ? answer.correct : null,
    credit: reveal ? answer.credit : null,
    score: reveal ? answer.score : null,
    points: question.points,
    latency_ms: answer.latency_ms,
    answered_at: answer.answered_at.toISOString(),
    anonymous: answer.anonymous,
  };
}
