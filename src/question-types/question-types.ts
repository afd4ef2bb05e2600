/**
 * The kinds of question (issue 15): one vocabulary for the bank, the snapshot a broadcast keeps,
 * the answer path, results and the pages. Pure types, constants and functions: no Nest module, no
 * database. Every module may import from src/question-types/ (it is vocabulary, like
 * broadcast.types.ts), never the other way round.
 *
 * A question is stored flat, one document shape for every type (how MongoDB and the original API
 * keep it): the fields that do not belong to a question's type are null (or [] for `options`).
 * Documents stored before types existed have none of the new fields; `withTypeDefaults` is the one
 * place that reads them as the single-choice questions they are.
 */

export const QUESTION_TYPES = [
  'single',
  'multiple',
  'true_false',
  'rating',
  'numeric',
  'text',
  'ranking',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** What a question without a `type` is: every question stored, and every client, before types. */
export const DEFAULT_QUESTION_TYPE: QuestionType = 'single';

/** Types whose participant picks from (or orders) the question's `options`. */
export const OPTION_TYPES: readonly QuestionType[] = [
  'single',
  'multiple',
  'true_false',
  'ranking',
];
/** Types whose instructor writes the options (true_false's are fixed). */
export const AUTHORED_OPTION_TYPES: readonly QuestionType[] = ['single', 'multiple', 'ranking'];

/**
 * A true/false question's stored options, in this order (answer 0 is "true"). Results and CSV show
 * them as stored; the answer page shows them in the participant's language.
 */
export const TRUE_FALSE_OPTIONS: readonly string[] = ['True', 'False'];

export const QUESTION_LIMITS = {
  options: { min: 2, max: 10, length: 200 },
  /** A rating scale's ends are integers in this range, 2 to 11 points from min to max inclusive. */
  rating: { lowest: -100, highest: 100, minPoints: 2, maxPoints: 11, labelLength: 50 },
  /** Numeric answers and correct values: finite, at most this large in magnitude. */
  numeric: { magnitude: 1e12, unitLength: 20 },
  text: { maxLength: 500, acceptedAnswers: 20, acceptedLength: 200 },
} as const;

export interface RatingScale {
  min: number;
  max: number;
  min_label: string | null;
  max_label: string | null;
}

/** The type-specific fields of a question, the same in the bank and in a broadcast's snapshot. */
export interface QuestionBody {
  type: QuestionType;
  /** single, multiple, ranking: the instructor's; true_false: TRUE_FALSE_OPTIONS; others: []. */
  options: string[];
  /** single, true_false: index of the right option, or null for a survey question. */
  correct_answer: number | null;
  /** multiple: indices of every right option, ascending; [] is a survey. */
  correct_answers: number[] | null;
  /** multiple: the most options one answer may pick; null = any number. */
  max_choices: number | null;
  /** rating */
  scale: RatingScale | null;
  /** numeric: null = a survey (any number is fine). */
  correct_value: number | null;
  /** numeric: how far from correct_value an answer may be and still be right (inclusive). */
  tolerance: number | null;
  /** numeric: shown after the input and in results (e.g. "km"). */
  unit: string | null;
  /** text: matched ignoring case, accents and spacing; [] is a survey. */
  accepted_answers: string[] | null;
  /** text: the longest answer accepted, in characters (at most QUESTION_LIMITS.text.maxLength). */
  max_length: number | null;
  /** ranking: option indices in the right order (first = top); null is a survey. */
  correct_order: number[] | null;
}

/** Every type-specific field, as a question of `type` with nothing else set holds it. */
const EMPTY_BODY: Omit<QuestionBody, 'type'> = {
  options: [],
  correct_answer: null,
  correct_answers: null,
  max_choices: null,
  scale: null,
  correct_value: null,
  tolerance: null,
  unit: null,
  accepted_answers: null,
  max_length: null,
  correct_order: null,
};

/**
 * The one reading of a stored question or snapshot: a missing `type` is `single`; missing
 * type-specific fields are null. Copies arrays so a caller never shares a stored document's.
 */
export function withTypeDefaults(
  source: Partial<QuestionBody> & { options?: readonly string[] },
): QuestionBody {
  const type = source.type ?? DEFAULT_QUESTION_TYPE;
  return {
    type,
    options:
      type === 'true_false' ? [...TRUE_FALSE_OPTIONS] : [...(source.options ?? EMPTY_BODY.options)],
    correct_answer: source.correct_answer ?? null,
    correct_answers: source.correct_answers ? [...source.correct_answers] : null,
    max_choices: source.max_choices ?? null,
    scale: source.scale
      ? {
          min: source.scale.min,
          max: source.scale.max,
          min_label: source.scale.min_label ?? null,
          max_label: source.scale.max_label ?? null,
        }
      : null,
    correct_value: source.correct_value ?? null,
    tolerance: source.tolerance ?? null,
    unit: source.unit ?? null,
    accepted_answers: source.accepted_answers ? [...source.accepted_answers] : null,
    max_length: source.max_length ?? null,
    correct_order: source.correct_order ? [...source.correct_order] : null,
  };
}

/**
 * Whether answers to this question can be right or wrong (and so earn points). Ratings never are;
 * the other types are surveys when the instructor gives no right answer.
 */
export function isScored(q: QuestionBody): boolean {
  switch (q.type) {
    case 'single':
    case 'true_false':
      return q.correct_answer !== null;
    case 'multiple':
      return (q.correct_answers ?? []).length > 0;
    case 'rating':
      return false;
    case 'numeric':
      return q.correct_value !== null;
    case 'text':
      return (q.accepted_answers ?? []).length > 0;
    case 'ranking':
      return q.correct_order !== null;
  }
}

/** The points of a rating scale, min to max. */
export function scalePoints(scale: RatingScale): number[] {
  const points: number[] = [];
  for (let v = scale.min; v <= scale.max; v++) points.push(v);
  return points;
}

/**
 * One answer's value, flat like the question (and stored so on the answer document): exactly the
 * field(s) of the question's type are set.
 * - single, true_false: `choice` (option index)
 * - multiple: `choices` (distinct option indices, ascending)
 * - rating: `value` (an integer on the scale); numeric: `value` (a finite number)
 * - text: `text` (trimmed, Unicode NFC, within max_length)
 * - ranking: `order` (a permutation of the option indices, first = ranked top)
 */
export interface AnswerValue {
  choice?: number;
  choices?: number[];
  value?: number;
  text?: string;
  order?: number[];
}

/** The request field(s) each type's answer arrives in (JSON body or the page's form). */
export const ANSWER_FIELD: Record<QuestionType, keyof AnswerValue> = {
  single: 'choice',
  true_false: 'choice',
  multiple: 'choices',
  rating: 'value',
  numeric: 'value',
  text: 'text',
  ranking: 'order',
};
