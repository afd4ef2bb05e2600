import type { DeliveryStatus } from '../broadcasts/broadcast.types';

/**
 * A gradebook cell (docs/architecture.md §25): points, `answered` (a question that counts
 * participation only: anonymous, or of a type with no right answer), or the reason for none.
 */
export const GRADEBOOK_CELL_STATUSES = [
  'scored',
  'answered',
  'absent',
  'not_reached',
  'no_answer',
  'late',
] as const;
export type GradebookCellStatus = (typeof GRADEBOOK_CELL_STATUSES)[number];

export interface GradebookCell {
  status: GradebookCellStatus;
  /** The answer's stored score (partial credit as stored); null unless `scored`. */
  points: number | null;
}

/** What is known of one person and one question. */
export interface CellFacts {
  /**
   * Their answer: `score` null when the question counts participation only (an anonymous one is
   * known answered from its delivery's flag, never from an answer).
   */
  answer: { score: number | null } | null;
  /** Their message's status; in channel mode the channel message's, if they were in time for it. */
  delivery: DeliveryStatus | null;
  /** Their first join in the question's occurrence; null: not in it at all. */
  firstJoin: Date | null;
  /** When the question's window closed (windowEnd of broadcast.types.ts). */
  windowEnd: Date;
}

/**
 * The one rule of a cell, first match wins:
 * - an answer: `scored` with its points, or `answered`;
 * - their message went out (`sent`) and no answer: `no_answer`;
 * - a message that never reached them (unreachable, failed, unconfirmed, still pending): `not_reached`;
 * - not in the occurrence at all: `absent`;
 * - in it, no message, first join after the question's window closed: `late`;
 * - in it, no message (not in the meeting when it was sent): `not_reached`.
 * No answer is ever stored after its window (plus grace) closed (the answer path refuses it), so
 * `late` is about joining, never about answering.
 */
export function gradebookCell(facts: CellFacts): GradebookCell {
  if (facts.answer !== null) {
    return facts.answer.score === null
      ? { status: 'answered', points: null }
      : { status: 'scored', points: facts.answer.score };
  }
  if (facts.delivery === 'sent') return { status: 'no_answer', points: null };
  if (facts.delivery !== null) return { status: 'not_reached', points: null };
  if (facts.firstJoin === null) return { status: 'absent', points: null };
  if (facts.firstJoin > facts.windowEnd) return { status: 'late', points: null };
  return { status: 'not_reached', points: null };
}

/** Answered cells: what participation counts. */
export function isAnswered(cell: GradebookCell): boolean {
  return cell.status === 'scored' || cell.status === 'answered';
}

/**
 * Asked: the question reached them (they answered, or their message went out and they did not).
 * Absent, late and not reached are not held against their participation rate.
 */
export function isAsked(cell: GradebookCell): boolean {
  return isAnswered(cell) || cell.status === 'no_answer';
}
