/**
 * Ranking without JavaScript: each up/down button submits the form by GET to the page itself with
 * the current order (`order`, repeated, as the answer post carries it) and the move
 * (`move=up:2`: option 2 one place up); the page answers with the new order. Nothing is stored:
 * the order lives in the URL until the answer is posted. Anything malformed falls back to the
 * options' own order or no move, never to an error page: the person just tries again.
 */

import type { QuestionBody } from '../../question-types/question-types';

export type MoveDirection = 'up' | 'down';

export interface RankingMove {
  option: number;
  direction: MoveDirection;
}

/** `raw` (a repeated query field, or "2,0,1") if it is an order of all `count` options, else their own order. */
export function rankingOrder(count: number, raw: unknown): number[] {
  const identity = Array.from({ length: count }, (_, i) => i);
  const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : null;
  if (!parts || parts.length !== count) return identity;
  const order = parts.map((p) =>
    typeof p === 'string' && /^\d{1,2}$/.test(p.trim()) ? Number(p) : -1,
  );
  const seen = new Set(order);
  return seen.size === count && order.every((i) => i >= 0 && i < count) ? order : identity;
}

export function parseMove(raw: unknown): RankingMove | null {
  const m = typeof raw === 'string' ? /^(up|down):(\d{1,2})$/.exec(raw) : null;
  return m ? { direction: m[1] as MoveDirection, option: Number(m[2]) } : null;
}

/** The order after `move` (unchanged when the option is already at that end, or unknown). */
export function applyMove(order: readonly number[], move: RankingMove): number[] {
  const next = [...order];
  const at = next.indexOf(move.option);
  const to = move.direction === 'up' ? at - 1 : at + 1;
  if (at < 0 || to < 0 || to >= next.length) return next;
  [next[at], next[to]] = [next[to], next[at]];
  return next;
}

/**
 * A ranking reordered without JavaScript: the GET of a move button carries the current `order`,
 * the `move` and whatever else the form held (name and email on a shared link), and the page
 * comes back in the new order. Other questions ignore the query.
 */
export function rankingMoveState(
  question: Pick<QuestionBody, 'type' | 'options'>,
  query: unknown,
): { values?: { name?: string; email?: string; order?: number[] }; moved?: RankingMove } {
  if (question.type !== 'ranking' || typeof query !== 'object' || query === null) return {};
  const q = query as Record<string, unknown>;
  const move = parseMove(q.move);
  if (!move) return {};
  const typed = (v: unknown, max: number): string | undefined =>
    typeof v === 'string' ? v.slice(0, max) : undefined;
  return {
    values: {
      name: typed(q.name, 100),
      email: typed(q.email, 254),
      order: applyMove(rankingOrder(question.options.length, q.order), move),
    },
    moved: move,
  };
}
