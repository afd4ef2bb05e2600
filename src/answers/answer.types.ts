import type { Types } from 'mongoose';
import { DEFAULT_LANGUAGE, type Language } from '../common/i18n/languages';
import type { AnswerValue } from '../question-types/question-types';

/**
 * The answers module's shared types: what other modules (results) read of stored answers through
 * AnswerRecordsService, and the live 'answer' event. The schema implements them; other modules
 * never import the schema.
 */

/** Answer keys of self-reported (channel) identities: no Zoom person key has this form. */
export const SELF_REPORTED_KEY_PREFIX = 'self:';
/**
 * Answer keys of anonymous answers: 'anon:' + 32 random hex digits, drawn per answer, related to
 * nobody (docs/architecture.md §6). Only there because the unique index needs a key.
 */
export const ANONYMOUS_KEY_PREFIX = 'anon:';

/**
 * One answer to one broadcast question, as written. The answer's value is stored flat, as
 * AnswerValue (src/question-types/question-types.ts): exactly the field(s) of the question's
 * type are present (`choice` for single and true_false, `choices`, `value`, `text` or `order`).
 */
export interface AnswerRecord extends AnswerValue {
  broadcast_id: Types.ObjectId;
  meeting_id: string;
  /**
   * The person (docs/architecture.md §3): the delivery's recipient key (direct), `self:` + the
   * typed email (channel), or on an anonymous answer `anon:` + random hex (nobody).
   */
  recipient_key: string;
  /** A channel-mode identity the person typed (a claim), not one Zoom vouched for. */
  self_reported: boolean;
  /** '' on an anonymous answer. */
  name: string;
  /** null on an anonymous answer. */
  email: string | null;
  /** The delivery whose link was used; null on an anonymous answer. */
  delivery_id: Types.ObjectId | null;
  /** Right (credit 1), wrong, or null when the question cannot be right or wrong (isScored). */
  correct: boolean | null;
  /** Share of the right answer earned, 0 to 1 (partial credit); null when not scored. */
  credit: number | null;
  /** Points earned: the credited points, with the speed factor when SPEED_SCORING is on. */
  score: number;
  answered_at: Date;
  /**
   * answered_at − the recipient's sent_at: what speed scoring measures. null on an anonymous
   * answer: with answered_at it would give the recipient's sent_at, which names them.
   */
  latency_ms: number | null;
  /** The answer page's language when answered (negotiated from Accept-Language). */
  lang: Language;
  /** Given to an anonymous question: nothing in it or anywhere else names who gave it. */
  anonymous: boolean;
}

/**
 * An answer as read back (lean: results and CSV read thousands, no hydration needed). Answers
 * stored before question types and anonymous questions lack `credit`, `lang` and `anonymous`, and
 * the oldest lack `self_reported`: read them through withAnswerDefaults.
 */
export type StoredAnswer = Omit<AnswerRecord, 'credit' | 'lang' | 'anonymous' | 'self_reported'> &
  Partial<Pick<AnswerRecord, 'credit' | 'lang' | 'anonymous' | 'self_reported'>> & {
    _id: Types.ObjectId;
  };

/** A stored answer with every field the current schema has. */
export type ReadAnswer = AnswerRecord & { _id: Types.ObjectId };

/**
 * The one reading of a stored answer: fields added after it was stored take the value they
 * stand for (credit from `correct`: right 1, wrong 0, unscored null; language English; not
 * anonymous; not self-reported).
 */
export function withAnswerDefaults(answer: StoredAnswer): ReadAnswer {
  return {
    ...answer,
    credit: storedCredit(answer),
    lang: answer.lang ?? DEFAULT_LANGUAGE,
    anonymous: answer.anonymous === true,
    self_reported: answer.self_reported === true,
  };
}

/**
 * An answer's credit (0 to 1, null when not scored). Answers stored before partial credit have
 * none: a right one counts 1, a wrong one 0, an unscored one null. The one place that rule lives
 * (results read it too).
 */
export function storedCredit(answer: {
  correct: boolean | null;
  credit?: number | null;
}): number | null {
  if (typeof answer.credit === 'number') return answer.credit;
  if (answer.credit === null) return null;
  return answer.correct === null ? null : answer.correct ? 1 : 0;
}

/** Only the value fields of an answer (AnswerValue), those it has. */
export function answerValueOf(answer: {
  [K in keyof AnswerValue]?: AnswerValue[K] | null;
}): AnswerValue {
  const value: AnswerValue = {};
  if (typeof answer.choice === 'number') value.choice = answer.choice;
  if (Array.isArray(answer.choices)) value.choices = answer.choices;
  if (typeof answer.value === 'number') value.value = answer.value;
  if (typeof answer.text === 'string') value.text = answer.text;
  if (Array.isArray(answer.order)) value.order = answer.order;
  return value;
}

/**
 * Emitted on `AnswersService.events` as 'answer' after each stored answer (live results). It
 * carries the answer's value and scoring, and never who answered: the same for every answer, so
 * an anonymous question's stream cannot be told apart from its answers' owners either.
 */
export interface AnswerEvent extends AnswerValue {
  broadcastId: string;
  /**
   * The stored answer's id (hex), so a stream that hears of it twice (this instance's event and
   * the cross-instance feed, src/answers/live) counts it once. A random id: it names no one.
   */
  answerId?: string;
  correct: boolean | null;
  credit: number | null;
  score: number;
  anonymous: boolean;
  /** The answer page's language (a text answer's stop words); says nothing about who answered. */
  lang: Language;
}

/** One person's totals over every answer given in a meeting (anonymous answers left out). */
export interface LeaderboardRow {
  recipient_key: string;
  self_reported: boolean;
  name: string;
  email: string | null;
  total: number;
  answered: number;
  correct: number;
}

/** What a course's gradebook reads of one stored answer (AnswerRecordsService.scoresForMeetings). */
export interface AnswerScore {
  broadcast_id: Types.ObjectId;
  recipient_key: string;
  email: string | null;
  score: number;
  credit: number | null;
  correct: boolean | null;
  self_reported: boolean;
  anonymous: boolean;
}
