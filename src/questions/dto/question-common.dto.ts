import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../common/validation/is-optional-non-null';
import { DIFFICULTIES, QUESTION_DEFAULTS, type Difficulty } from '../question.types';

/**
 * Trims surrounding whitespace, but only from a string already within `max` characters: a longer
 * one is left as sent so its length check fails. The documented maxLength is then true of what
 * the client sends, not only of what is stored (a 2001-character title with a leading space was
 * accepted before; found by test/fuzz/run.sh).
 */
export const trimWithin =
  (max: number) =>
  ({ value }: { value: unknown }): unknown =>
    typeof value === 'string' && value.length <= max ? value.trim() : value;
export const trimEachWithin =
  (max: number) =>
  ({ value }: { value: unknown }): unknown =>
    Array.isArray(value)
      ? (value as unknown[]).map((v) => (typeof v === 'string' && v.length <= max ? v.trim() : v))
      : value;

/** The fields every question has, whatever its type (create-question.dto.ts adds the type's). */
export class QuestionCommonDto {
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
    description: 'Points for a right answer (rating questions and surveys score nothing)',
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
