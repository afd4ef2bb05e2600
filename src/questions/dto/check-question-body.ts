import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { flattenValidationErrors, VALIDATOR_OPTIONS } from '../../common/errors/validation';
import type { FieldErrorDto } from '../../common/errors/error-body';
import {
  DEFAULT_QUESTION_TYPE,
  QUESTION_TYPES,
  type QuestionType,
} from '../../question-types/question-types';
import { QUESTION_DTO_CLASSES, type CreateQuestionDto } from './create-question.dto';

export type CheckedQuestionBody =
  | { ok: true; dto: CreateQuestionDto & { type: QuestionType } }
  | { ok: false; details: FieldErrorDto[] };

export function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === 'string' && (QUESTION_TYPES as readonly string[]).includes(value);
}

/** The 400 details for a `type` that is not one of QUESTION_TYPES. */
export const UNKNOWN_TYPE: FieldErrorDto[] = [
  { field: 'type', errors: [`type must be one of: ${QUESTION_TYPES.join(', ')}`] },
];

/**
 * The one check of a whole question body (create, PUT, a PATCH merged onto the stored question,
 * the console's form): `type` first (absent = single), then every field as that type's DTO class
 * with the global pipe's options, so each bad field gets its own reason in the usual shape.
 */
export async function checkQuestionBody(
  body: Record<string, unknown>,
): Promise<CheckedQuestionBody> {
  const type = body.type === undefined ? DEFAULT_QUESTION_TYPE : body.type;
  if (!isQuestionType(type)) {
    return { ok: false, details: UNKNOWN_TYPE };
  }
  const dtoClass: new () => CreateQuestionDto = QUESTION_DTO_CLASSES[type];
  const dto = plainToInstance(dtoClass, body);
  const details = flattenValidationErrors(await validate(dto, VALIDATOR_OPTIONS));
  if (details.length > 0) return { ok: false, details };
  dto.type = type;
  return { ok: true, dto: dto as CreateQuestionDto & { type: QuestionType } };
}
