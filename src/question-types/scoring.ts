import { matchesAccepted } from './text-match';
import { isScored, type AnswerValue, type QuestionBody } from './question-types';

/** What the scorer needs of a question (a broadcast's snapshot has it all). */
export type ScoringQuestion = QuestionBody & {
  points: number;
  /** Seconds each recipient has to answer, from the moment their message was sent. */
  time_limit: number;
};

export interface Score {
  /** Full credit; null when the question has no right answer (surveys, ratings). */
  correct: boolean | null;
  /** Share of the question's points earned before speed, 0 to 1; null when not scored. */
  credit: number | null;
  /** Points awarded: whole numbers, so leaderboard totals add up exactly. */
  score: number;
}

const NOT_SCORED: Score = { correct: null, credit: null, score: 0 };

/**
 * How right an answer is, 0 to 1, for a scored question:
 * - single, true_false: 1 for the right option, else 0;
 * - multiple: (right options picked − wrong options picked) / right options, floored at 0, so
 *   ticking every box earns nothing and a partly right answer earns a share;
 * - numeric: 1 within `tolerance` of `correct_value` (inclusive), else 0;
 * - text: 1 when it matches an accepted answer ignoring case, accents and spacing, else 0;
 * - ranking: the share of options in their right place.
 */
export function creditOf(q: QuestionBody, a: AnswerValue): number {
  switch (q.type) {
    case 'single':
    case 'true_false':
      return a.choice === q.correct_answer ? 1 : 0;
    case 'multiple': {
      const right = new Set(q.correct_answers ?? []);
      const picked = a.choices ?? [];
      const rightPicked = picked.filter((c) => right.has(c)).length;
      const wrongPicked = picked.length - rightPicked;
      return Math.max(0, (rightPicked - wrongPicked) / right.size);
    }
    case 'numeric':
      return a.value !== undefined &&
        q.correct_value !== null &&
        // A small epsilon so 0.1 + 0.2 within tolerance 0.3 of 0 is not lost to binary fractions.
        Math.abs(a.value - q.correct_value) <= (q.tolerance ?? 0) + 1e-9
        ? 1
        : 0;
    case 'text':
      return a.text !== undefined && matchesAccepted(a.text, q.accepted_answers ?? []) ? 1 : 0;
    case 'ranking': {
      const right = q.correct_order ?? [];
      const order = a.order ?? [];
      if (right.length === 0) return 0;
      const inPlace = right.filter((option, position) => order[position] === option).length;
      return inPlace / right.length;
    }
    case 'rating':
      return 0;
  }
}

/**
 * Kahoot's rule, for every scored type: an answer earns its credit's share of the question's
 * points; with speed scoring the award falls linearly from the full share at latency 0 to half of
 * it at the deadline. Answers accepted in the grace period after the deadline score as if given
 * at the deadline, never less. Surveys and ratings score nothing.
 */
export function scoreAnswer(
  q: ScoringQuestion,
  a: AnswerValue,
  latencyMs: number,
  speedScoring: boolean,
): Score {
  if (!isScored(q)) return NOT_SCORED;
  const credit = creditOf(q, a);
  const correct = credit === 1;
  if (credit === 0) return { correct, credit, score: 0 };
  const earned = q.points * credit;
  if (!speedScoring) return { correct, credit, score: Math.round(earned) };
  const windowMs = q.time_limit * 1000;
  const fraction = windowMs > 0 ? Math.min(1, Math.max(0, latencyMs) / windowMs) : 1;
  return { correct, credit, score: Math.round(earned * (1 - fraction / 2)) };
}
