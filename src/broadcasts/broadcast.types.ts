import type { Types } from 'mongoose';
import { withTypeDefaults, type QuestionBody } from '../question-types/question-types';

/**
 * The broadcasts module's shared vocabulary: types and constants other modules may use (results
 * DTOs, the answer path). The schemas import them from here; other modules never import a schema.
 */

export const BROADCAST_MODES = ['direct', 'channel'] as const;
export type BroadcastMode = (typeof BROADCAST_MODES)[number];

export const BROADCAST_KINDS = ['question', 'link', 'run'] as const;
export type BroadcastKind = (typeof BROADCAST_KINDS)[number];

/** See the Delivery schema for what each means; `unconfirmed`: posted, not confirmed arrived. */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'unreachable',
  'unconfirmed',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The question as it was when sent. Results are scored against this copy, so editing or deleting
 * the question in the bank later never rewrites what participants answered. Its type-specific
 * fields are src/question-types/question-types.ts's QuestionBody.
 */
export interface QuestionSnapshot extends QuestionBody {
  title: string;
  question_text: string;
  time_limit: number;
  points: number;
}

/**
 * The one place a snapshot is built: from a bank question at send time, or from a stored copy
 * (snapshots stored before question types read as single-choice ones: withTypeDefaults).
 */
export function questionSnapshot(
  source: Partial<QuestionBody> & {
    title: string;
    question_text: string;
    options?: readonly string[];
    time_limit: number;
    points: number;
  },
): QuestionSnapshot {
  return {
    ...withTypeDefaults(source),
    title: source.title,
    question_text: source.question_text,
    time_limit: source.time_limit,
    points: source.points,
  };
}

/**
 * Whether `token` could be a token answerToken (answer-link.ts) made: base64url of a 32-byte HMAC
 * is 43 characters; the range leaves room, and lets nothing else in. The cheap check before any
 * lookup, and before a token is echoed into a link.
 */
export function isAnswerTokenShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

/** What never changes about a broadcast once created: safe to cache per process. */
export interface SentBroadcast {
  readonly _id: Types.ObjectId;
  readonly meeting_id: string;
  readonly kind: BroadcastKind;
  readonly mode: BroadcastMode;
  readonly question: QuestionSnapshot | null;
  readonly question_link: string | null;
  readonly message: string | null;
  /**
   * An anonymous question (issue 15): answers are stored with no link to the person who gave
   * them; results hold aggregates only. False on broadcasts stored before the field existed.
   */
  readonly anonymous: boolean;
  /**
   * Issue 16 (question sets, src/runs): the run this broadcast belongs to, or null. A run has one
   * broadcast of kind 'run' (its one Team Chat message per person, with the personal run link)
   * and one step broadcast per question (kind 'question', no deliveries: its answers come through
   * the run link and are stored under the step's id, so results, live streams, the leaderboard
   * and the gradebook treat each question of a run as the question it is).
   */
  readonly run_id: Types.ObjectId | null;
  /** On a step broadcast: the question's position in the run (0-based); otherwise null. */
  readonly run_index: number | null;
  /**
   * On a run broadcast (kind 'run'): how many questions the run asks, said in its message (whose
   * title is `message`); otherwise null.
   */
  readonly run_question_count: number | null;
}

/** A broadcast that sent a question (not a link): the only kind answered on our page. */
export type SentQuestionBroadcast = SentBroadcast & {
  readonly kind: 'question';
  readonly question: QuestionSnapshot;
};

export function isQuestionBroadcast(broadcast: SentBroadcast): broadcast is SentQuestionBroadcast {
  return broadcast.kind === 'question' && broadcast.question !== null;
}

/**
 * Issue 16: why `action` does not apply to a broadcast of a run, or null for any other: a run's
 * broadcast (kind 'run') carries no question of its own, and a run's question (a step) has no
 * messages of its own (its people were reached by the run's one message).
 */
