import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { QUESTION_TYPES, type QuestionType } from '../../question-types/question-types';
import { FIELD_DOCS, RatingScaleDto } from './create-question.dto';
import { QuestionCommonDto } from './question-common.dto';

/** A PATCH body as it arrives: an object; the service checks it merged (questions.service.ts). */
export type QuestionPatch = Record<string, unknown>;

/**
 * The documented shape of PATCH /api/questions/{id}: any subset of any type's fields. It is never
 * validated as this class: the service merges it onto the stored question and checks the result
 * as the type it ends up as (checkQuestionBody), so each rule holds of the whole question. The
 * docs here are no stricter than any type's rules, so nothing valid for a type is "invalid" here.
 */
export class PatchQuestionDto extends PartialType(QuestionCommonDto) {
  @ApiPropertyOptional({
    enum: QUESTION_TYPES,
    description:
      "A new type: the fields it needs must then be in the merge; the old type's other fields are cleared (options stay between single, multiple and ranking)",
  })
  type?: QuestionType;

  @ApiPropertyOptional(FIELD_DOCS.options) options?: string[];
  @ApiPropertyOptional({ ...FIELD_DOCS.correct_answer, description: 'single and true_false' })
  correct_answer?: number | null;
  @ApiPropertyOptional(FIELD_DOCS.correct_answers) correct_answers?: number[];
  @ApiPropertyOptional(FIELD_DOCS.max_choices) max_choices?: number | null;
  @ApiPropertyOptional({ ...FIELD_DOCS.scale, type: RatingScaleDto }) scale?: RatingScaleDto;
  @ApiPropertyOptional({
    ...FIELD_DOCS.correct_value,
    description: `${FIELD_DOCS.correct_value.description}. Setting it to null also clears tolerance unless the same body sends one`,
  })
  correct_value?: number | null;
  @ApiPropertyOptional(FIELD_DOCS.tolerance) tolerance?: number | null;
  @ApiPropertyOptional(FIELD_DOCS.unit) unit?: string | null;
  @ApiPropertyOptional(FIELD_DOCS.accepted_answers) accepted_answers?: string[];
  @ApiPropertyOptional(FIELD_DOCS.max_length) max_length?: number;
  @ApiPropertyOptional(FIELD_DOCS.correct_order) correct_order?: number[] | null;
}
