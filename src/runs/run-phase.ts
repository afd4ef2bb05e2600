import { acceptsAnswersUntil, windowEnd } from '../broadcasts/broadcast.types';
import type { RunRecord } from './run.types';

/**
 * What one person's run page shows (issue 16, docs/architecture.md §28), as pure rules over the
 * run document, the person's progress and the clock, so every instance and every route (page,
 * state, answer) reads the same answer from the same facts.
 *
 * - starting: the run is written but not running yet;
 * - question: the question at `index` takes this person's answer until `deadline` (the page's
 *   countdown), answers in flight until `acceptsUntil`;
 * - waiting: instructor pacing, after this person answered or the time ran out, until the
 *   instructor moves on (`timeUp`: the class's results may be shown);
 * - time_up: self pacing, the person's own time ran out, answers in flight still taken (grace);
 *   the next read after `acceptsUntil` moves them on;
 * - done: self pacing, past the last question while the run still runs;
 * - ended: the run is over (end, the last question passed, or its deadline).
 */
export type RunPhase =
  | { phase: 'starting' }
  | {
      phase: 'question';
      index: number;
      openedAt: Date;
      deadline: Date;
      acceptsUntil: Date;
    }
  | {
      phase: 'waiting';
      index: number;
      openedAt: Date;
      deadline: Date;
      acceptsUntil: Date;
      answered: boolean;
      timeUp: boolean;
    }
  | { phase: 'time_up'; index: number; openedAt: Date; deadline: Date; acceptsUntil: Date }
  | { phase: 'done' }
  | { phase: 'ended' };

export type RunPhaseName = RunPhase['phase'];

type PacedRun = Pick<
  RunRecord,
  | 'state'
  | 'pacing'
  | 'steps'
  | 'current_index'
  | 'current_opened_at'
  | 'current_deadline'
  | 'started_at'
  | 'ends_at'
>;

/** One person's place in a self-paced run (run_progress); absent: index 0, not opened. */
export interface ProgressFacts {
  index: number;
  opened_at: Date | null;
}

/**
 * Instructor pacing: the run's current question for everyone, late joiners included. `closedAt`
 * is the step's close (an early close, or the run moving on), `answered` whether this person has
 * answered it.
 */
export function instructorPhase(
  run: PacedRun,
  now: Date,
  facts: { answered: boolean; closedAt: Date | null; graceMs: number },
): RunPhase {
  if (run.state === 'starting') return { phase: 'starting' };
  if (run.state === 'ended') return { phase: 'ended' };
  const index = run.current_index;
  const step = run.steps[index];
  if (!step) return { phase: 'ended' };
  const openedAt = run.current_opened_at ?? run.started_at;
  const ownEnd = run.current_deadline ?? new Date(openedAt.getTime() + step.time_limit * 1000);
  const deadline = windowEnd(ownEnd, facts.closedAt);
  const acceptsUntil = acceptsAnswersUntil(ownEnd, facts.closedAt, facts.graceMs);
  const timeUp = now.getTime() >= deadline.getTime();
  if (facts.answered || timeUp) {
    return {
      phase: 'waiting',
      index,
      openedAt,
      deadline,
      acceptsUntil,
      answered: facts.answered,
      timeUp,
    };
  }
  return { phase: 'question', index, openedAt, deadline, acceptsUntil };
}

/**
 * What a read of a self-paced run must do first, before the phase can be told: open the
 * person's question (their clock starts now), or move them past a question whose time ran out.
 * Each is one conditional update on run_progress (RunProgressRepository), so reloads, two tabs
 * and two instances apply it once; the caller reads the progress again and asks again.
 */
export type SelfPacedStep =
  | { kind: 'phase'; phase: RunPhase }
  | { kind: 'open'; index: number }
  | { kind: 'advance'; from: number };

/**
 * Self pacing: each person's question is their progress's `index`; its time limit counts from
 * when they first saw it (`opened_at`) and never past the run's `ends_at`. `answered`: the person
 * has an answer to the question at `index` (an answer stored just before a crash, before its
 * move on): it moves them on as an answer does.
 */
export function selfPacedStep(
  run: PacedRun,
  progress: ProgressFacts,
  now: Date,
  facts: { answered: boolean; graceMs: number },
): SelfPacedStep {
  const phase = (p: RunPhase): SelfPacedStep => ({ kind: 'phase', phase: p });
  if (run.state === 'starting') return phase({ phase: 'starting' });
  if (run.state === 'ended') return phase({ phase: 'ended' });
  if (run.ends_at && now.getTime() >= run.ends_at.getTime()) return phase({ phase: 'ended' });
  const index = progress.index;
  const step = run.steps[index];
  if (!step) return phase({ phase: 'done' });
  if (facts.answered) return { kind: 'advance', from: index };
  if (!progress.opened_at) return { kind: 'open', index };
  const openedAt = progress.opened_at;
  const ownEnd = new Date(openedAt.getTime() + step.time_limit * 1000);
  // The run's own end closes the person's question like an instructor's close.
  const deadline = windowEnd(ownEnd, run.ends_at);
  const acceptsUntil = acceptsAnswersUntil(ownEnd, run.ends_at, facts.graceMs);
  if (now.getTime() > acceptsUntil.getTime()) return { kind: 'advance', from: index };
  if (now.getTime() >= deadline.getTime()) {
    return phase({ phase: 'time_up', index, openedAt, deadline, acceptsUntil });
  }
  return phase({ phase: 'question', index, openedAt, deadline, acceptsUntil });
}

/** The question a phase is about (its index), or null (starting, done, ended). */
export function phaseIndex(phase: RunPhase): number | null {
  return 'index' in phase ? phase.index : null;
}
