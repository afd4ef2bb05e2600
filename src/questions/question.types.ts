/** The question bank's constants, used by the schema, the DTOs (and their OpenAPI docs) and the service. */
import type { QuestionBody, QuestionType } from '../question-types/question-types';

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** What an omitted optional field becomes on create, and on PUT (which replaces the question). */
export const QUESTION_DEFAULTS = {
  correct_answer: null,
  time_limit: 30,
  points: 10,
  difficulty: 'medium',
  category: 'general',
  tags: [],
} as const satisfies {
  correct_answer: null;
  time_limit: number;
  points: number;
  difficulty: Difficulty;
  category: string;
  tags: readonly string[];
};

/** A text question's max_length when none is given: a short answer, a word cloud's entry. */
export const DEFAULT_TEXT_MAX_LENGTH = 200;

/** A type-specific field of a question (QuestionBody without `type`). */
export type TypeField = Exclude<keyof QuestionBody, 'type'>;

/**
 * The fields a client writes for each type (POST, PUT, PATCH) and reads back for it (a response
 * holds `type` and these, never another type's). Any other type-specific field sent is a 400 that
 * names it. true_false's `options` are fixed (TRUE_FALSE_OPTIONS): read back, never written.
 */
export const TYPE_FIELDS: Record<QuestionType, readonly TypeField[]> = {
  single: ['options', 'correct_answer'],
  multiple: ['options', 'correct_answers', 'max_choices'],
  true_false: ['correct_answer'],
  rating: ['scale'],
  numeric: ['correct_value', 'tolerance', 'unit'],
  text: ['accepted_answers', 'max_length'],
  ranking: ['options', 'correct_order'],
};

/** The fields a response shows for each type: what is written, plus true_false's fixed options. */
export const RESPONSE_FIELDS: Record<QuestionType, readonly TypeField[]> = {
  ...TYPE_FIELDS,
  true_false: ['options', 'correct_answer'],
};

/** Every type-specific field, in QuestionBody's order. */
export const ALL_TYPE_FIELDS: readonly TypeField[] = [
  'options',
  'correct_answer',
  'correct_answers',
  'max_choices',
  'scale',
  'correct_value',
  'tolerance',
  'unit',
  'accepted_answers',
  'max_length',
  'correct_order',
];
