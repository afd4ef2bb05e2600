import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';
import { DIFFICULTIES, type Difficulty } from '../question.types';

export class ListQuestionsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100000,
    default: 1,
    description: 'Page number (ignored when cursor is given)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  page?: number;

  @ApiPropertyOptional({
    description: 'Opaque cursor from a previous next_cursor',
    minLength: 1,
    pattern: '^[A-Za-z0-9_-]+$',
  })
  @IsOptional()
  @IsString()
  @IsBase64({ urlSafe: true }, { message: 'cursor is not a cursor this API issued' })
  cursor?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  category?: string;

  @ApiPropertyOptional({ enum: DIFFICULTIES })
  @IsOptional()
  @IsIn(DIFFICULTIES)
  difficulty?: Difficulty;

  @ApiPropertyOptional({ minLength: 1, maxLength: 30 })
  @IsOptional()
  @IsString()
  @Length(1, 30)
  tag?: string;

  @ApiPropertyOptional({
    enum: QUESTION_TYPES,
    description: 'Only questions of this type (single includes those stored before types)',
  })
  @IsOptional()
  @IsIn(QUESTION_TYPES)
  type?: QuestionType;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    description: 'Words to find in the title or question text (case-insensitive, taken literally)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}
