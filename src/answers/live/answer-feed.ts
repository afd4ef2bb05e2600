import type { Types } from 'mongoose';
import { answerValueOf, storedCredit, type AnswerEvent } from '../answer.types';
import { DEFAULT_LANGUAGE, type Language } from '../../common/i18n/languages';

/**
 * How answers stored by other instances reach this one's live streams (docs/architecture.md §7):
 * one feed per instance, following every broadcast that has a stream open here. Two kinds, chosen
 * once at startup (LiveAnswersService): a change stream on `answers` on a replica set, a poll of
 * the { broadcast_id, _id } index otherwise.
 */
export interface AnswerFeed {
  /** For the startup log line: which kind and why. */
  readonly description: string;
  /**
   * Follows inserts into these broadcasts (replaces the previous set; [] = idle). Resolves once
   * every answer stored from then on will be delivered: a stream reads its counts after that.
   */
  follow(broadcastIds: string[]): Promise<void>;
  stop(): Promise<void>;
}

/** Where a feed delivers what it finds. */
export interface AnswerFeedSink {
  answers(answers: LiveAnswer[]): void;
  /**
   * The feed may have missed answers of these broadcasts (change stream history lost, or a poll's
   * counts disagree): their streams read the counts again.
   */
  gap(broadcastIds: string[]): void;
  /** Answers stored per followed broadcast (polling only, now and then): streams that count fewer recount. */
  counts?(counts: Map<string, number>): void;
}

/** A live answer with the id that tells the same answer from two sources apart. */
export type LiveAnswer = AnswerEvent & { answerId: string };

/**
 * The fields a feed reads of a stored answer: its value and scoring, never who gave it (no
 * recipient_key, name, email, delivery or latency), so an anonymous question's answers carry
 * nothing of the person here either.
 */
export const LIVE_ANSWER_FIELDS = {
  _id: 1,
  broadcast_id: 1,
  choice: 1,
  choices: 1,
  value: 1,
  text: 1,
  order: 1,
  correct: 1,
  credit: 1,
  score: 1,
  anonymous: 1,
  lang: 1,
} as const;

export interface LiveAnswerDocument {
  _id: Types.ObjectId;
  broadcast_id: Types.ObjectId;
  choice?: number;
  choices?: number[];
  value?: number;
  text?: string;
  order?: number[];
  correct: boolean | null;
  credit?: number | null;
  score: number;
  anonymous?: boolean;
  lang?: Language;
}

export function toLiveAnswer(doc: LiveAnswerDocument): LiveAnswer {
  return {
    answerId: doc._id.toHexString(),
    broadcastId: doc.broadcast_id.toHexString(),
    ...answerValueOf(doc),
    correct: doc.correct ?? null,
    credit: storedCredit(doc),
    score: doc.score,
    anonymous: doc.anonymous === true,
    lang: doc.lang ?? DEFAULT_LANGUAGE,
  };
}
