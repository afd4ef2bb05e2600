import {
  AUTHORED_OPTION_TYPES,
  withTypeDefaults,
  type QuestionBody,
  type QuestionType,
} from '../question-types/question-types';
import type { CreateQuestionDto } from './dto/create-question.dto';
import { isQuestionType } from './dto/check-question-body';
import type { QuestionPatch } from './dto/patch-question.dto';
import { DEFAULT_TEXT_MAX_LENGTH, QUESTION_DEFAULTS, TYPE_FIELDS } from './question.types';
import type { Question } from './schemas/question.schema';

/** The fields of a question that every type has. */
const COMMON_FIELDS = [
  'title',
  'question_text',
  'time_limit',
  'points',
  'difficulty',
  'category',
  'tags',
] as const;
type CommonFields = Pick<Question, (typeof COMMON_FIELDS)[number]>;

/**
 * What a checked create or PUT body stores: every field, the omitted optional ones at their
 * defaults, and every field of the other types null (withTypeDefaults of the type alone), so a
 * PUT or a PATCH that changes the type leaves nothing of the old type behind.
 */
export function toStoredQuestion(
  dto: CreateQuestionDto & { type: QuestionType },
): CommonFields & QuestionBody {
  const common: CommonFields = {
    title: dto.title,
    question_text: dto.question_text,
    time_limit: dto.time_limit ?? QUESTION_DEFAULTS.time_limit,
    points: dto.points ?? QUESTION_DEFAULTS.points,
    difficulty: dto.difficulty ?? QUESTION_DEFAULTS.difficulty,
    category: dto.category ?? QUESTION_DEFAULTS.category,
    tags: dto.tags ?? [...QUESTION_DEFAULTS.tags],
  };
  return { ...common, ...withTypeDefaults({ type: dto.type }), ...typeFieldsOf(dto) };
}

function typeFieldsOf(dto: CreateQuestionDto): Partial<QuestionBody> {
  switch (dto.type) {
    case undefined:
    case 'single':
      return { options: dto.options, correct_answer: dto.correct_answer ?? null };
    case 'multiple':
      return {
        options: dto.options,
        correct_answers: [...(dto.correct_answers ?? [])].sort((a, b) => a - b),
        max_choices: dto.max_choices ?? null,
      };
    case 'true_false':
      return { correct_answer: dto.correct_answer ?? null };
    case 'rating':
      return {
        scale: {
          min: dto.scale.min,
          max: dto.scale.max,
          min_label: dto.scale.min_label ?? null,
          max_label: dto.scale.max_label ?? null,
        },
      };
    case 'numeric': {
      const correct = dto.correct_value ?? null;
      return {
        correct_value: correct,
        // A right value is matched exactly unless a tolerance is given; no value, no tolerance.
        tolerance: correct === null ? null : (dto.tolerance ?? 0),
        unit: dto.unit ?? null,
      };
    }
    case 'text':
      return {
        accepted_answers: dto.accepted_answers ?? [],
        max_length: dto.max_length ?? DEFAULT_TEXT_MAX_LENGTH,
      };
    case 'ranking':
      return { options: dto.options, correct_order: dto.correct_order ?? null };
  }
}

/**
 * A PATCH is the stored question, as a client would send it, with the patch's fields laid over
 * it; the result is then checked whole as the type it ends up as (checkQuestionBody). When the
 * type changes, the old type's fields are dropped (they are not the new type's, and would be
 * refused as such) except `options` between single, multiple and ranking; the new type's
 * required fields must then come in the patch. Setting correct_value to null drops the stored
 * tolerance too (it needs a value) unless the patch sends one.
 */
export function mergePatch(stored: Question, patch: QuestionPatch): Record<string, unknown> {
  const body = withTypeDefaults(stored);
  const target = patch.type === undefined ? body.type : patch.type;
  const merged: Record<string, unknown> = { type: body.type };
  for (const field of COMMON_FIELDS) merged[field] = stored[field];
  merged.tags = [...stored.tags];
  for (const field of TYPE_FIELDS[body.type]) {
    const keep =
      target === body.type ||
      (field === 'options' &&
        isQuestionType(target) &&
        AUTHORED_OPTION_TYPES.includes(target) &&
        AUTHORED_OPTION_TYPES.includes(body.type));
    if (keep) merged[field] = body[field];
  }
  if (patch.correct_value === null && !('tolerance' in patch)) delete merged.tolerance;
  return { ...merged, ...patch };
}
