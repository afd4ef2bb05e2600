import { applyDecorators } from '@nestjs/common';
import {
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import {
  QUESTION_LIMITS,
  QUESTION_TYPES,
  type QuestionType,
} from '../../question-types/question-types';
import { ALL_TYPE_FIELDS, DEFAULT_TEXT_MAX_LENGTH, TYPE_FIELDS } from '../question.types';
import { QuestionCommonDto, trimEachWithin, trimWithin } from './question-common.dto';
import {
  CorrectAnswerInOptions,
  DistinctWhenMatched,
  FieldOfAnotherType,
  FitsMaxLength,
  IndexesIntoOptions,
  MaxChoicesFits,
  PermutationOfOptions,
  ScaleSpan,
  ToleranceNeedsValue,
} from './question-field.validators';

/**
 * POST /api/questions and PUT /api/questions/{id} (a PUT replaces the whole question): one class
 * per question type, told apart by `type` (absent = single, how every client before types sends).
 * QuestionBodyPipe (question-body.pipe.ts) checks `type` first, then the body as that type's class.
 * The OpenAPI docs (FIELD_DOCS) are shared with the responses and the PATCH body.
 */

const OPTIONS = QUESTION_LIMITS.options;
const RATING = QUESTION_LIMITS.rating;
const NUMERIC = QUESTION_LIMITS.numeric;
const TEXT = QUESTION_LIMITS.text;

/** Validates a field only when it is not null (null is that field's "none"); absent is fine. */
const NullableOptional = (): PropertyDecorator =>
  ValidateIf((_object: unknown, value: unknown) => value !== null && value !== undefined);

export const FIELD_DOCS = {
  options: {
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: OPTIONS.length },
    minItems: OPTIONS.min,
    maxItems: OPTIONS.max,
    uniqueItems: true,
    description: `Distinct, non-empty answer options, each at most ${OPTIONS.length} characters`,
    example: ['Berlin', 'Paris', 'Rome'],
  },
  correct_answer: {
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'Index into options of the right answer; null (or absent) for a survey question',
    example: 1,
  },
  correct_answers: {
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    maxItems: OPTIONS.max,
    uniqueItems: true,
    description:
      'Indexes into options of every right answer; [] (or absent) for a survey question. Answers earn partial credit',
    example: [0, 2],
  },
  max_choices: {
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: OPTIONS.max,
    description:
      'The most options one answer may pick (at least the number of right answers, at most the number of options); null (or absent) for any number',
  },
  scale: {
    description: `The points participants choose from: integers min to max, ${RATING.minPoints} to ${RATING.maxPoints} of them`,
  },
  correct_value: {
    type: 'number',
    nullable: true,
    minimum: -NUMERIC.magnitude,
    maximum: NUMERIC.magnitude,
    description: 'The right number; null (or absent) for a survey question',
    example: 384400,
  },
  tolerance: {
    type: 'number',
    nullable: true,
    minimum: 0,
    maximum: NUMERIC.magnitude,
    description:
      'How far from correct_value an answer may be and still be right (inclusive); only with a correct_value; absent = 0',
  },
  unit: {
    type: 'string',
    nullable: true,
    minLength: 1,
    maxLength: NUMERIC.unitLength,
    description: 'Shown after the number (e.g. "km")',
    example: 'km',
  },
  accepted_answers: {
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: TEXT.acceptedLength },
    maxItems: TEXT.acceptedAnswers,
    description:
      'Answers counted right, compared ignoring case, accents and spacing (so distinct in that sense); [] (or absent) for a survey question',
    example: ['Paris'],
  },
  max_length: {
    type: 'integer',
    minimum: 1,
    maximum: TEXT.maxLength,
    default: DEFAULT_TEXT_MAX_LENGTH,
    description: 'The longest answer accepted, in characters',
  },
  correct_order: {
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    nullable: true,
    minItems: OPTIONS.min,
    maxItems: OPTIONS.max,
    uniqueItems: true,
    description:
      'Option indexes in the right order, first = top: every index once; null (or absent) for a survey question',
    example: [2, 0, 1],
  },
} satisfies Record<string, ApiPropertyOptions>;

