import { Types } from 'mongoose';
import {
  activeKey,
  autoAdvanceTimeUp,
  endedKey,
  everyoneAnswered,
  nextFields,
  runBroadcastIds,
  runIdOfArm,
  runningFields,
  SELF_PACED_EXTRA_SECONDS,
  selfPacedSeconds,
  stepsToClose,
} from './run-rules';
import type { RunRecord, RunStep } from './run.types';

const step = (timeLimit: number): RunStep => ({
  question_id: new Types.ObjectId(),
  broadcast_id: new Types.ObjectId(),
  time_limit: timeLimit,
});
const now = new Date('2026-12-02T13:00:00.000Z');
const runId = new Types.ObjectId();
const steps = [step(10), step(20), step(30)];

describe('run rules', () => {
  it('derives the same run id from an arm every time, and different ids for different arms', () => {
    const arm = new Types.ObjectId();
    expect(runIdOfArm(arm).equals(runIdOfArm(arm))).toBe(true);
    expect(runIdOfArm(arm).equals(runIdOfArm(new Types.ObjectId()))).toBe(false);
    const ids = runBroadcastIds(runId, 3);
    const again = runBroadcastIds(runId, 3);
    expect(ids.broadcastId.equals(again.broadcastId)).toBe(true);
    expect(ids.stepIds.map(String)).toEqual(again.stepIds.map(String));
    expect(new Set([ids.broadcastId, ...ids.stepIds].map(String)).size).toBe(4);
  });

  it('keeps one live key per meeting and set, and frees it on end', () => {
    const set = new Types.ObjectId();
    expect(activeKey('123456789', set)).toBe(`123456789:${set.toHexString()}`);
    expect(endedKey(runId)).not.toBe(activeKey('123456789', set));
  });

  it('self pacing lasts as asked, else the sum of the time limits plus the documented extra', () => {
    expect(selfPacedSeconds([10, 20, 30], null)).toBe(60 + SELF_PACED_EXTRA_SECONDS);
    expect(selfPacedSeconds([10, 20, 30], 120)).toBe(120);
  });

  it('starts running at question 0 with its deadline (instructor) or with ends_at (self)', () => {
    expect(runningFields({ pacing: 'instructor', steps, duration_seconds: null }, now)).toEqual({
      current_index: 0,
      current_opened_at: now,
      current_deadline: new Date(now.getTime() + 10_000),
      ends_at: null,
    });
    expect(runningFields({ pacing: 'self', steps, duration_seconds: 300 }, now)).toEqual({
      current_index: 0,
      current_opened_at: null,
      current_deadline: null,
      ends_at: new Date(now.getTime() + 300_000),
    });
  });

  it('moves to the next question with its own deadline, and past the last one ends finished', () => {
    expect(nextFields({ _id: runId, steps, current_index: 0 }, now)).toEqual({
      current_index: 1,
      current_opened_at: now,
      current_deadline: new Date(now.getTime() + 20_000),
      closing: true,
    });
    expect(nextFields({ _id: runId, steps, current_index: 2 }, now)).toMatchObject({
      state: 'ended',
      end_reason: 'finished',
      ended_at: now,
      active_key: endedKey(runId),
      closing: true,
    });
  });

  it('auto-advances only an instructor-paced running run with auto-advance, once its time is up', () => {
    const run: Pick<RunRecord, 'state' | 'pacing' | 'auto_advance_seconds' | 'current_deadline'> = {
      state: 'running',
      pacing: 'instructor',
      auto_advance_seconds: 5,
      current_deadline: now,
    };
    expect(autoAdvanceTimeUp(run, new Date(now.getTime() + 4_999))).toBe(false);
    expect(autoAdvanceTimeUp(run, new Date(now.getTime() + 5_000))).toBe(true);
    const later = new Date(now.getTime() + 60_000);
    expect(autoAdvanceTimeUp({ ...run, auto_advance_seconds: null }, later)).toBe(false);
    expect(autoAdvanceTimeUp({ ...run, pacing: 'self' }, later)).toBe(false);
    expect(autoAdvanceTimeUp({ ...run, state: 'ended' }, later)).toBe(false);
  });

  it('counts everyone as answered only when someone can answer and all of them have', () => {
    expect(everyoneAnswered(new Set(), new Set(['a']))).toBe(false);
    expect(everyoneAnswered(new Set(['a', 'b']), new Set(['a']))).toBe(false);
    expect(everyoneAnswered(new Set(['a', 'b']), new Set(['a', 'b', 'gone']))).toBe(true);
  });

  it('closes the questions left behind: those before the current one, or all once ended', () => {
    const base = { pacing: 'instructor' as const, steps };
    expect(stepsToClose({ ...base, state: 'running', current_index: 0 })).toEqual([]);
    expect(stepsToClose({ ...base, state: 'running', current_index: 2 })).toEqual([
      steps[0].broadcast_id,
      steps[1].broadcast_id,
    ]);
    expect(stepsToClose({ ...base, state: 'ended', current_index: 1 })).toHaveLength(3);
  });
});
