import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { NOT_AN_OBJECT, validationFailed } from '../../common/errors/validation';
import { checkQuestionBody, isQuestionType, UNKNOWN_TYPE } from './check-question-body';
import type { CreateQuestionDto } from './create-question.dto';
import type { QuestionPatch } from './patch-question.dto';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body of POST /api/questions and PUT /api/questions/{id}: a question of any type, checked
 * as its type's DTO class (checkQuestionBody). The parameter's declared type is a union, so the
 * global pipe leaves the body to this one. No body is checked as `{}` (and so names every
 * required field), as the global pipe does.
 */
@Injectable()
export class QuestionBodyPipe implements PipeTransform<unknown, Promise<CreateQuestionDto>> {
  async transform(value: unknown): Promise<CreateQuestionDto> {
    if (value !== undefined && !isObject(value)) throw new BadRequestException(NOT_AN_OBJECT);
    const checked = await checkQuestionBody(value ?? {});
    if (!checked.ok) throw validationFailed(checked.details);
    return checked.dto;
  }
}

/**
 * The body of PATCH /api/questions/{id}: any of the fields, checked after the service merges it
 * onto the stored question (the merge decides which type's rules apply). Here only what the merge
 * needs: an object (no body = no change) with, if any, a known `type`.
 */
@Injectable()
export class QuestionPatchPipe implements PipeTransform<unknown, QuestionPatch> {
  transform(value: unknown): QuestionPatch {
    if (value === undefined) return {};
    if (!isObject(value)) throw new BadRequestException(NOT_AN_OBJECT);
    if (value.type !== undefined && !isQuestionType(value.type)) {
      throw validationFailed(UNKNOWN_TYPE);
    }
    return value;
  }
}