const TypeIs = (type: QuestionType) =>
  applyDecorators(ApiProperty({ enum: [type], description: `A ${type} question` }), IsIn([type]));

const Options = () =>
  applyDecorators(
    ApiProperty(FIELD_DOCS.options),
    Transform(trimEachWithin(OPTIONS.length)),
    IsArray(),
    ArrayMinSize(OPTIONS.min),
    ArrayMaxSize(OPTIONS.max),
    ArrayUnique({ message: 'options must be distinct' }),
    IsString({ each: true }),
    Length(1, OPTIONS.length, {
      each: true,
      message: `each option must be 1 to ${OPTIONS.length} characters long`,
    }),
  );

/** The right option's index of a single-choice question (true/false: 0 = true, 1 = false). */
const CorrectAnswer = (docs: ApiPropertyOptions, ...checks: PropertyDecorator[]) =>
  applyDecorators(ApiPropertyOptional(docs), NullableOptional(), IsInt(), Min(0), ...checks);

export class SingleQuestionDto extends QuestionCommonDto {
  @ApiPropertyOptional({
    enum: ['single'],
    default: 'single',
    description: 'A single-choice question; absent means single',
  })
  @IsOptionalNonNull()
  @IsIn(['single'])
  type?: 'single';

  @Options()
  options!: string[];

  @CorrectAnswer(FIELD_DOCS.correct_answer, Validate(CorrectAnswerInOptions))
  correct_answer?: number | null;
}

export class MultipleQuestionDto extends QuestionCommonDto {
  @TypeIs('multiple')
  type!: 'multiple';

  @Options()
  options!: string[];

  @ApiPropertyOptional(FIELD_DOCS.correct_answers)
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(OPTIONS.max)
  @ArrayUnique({ message: 'correct_answers must be distinct' })
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Validate(IndexesIntoOptions)
  correct_answers?: number[];

  @ApiPropertyOptional(FIELD_DOCS.max_choices)
  @NullableOptional()
  @IsInt()
  @Min(1)
  @Max(OPTIONS.max)
  @Validate(MaxChoicesFits)
  max_choices?: number | null;
}

export class TrueFalseQuestionDto extends QuestionCommonDto {
  @TypeIs('true_false')
  type!: 'true_false';

  @CorrectAnswer(
    {
      type: 'integer',
      nullable: true,
      minimum: 0,
      maximum: 1,
      description: '0 if the statement is true, 1 if false; null (or absent) for a survey question',
      example: 0,
    },
    IsIn([0, 1], { message: 'correct_answer must be 0 (true), 1 (false) or null' }),
  )
  correct_answer?: number | null;
}

export class RatingScaleDto {
  @ApiProperty({ type: 'integer', minimum: RATING.lowest, maximum: RATING.highest, example: 1 })
  @IsInt()
  @Min(RATING.lowest)
  @Max(RATING.highest)
  min!: number;

  @ApiProperty({
    type: 'integer',
    minimum: RATING.lowest,
    maximum: RATING.highest,
    description: `min + ${RATING.minPoints - 1} to min + ${RATING.maxPoints - 1}`,
    example: 5,
  })
  @IsInt()
  @Min(RATING.lowest)
  @Max(RATING.highest)
  @Validate(ScaleSpan)
  max!: number;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    minLength: 1,
    maxLength: RATING.labelLength,
    description: 'Shown at the low end',
    example: 'Not at all',
  })
  @Transform(trimWithin(RATING.labelLength))
  @NullableOptional()
  @IsString()
  @Length(1, RATING.labelLength)
  min_label?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    minLength: 1,
    maxLength: RATING.labelLength,
    description: 'Shown at the high end',
    example: 'Very much',
  })
  @Transform(trimWithin(RATING.labelLength))
  @NullableOptional()
  @IsString()
  @Length(1, RATING.labelLength)
  max_label?: string | null;
}

export class RatingQuestionDto extends QuestionCommonDto {
  @TypeIs('rating')
  type!: 'rating';

