import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidateIf,
} from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { DIFFICULTIES, QUESTION_DEFAULTS, type Difficulty } from '../question.types';
import { CorrectAnswerInOptions } from './correct-answer.validator';

/**
 * Trims surrounding whitespace, but only from a string already within `max` characters: a longer
 * one is left as sent so its length check fails. The documented maxLength is then true of what
 * the client sends, not only of what is stored (a 2001-character title with a leading space was
 * accepted before; found by test/fuzz/run.sh).
 */
const trimWithin =
  (max: number) =>
  ({ value }: { value: unknown }): unknown =>
    typeof value === 'string' && value.length <= max ? value.trim() : value;
const trimEachWithin =
  (max: number) =>
  ({ value }: { value: unknown }): unknown =>
    Array.isArray(value)
      ? (value as unknown[]).map((v) => (typeof v === 'string' && v.length <= max ? v.trim() : v))
      : value;

/** POST /api/questions and PUT /api/questions/{id} (a PUT replaces the whole question). */
export class CreateQuestionDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Capital of France' })
  @Transform(trimWithin(200))
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'What is the capital of France?' })
  @Transform(trimWithin(2000))
  @IsString()
  @Length(1, 2000)
  question_text!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 200 },
    minItems: 2,
    maxItems: 10,
    uniqueItems: true,
    description: 'Distinct, non-empty answer options, each at most 200 characters',
    example: ['Berlin', 'Paris', 'Rome'],
  })
  @Transform(trimEachWithin(200))
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @ArrayUnique({ message: 'options must be distinct' })
  @IsString({ each: true })
  @Length(1, 200, { each: true, message: 'each option must be 1 to 200 characters long' })
  options!: string[];

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'Index into options of the right answer; null (or absent) for a survey question',
    example: 1,
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(0)
  @Validate(CorrectAnswerInOptions)
  correct_answer?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 5,
    maximum: 3600,
    default: QUESTION_DEFAULTS.time_limit,
    description: 'Seconds to answer',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(5)
  @Max(3600)
  time_limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 1000,
    default: QUESTION_DEFAULTS.points,
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(1000)
  points?: number;

  @ApiPropertyOptional({ enum: DIFFICULTIES, default: QUESTION_DEFAULTS.difficulty })
  @IsOptionalNonNull()
  @IsIn(DIFFICULTIES)
  difficulty?: Difficulty;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50, default: QUESTION_DEFAULTS.category })
  @IsOptionalNonNull()
  @Transform(trimWithin(50))
  @IsString()
  @Length(1, 50)
  category?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 30 },
    maxItems: 20,
    description: 'At most 20 tags of at most 30 characters',
  })
  @IsOptionalNonNull()
  @Transform(trimEachWithin(30))
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 30, { each: true, message: 'each tag must be 1 to 30 characters long' })
  tags?: string[];
}
