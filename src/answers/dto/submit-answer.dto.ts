import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Allow, IsEmail, IsOptional, IsString, Length } from 'class-validator';
import { QUESTION_LIMITS } from '../../question-types/question-types';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

const INDEX = { type: 'integer', minimum: 0, maximum: QUESTION_LIMITS.options.max - 1 };
const INDEX_TEXT = { type: 'string', pattern: '^\\s*\\d{1,3}\\s*$' };
const INDEX_LIST = { type: 'array', items: INDEX, maxItems: QUESTION_LIMITS.options.max };
const INDEX_LIST_TEXT = { type: 'string', pattern: '^\\s*\\d{1,3}(\\s*,\\s*\\d{1,3})*\\s*$' };

/**
 * POST /q/{token}/answer, as `application/x-www-form-urlencoded` (the page's form, which works
 * without JavaScript) or as JSON. The answer is the field of the question's type
 * (ANSWER_FIELD in src/question-types/question-types.ts); the fields of other types are ignored.
 * The value fields are only declared here: their rules depend on the question, so
 * parseAnswer (src/question-types/answer-value.ts) reads and checks them once the question is
 * known, with one 400 naming the field and the reason.
 */
export class SubmitAnswerDto {
  @ApiPropertyOptional({
    oneOf: [INDEX, INDEX_TEXT],
    example: 1,
    description:
      'single, true_false: the index of the chosen option (true_false: 0 = true, 1 = false). A form sends it as text.',
  })
  @Allow()
  choice?: unknown;

  @ApiPropertyOptional({
    oneOf: [INDEX_LIST, INDEX, INDEX_LIST_TEXT],
    example: [0, 2],
    description:
      'multiple: the indices of every chosen option, each once, at least one and at most the question\'s max_choices. A form repeats the field (`choices=0&choices=2`); "0,2" is read the same.',
  })
  @Allow()
  choices?: unknown;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'number' },
      { type: 'string', pattern: '^\\s*[+-]?(\\d{1,15}([.,]\\d{1,15})?|[.,]\\d{1,15})\\s*$' },
    ],
    example: 3.5,
    description: `rating: a whole number on the question's scale (min to max). numeric: a number of at most ${QUESTION_LIMITS.numeric.magnitude} in magnitude; as text a decimal point or a comma ("3,5" is 3.5), no thousands separators.`,
  })
  @Allow()
  value?: unknown;

  @ApiPropertyOptional({
    type: String,
    maxLength: QUESTION_LIMITS.text.maxLength,
    example: 'Photosynthesis',
    description:
      "text: the answer, not empty, at most the question's max_length characters after trimming its ends.",
  })
  @Allow()
  text?: unknown;

  @ApiPropertyOptional({
    oneOf: [INDEX_LIST, INDEX_LIST_TEXT],
    example: [2, 0, 1],
    description:
      'ranking: every option index exactly once, ranked top first. A form repeats the field (`order=2&order=0&order=1`); "2,0,1" is read the same.',
  })
  @Allow()
  order?: unknown;

  @ApiPropertyOptional({
    maxLength: 100,
    description: 'Channel mode only (a shared link): who is answering',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'name must be 1 to 100 characters' })
  name?: string;

  @ApiPropertyOptional({
    maxLength: 254,
    description: 'Channel mode only: identifies the person (lower-cased) across answers',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(3, 254)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string;
}