export function runRefusal(
  broadcast: SentBroadcast,
  action: 'results' | 'remind' | 'retry' | 'close',
): string | null {
  if (broadcast.run_id === null) return null;
  const id = broadcast._id.toHexString();
  const run = broadcast.run_id.toHexString();
  if (broadcast.kind === 'run') {
    if (action === 'retry') return null;
    return `Broadcast ${id} is the message of run ${run} (kind run): its questions are the run's steps (GET /api/runs/${run})`;
  }
  if (action === 'remind' || action === 'retry') {
    return `Broadcast ${id} is a question of run ${run}: it sent no message of its own (everyone got one message for the whole run); to reach people again, retry the run's broadcast`;
  }
  return null;
}

/**
 * What the instructor changes on a broadcast after sending it: the answer window closed early for
 * everyone (`closed_at`), the right answer shown to those who answered (`revealed_at`). Each is
 * set once and never cleared, so a close or reveal sent twice changes nothing.
 */
export interface BroadcastControls {
  closed_at: Date | null;
  revealed_at: Date | null;
}

/**
 * The one rule for when a recipient's answer window ends: their own end (their message's send
 * plus the time limit), or the instructor's close when that came first.
 */
export function windowEnd(closesAt: Date, closedAt: Date | null): Date {
  return closedAt !== null && closedAt < closesAt ? closedAt : closesAt;
}

/**
 * The last moment an answer is accepted: the window's end plus the grace period for answers
 * still travelling when the participant's countdown ran out, but never past an instructor's
 * close: "Close now" stops answers the moment it is recorded.
 */
export function acceptsAnswersUntil(closesAt: Date, closedAt: Date | null, graceMs: number): Date {
  const withGrace = new Date(closesAt.getTime() + graceMs);
  return closedAt !== null && closedAt < withGrace ? closedAt : withGrace;
}

/** A question broadcast as a course's gradebook reads it (BroadcastsService.questionsAsked). */
export interface AskedQuestion {
  id: Types.ObjectId;
  meeting_id: string;
  question: QuestionSnapshot;
  anonymous: boolean;
  mode: BroadcastMode;
  opens_at: Date;
  closed_at: Date | null;
  /** As stored: null on broadcasts older than the field (see occurrenceOfBroadcast). */
  occurrence_uuid: string | null;
}

/** One recipient of a question as a course's gradebook reads it (BroadcastsService.recipientsOf). */
export interface RecipientFacts {
  broadcast_id: Types.ObjectId;
  recipient_key: string;
  name: string;
  email: string | null;
  zoom_user_id: string | null;
  status: DeliveryStatus;
  /** An anonymous question's recipient answered (docs/architecture.md §19). */
  answered: boolean;
}

/**
 * The occurrence a question was asked in (docs/architecture.md §25), the one rule: the one
 * recorded at send; for a broadcast older than that record, the occurrence of its meeting that
 * was current when it opened, as the send picks it (the latest first event not after opens_at).
 * Null when its meeting has no occurrence that old.
 */
export function occurrenceOfBroadcast(
  broadcast: Pick<AskedQuestion, 'meeting_id' | 'opens_at' | 'occurrence_uuid'>,
  occurrences: ReadonlyArray<{ meeting_id: string; uuid: string; first_event_ts: number }>,
): string | null {
  if (broadcast.occurrence_uuid !== null) return broadcast.occurrence_uuid;
  let current: { uuid: string; first_event_ts: number } | null = null;
  for (const o of occurrences) {
    if (o.meeting_id !== broadcast.meeting_id) continue;
    if (o.first_event_ts > broadcast.opens_at.getTime()) continue;
    if (
      current === null ||
      o.first_event_ts > current.first_event_ts ||
      (o.first_event_ts === current.first_event_ts && o.uuid > current.uuid)
    ) {
      current = o;
    }
  }
  return current?.uuid ?? null;
}
