import { ApiExtraModels, ApiProperty } from '@nestjs/swagger';
import {
  TRUE_FALSE_OPTIONS,
  withTypeDefaults,
  type QuestionType,
} from '../../question-types/question-types';
import { DIFFICULTIES, RESPONSE_FIELDS, type Difficulty } from '../question.types';
import type { QuestionDocument } from '../schemas/question.schema';
import { FIELD_DOCS, questionVariantsSchema, RatingScaleDto } from './create-question.dto';

/**
 * A question as the API answers it: the common fields, `type`, and the fields of that type only
 * (another type's fields are omitted, not null: RESPONSE_FIELDS). One class per type, so the
 * OpenAPI document shows the variants as `oneOf` with a discriminator on `type`.
 */
class QuestionResponseBase {
  @ApiProperty({ example: '665f1c2e8a1b2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  question_text!: string;

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

const responseType = (type: QuestionType) =>
  ApiProperty({
    enum: [type],
    description: 'The question type; a question stored before types existed is single',
  });
// The request's docs: what is stored passed those rules, so the answer keeps to them too.
const { options, correct_answer, correct_answers, max_choices, correct_value, tolerance, unit } =
  FIELD_DOCS;

export class SingleQuestionResponseDto extends QuestionResponseBase {
  @responseType('single') type!: 'single';
  @ApiProperty(options) options!: string[];
  @ApiProperty(correct_answer) correct_answer!: number | null;
}

export class MultipleQuestionResponseDto extends QuestionResponseBase {
  @responseType('multiple') type!: 'multiple';
  @ApiProperty(options) options!: string[];
  @ApiProperty(correct_answers) correct_answers!: number[];
  @ApiProperty(max_choices) max_choices!: number | null;
}

export class TrueFalseQuestionResponseDto extends QuestionResponseBase {
  @responseType('true_false') type!: 'true_false';
  @ApiProperty({
    type: [String],
    readOnly: true,
    description: 'Always these two (answer 0 is true); never sent in a request',
    example: TRUE_FALSE_OPTIONS,
  })
  options!: string[];
  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: 1,
    description: '0 if the statement is true, 1 if false; null for a survey question',
  })
  correct_answer!: number | null;
}

export class RatingQuestionResponseDto extends QuestionResponseBase {
  @responseType('rating') type!: 'rating';
  @ApiProperty({ ...FIELD_DOCS.scale, type: RatingScaleDto }) scale!: {
    min: number;
    max: number;
    min_label: string | null;
    max_label: string | null;
  };
}

export class NumericQuestionResponseDto extends QuestionResponseBase {
  @responseType('numeric') type!: 'numeric';
  @ApiProperty(correct_value) correct_value!: number | null;
  @ApiProperty({
    ...tolerance,
    description: 'How far from correct_value an answer may be and still be right; null without one',
  })
  tolerance!: number | null;
  @ApiProperty(unit) unit!: string | null;
}

export class TextQuestionResponseDto extends QuestionResponseBase {
  @responseType('text') type!: 'text';
  @ApiProperty(FIELD_DOCS.accepted_answers) accepted_answers!: string[];
  @ApiProperty({ ...FIELD_DOCS.max_length, default: undefined }) max_length!: number;
}

export class RankingQuestionResponseDto extends QuestionResponseBase {
  @responseType('ranking') type!: 'ranking';
  @ApiProperty(options) options!: string[];
  @ApiProperty(FIELD_DOCS.correct_order) correct_order!: number[] | null;
}

export type QuestionResponseDto =
  | SingleQuestionResponseDto
  | MultipleQuestionResponseDto
  | TrueFalseQuestionResponseDto
  | RatingQuestionResponseDto
  | NumericQuestionResponseDto
  | TextQuestionResponseDto
  | RankingQuestionResponseDto;

export const QUESTION_RESPONSE_CLASSES = {
  single: SingleQuestionResponseDto,
  multiple: MultipleQuestionResponseDto,
  true_false: TrueFalseQuestionResponseDto,
  rating: RatingQuestionResponseDto,
  numeric: NumericQuestionResponseDto,
  text: TextQuestionResponseDto,
  ranking: RankingQuestionResponseDto,
} satisfies Record<QuestionType, new () => QuestionResponseDto>;

/** The response schema: `oneOf` the type variants, discriminated by `type`. */
export const QUESTION_RESPONSE_SCHEMA = questionVariantsSchema(QUESTION_RESPONSE_CLASSES);

@ApiExtraModels(...Object.values(QUESTION_RESPONSE_CLASSES))
export class QuestionListResponseDto {
  @ApiProperty({ type: 'array', items: QUESTION_RESPONSE_SCHEMA })
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

/**
 * Never a Mongoose document in a response: no _id, no __v (docs/architecture.md §13). The type
 * fields are read with withTypeDefaults, so a question stored before types answers as single.
 */
export function toQuestionResponse(doc: QuestionDocument): QuestionResponseDto {
  const body = withTypeDefaults(doc);
  const typeFields = Object.fromEntries(RESPONSE_FIELDS[body.type].map((f) => [f, body[f]]));
  return {
    id: doc._id.toHexString(),
    title: doc.title,
    question_text: doc.question_text,
    type: body.type,
    ...typeFields,
    time_limit: doc.time_limit,
    points: doc.points,
    difficulty: doc.difficulty,
    category: doc.category,
    tags: [...doc.tags],
    owner_id: doc.owner_id ?? null,
    created_at: doc.created_at.toISOString(),
    updated_at: doc.updated_at.toISOString(),
  } as QuestionResponseDto;
}
