import type { Types } from 'mongoose';

/**
 * Runs of question sets (issue 16): the shared vocabulary of the runs module. A run asks a set's
 * questions in one meeting through one Team Chat message per person (its run broadcast, kind
 * 'run') and one step broadcast per question (broadcast.types.ts, SentBroadcast.run_id). The run
 * document is the one source of its state: every instance reads it, every transition is one
 * conditional update on it (so two instances, or a restart, never apply one twice).
 */

/** Who moves the run on: the instructor (`next`, or auto-advance), or each person at their pace. */
export const RUN_PACINGS = ['instructor', 'self'] as const;
export type RunPacing = (typeof RUN_PACINGS)[number];

/**
 * starting: written, its broadcasts not all written yet (a start cut short by a crash is
 * finished by the runs worker); running; ended (by `end`, past the last question, or its
 * deadline).
 */
export const RUN_STATES = ['starting', 'running', 'ended'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** meeting_ended: an instructor-paced run whose meeting occurrence ended (nobody left to move it on). */
export const RUN_END_REASONS = ['instructor', 'finished', 'deadline', 'meeting_ended'] as const;
export type RunEndReason = (typeof RUN_END_REASONS)[number];

/** One question of a run: where it came from in the bank and the step broadcast that holds it. */
export interface RunStep {
  /** The bank question's id, as listed in the set: what `POST /r/{token}/answer` names. */
  question_id: Types.ObjectId;
  /** The step broadcast: the question's snapshot, its answers, its results and close/reveal. */
  broadcast_id: Types.ObjectId;
  /** Seconds, copied from the snapshot (the run's deadlines are computed from it). */
  time_limit: number;
}

/** A run as stored (src/runs/schemas/run.schema.ts). */
export interface RunRecord {
  _id: Types.ObjectId;
  set_id: Types.ObjectId;
  /** The instructor who started it (null: a bootstrap key), for ownership like questions. */
  owner_id: string | null;
  title: string;
  meeting_id: string;
  occurrence_uuid: string | null;
  pacing: RunPacing;
  show_results_between: boolean;
  anonymous: boolean;
  speed_scoring: boolean;
  /** Instructor pacing: advance by itself this many seconds after the deadline, or once every
   * present reachable person has answered; null: only `next` advances. */
  auto_advance_seconds: number | null;
  /** The run broadcast (kind 'run'): one delivery and one personal run link per person. */
  broadcast_id: Types.ObjectId;
  steps: RunStep[];
  state: RunState;
  /** Instructor pacing: the current question's position; self pacing: 0 (each person has their own). */
  current_index: number;
  /** Instructor pacing: when the current question opened and when its time is up. */
  current_opened_at: Date | null;
  current_deadline: Date | null;
  /** Self pacing: when the run ends by itself; null: only `end` ends it. */
  ends_at: Date | null;
  started_at: Date;
  ended_at: Date | null;
  end_reason: RunEndReason | null;
  /** +1 on every transition: a page or stream that saw version N knows whether anything moved. */
  version: number;
  /** The armed start that started it, if any. */
  arm_id: Types.ObjectId | null;
  created_at: Date;
  updated_at: Date;
}

/** Armed starts (`start: "on_meeting_start"`): waiting, due at start_at, taken, or disarmed. */
export const RUN_ARM_STATES = ['armed', 'scheduled', 'started', 'disarmed'] as const;
export type RunArmState = (typeof RUN_ARM_STATES)[number];

/** Local event of RunsService.events ('changed'): a run's state moved on this instance. */
export interface RunChangedEvent {
  runId: string;
  version: number;
}