  @ApiProperty({ ...FIELD_DOCS.scale, type: RatingScaleDto })
  @IsDefined({ message: 'scale is required for a rating question' })
  @IsObject({ message: 'scale must be an object {min, max, min_label?, max_label?}' })
  @ValidateNested()
  @Type(() => RatingScaleDto)
  scale!: RatingScaleDto;
}

export class NumericQuestionDto extends QuestionCommonDto {
  @TypeIs('numeric')
  type!: 'numeric';

  @ApiPropertyOptional(FIELD_DOCS.correct_value)
  @NullableOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-NUMERIC.magnitude)
  @Max(NUMERIC.magnitude)
  correct_value?: number | null;

  @ApiPropertyOptional(FIELD_DOCS.tolerance)
  @Validate(ToleranceNeedsValue)
  @NullableOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(NUMERIC.magnitude)
  tolerance?: number | null;

  @ApiPropertyOptional(FIELD_DOCS.unit)
  @Transform(trimWithin(NUMERIC.unitLength))
  @NullableOptional()
  @IsString()
  @Length(1, NUMERIC.unitLength)
  unit?: string | null;
}

export class TextQuestionDto extends QuestionCommonDto {
  @TypeIs('text')
  type!: 'text';

  @ApiPropertyOptional(FIELD_DOCS.accepted_answers)
  @Transform(trimEachWithin(TEXT.acceptedLength))
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(TEXT.acceptedAnswers)
  @IsString({ each: true })
  @Length(1, TEXT.acceptedLength, {
    each: true,
    message: `each accepted answer must be 1 to ${TEXT.acceptedLength} characters long`,
  })
  @Validate(DistinctWhenMatched)
  @Validate(FitsMaxLength)
  accepted_answers?: string[];

  @ApiPropertyOptional(FIELD_DOCS.max_length)
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(TEXT.maxLength)
  max_length?: number;
}

export class RankingQuestionDto extends QuestionCommonDto {
  @TypeIs('ranking')
  type!: 'ranking';

  @Options()
  options!: string[];

  @ApiPropertyOptional(FIELD_DOCS.correct_order)
  @NullableOptional()
  @IsArray()
  @IsInt({ each: true })
  @Validate(PermutationOfOptions)
  correct_order?: number[] | null;
}

/** A checked create or PUT body: one of the type classes (QuestionBodyPipe sets `type` on single). */
export type CreateQuestionDto =
  | SingleQuestionDto
  | MultipleQuestionDto
  | TrueFalseQuestionDto
  | RatingQuestionDto
  | NumericQuestionDto
  | TextQuestionDto
  | RankingQuestionDto;

export const QUESTION_DTO_CLASSES = {
  single: SingleQuestionDto,
  multiple: MultipleQuestionDto,
  true_false: TrueFalseQuestionDto,
  rating: RatingQuestionDto,
  numeric: NumericQuestionDto,
  text: TextQuestionDto,
  ranking: RankingQuestionDto,
} satisfies Record<QuestionType, new () => CreateQuestionDto>;

// Every other type's field, on each type's class: sent, it is a 400 that names it and its type
// (FieldOfAnotherType) rather than forbidNonWhitelisted's bare "should not exist". Not documented
// in OpenAPI (no @ApiProperty): the variant schemas list only their own fields.
for (const type of QUESTION_TYPES) {
  for (const field of ALL_TYPE_FIELDS) {
    if (!TYPE_FIELDS[type].includes(field)) {
      Validate(FieldOfAnotherType, [type])(QUESTION_DTO_CLASSES[type].prototype, field);
    }
  }
}

/** `oneOf` the type schemas, told apart by `type` (absent: single). */
export function questionVariantsSchema(
  classes: Record<QuestionType, new () => unknown>,
): SchemaObject {
  return {
    oneOf: QUESTION_TYPES.map((t) => ({ $ref: getSchemaPath(classes[t]) })),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(QUESTION_TYPES.map((t) => [t, getSchemaPath(classes[t])])),
    },
  };
}
