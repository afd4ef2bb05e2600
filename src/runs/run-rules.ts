import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import type { RunRecord } from './run.types';

/**
 * The pure rules of runs (docs/architecture.md §27): what a transition writes, when one is due,
 * and the ids a start chooses up front. No database, no clock of their own: callers pass `now`.
 */

/** Self pacing without duration_seconds: the sum of the time limits plus this much. */
export const SELF_PACED_EXTRA_SECONDS = 600;

/** A run still 'starting' this long after it was written is a start cut short: the worker ends it. */
export const STALE_START_MS = 5_000;

/** An armed start taken by an instance that did not finish it is taken again after this. */
export const ARM_TAKE_LEASE_MS = 30_000;

/** One live run per meeting and set: the unique `active_key` of a starting or running run. */
export function activeKey(meetingId: string, setId: Types.ObjectId): string {
  return `${meetingId}:${setId.toHexString()}`;
}

/** An ended run's `active_key`: its own, so it no longer holds the meeting and set. */
export function endedKey(runId: Types.ObjectId): string {
  return `ended:${runId.toHexString()}`;
}

/**
 * An id derived from another (12 bytes of a hash): the same for every repeat, so a repeated
 * start finds what the first wrote. Nothing reads a time out of these ids.
 */
export function derivedId(kind: string, from: string): Types.ObjectId {
  return new Types.ObjectId(
    createHash('sha256').update(`${kind}:${from}`).digest('hex').slice(0, 24),
  );
}

/** The run an armed start starts: derived from the arm, so a repeat after a crash finds it. */
export function runIdOfArm(armId: Types.ObjectId): Types.ObjectId {
  return derivedId('run-of-arm', armId.toHexString());
}

/** The ids of a run's broadcasts, derived from the run's id (a finished start writes the same). */
export function runBroadcastIds(
  runId: Types.ObjectId,
  questionCount: number,
): { broadcastId: Types.ObjectId; stepIds: Types.ObjectId[] } {
  const hex = runId.toHexString();
  return {
    broadcastId: derivedId('run-broadcast', hex),
    stepIds: Array.from({ length: questionCount }, (_, i) => derivedId(`run-step-${i}`, hex)),
  };
}

/** Self pacing: how long the run lasts (seconds): as asked, else every time limit plus extra. */
export function selfPacedSeconds(timeLimits: number[], requested: number | null): number {
  if (requested !== null) return requested;
  return timeLimits.reduce((sum, t) => sum + t, 0) + SELF_PACED_EXTRA_SECONDS;
}

/** The fields a run gets as it starts running (the conditional update from 'starting'). */
export function runningFields(
  run: Pick<RunRecord, 'pacing' | 'steps'> & { duration_seconds: number | null },
  now: Date,
): Pick<RunRecord, 'current_index' | 'current_opened_at' | 'current_deadline' | 'ends_at'> {
  if (run.pacing === 'self') {
    const seconds = selfPacedSeconds(
      run.steps.map((s) => s.time_limit),
      run.duration_seconds,
    );
    return {
      current_index: 0,
      current_opened_at: null,
      current_deadline: null,
      ends_at: new Date(now.getTime() + seconds * 1000),
    };
  }
  return {
    current_index: 0,
    current_opened_at: now,
    current_deadline: new Date(now.getTime() + run.steps[0].time_limit * 1000),
    ends_at: null,
  };
}

/** What ending a run writes. */
export function endFields(
  runId: Types.ObjectId,
  reason: NonNullable<RunRecord['end_reason']>,
  now: Date,
): Partial<RunRecord> & { active_key: string; closing: boolean } {
  return {
    state: 'ended',
    ended_at: now,
    end_reason: reason,
    current_deadline: null,
    active_key: endedKey(runId),
    closing: true,
  };
}

/**
 * Instructor pacing: what moving past the current question writes: the next question with its
 * own deadline, or past the last one the end (reason 'finished').
 */
export function nextFields(
  run: Pick<RunRecord, '_id' | 'steps' | 'current_index'>,
  now: Date,
): Partial<RunRecord> & { closing: boolean } {
  const index = run.current_index + 1;
  if (index >= run.steps.length) return endFields(run._id, 'finished', now);
  return {
    current_index: index,
    current_opened_at: now,
    current_deadline: new Date(now.getTime() + run.steps[index].time_limit * 1000),
    closing: true,
  };
}

/**
 * Instructor pacing with auto-advance: whether the time is up (the deadline plus
 * auto_advance_seconds has passed). Everyone having answered is the caller's other reason.
 */
export function autoAdvanceTimeUp(
  run: Pick<RunRecord, 'state' | 'pacing' | 'auto_advance_seconds' | 'current_deadline'>,
  now: Date,
): boolean {
  if (run.state !== 'running' || run.pacing !== 'instructor') return false;
  if (run.auto_advance_seconds === null || run.current_deadline === null) return false;
  return now.getTime() >= run.current_deadline.getTime() + run.auto_advance_seconds * 1000;
}

/**
 * Whether everyone who can answer has answered: at least one person is present and reached
 * (their run message went out), and each of them answered the current question.
 */
export function everyoneAnswered(
  reachedPresent: ReadonlySet<string>,
  answered: ReadonlySet<string>,
): boolean {
  if (reachedPresent.size === 0) return false;
  for (const key of reachedPresent) if (!answered.has(key)) return false;
  return true;
}

/** Step broadcasts a run has left behind (to close): all once ended, else those before current. */
export function stepsToClose(
  run: Pick<RunRecord, 'state' | 'pacing' | 'steps' | 'current_index'>,
): Types.ObjectId[] {
  const upTo = run.state === 'ended' ? run.steps.length : run.current_index;
  return run.steps.slice(0, upTo).map((s) => s.broadcast_id);
}
