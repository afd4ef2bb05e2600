import type { Types } from 'mongoose';

/**
 * The answers module's shared types: what other modules (results) read of stored answers through
 * AnswerRecordsService. The schema implements them; other modules never import the schema.
 */

/** One person's answer to one broadcast question. */
export interface AnswerRecord {
  broadcast_id: Types.ObjectId;
  meeting_id: string;
  recipient_key: string;
  /** A channel-mode identity the person typed (a claim), not one Zoom vouched for. */
  self_reported: boolean;
  name: string;
  email: string | null;
  delivery_id: Types.ObjectId;
  choice: number;
  /** null for a survey question. */
  correct: boolean | null;
  score: number;
  answered_at: Date;
  latency_ms: number;
}

/** An answer as read back (lean: results and CSV read thousands, no hydration needed). */
export type StoredAnswer = AnswerRecord & { _id: Types.ObjectId };

/** One person's totals over every answer given in a meeting. */
export interface LeaderboardRow {
  recipient_key: string;
  self_reported: boolean;
  name: string;
  email: string | null;
  total: number;
  answered: number;
  correct: number;
}
