import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../../common/paging/newest-first';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';
import { DIFFICULTIES, type Difficulty } from '../question.types';

/** The question bank's filters on top of the common paging (limit, page, cursor). */
export class ListQuestionsQueryDto extends PageQueryDto {
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
