import { Types } from 'mongoose';
import { instructorPhase, phaseIndex, selfPacedStep } from './run-phase';
import type { RunRecord } from './run.types';

const T0 = new Date('2026-12-02T10:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const GRACE = 2_000;

function run(overrides: Partial<RunRecord> = {}): RunRecord {
  const steps = [20, 30, 40].map((time_limit) => ({
    question_id: new Types.ObjectId(),
    broadcast_id: new Types.ObjectId(),
    time_limit,
  }));
  return {
    _id: new Types.ObjectId(),
    set_id: new Types.ObjectId(),
    owner_id: null,
    title: 'Quiz',
    meeting_id: '123',
    occurrence_uuid: null,
    pacing: 'instructor',
    show_results_between: true,
    anonymous: false,
    speed_scoring: false,
    auto_advance_seconds: null,
    broadcast_id: new Types.ObjectId(),
    steps,
    state: 'running',
    current_index: 1,
    current_opened_at: T0,
    current_deadline: at(30),
    ends_at: null,
    started_at: at(-60),
    ended_at: null,
    end_reason: null,
    version: 3,
    arm_id: null,
    created_at: at(-60),
    updated_at: T0,
    ...overrides,
  };
}

describe('instructor pacing: the run decides the question for everyone', () => {
  const facts = { answered: false, closedAt: null, graceMs: GRACE };

  it('shows the current question until its deadline, answers in flight taken for the grace', () => {
    const phase = instructorPhase(run(), at(10), facts);
    expect(phase).toEqual({
      phase: 'question',
      index: 1,
      openedAt: T0,
      deadline: at(30),
      acceptsUntil: at(32),
    });
  });

  it('a late joiner gets the current question too, counted from when it opened', () => {
    // Nothing about the person changes the question: only the run does.
    expect(phaseIndex(instructorPhase(run({ current_index: 2 }), at(1), facts))).toBe(2);
  });

  it('waits after answering, and says whether the time is up (results are shown then)', () => {
    expect(instructorPhase(run(), at(10), { ...facts, answered: true })).toMatchObject({
      phase: 'waiting',
      index: 1,
      answered: true,
      timeUp: false,
    });
    expect(instructorPhase(run(), at(30), facts)).toMatchObject({
      phase: 'waiting',
      answered: false,
      timeUp: true,
    });
  });

  it('an early close of the step ends the question then, with no grace past it', () => {
    const phase = instructorPhase(run(), at(12), { ...facts, closedAt: at(11) });
    expect(phase).toMatchObject({ phase: 'waiting', timeUp: true, acceptsUntil: at(11) });
  });

  it('starting and ended runs have no question', () => {
    expect(instructorPhase(run({ state: 'starting' }), at(0), facts)).toEqual({
      phase: 'starting',
    });
    expect(instructorPhase(run({ state: 'ended' }), at(0), facts)).toEqual({ phase: 'ended' });
  });
});

describe('self pacing: each person on their own question and clock', () => {
  const self = (o: Partial<RunRecord> = {}): RunRecord =>
    run({ pacing: 'self', current_index: 0, current_deadline: null, ...o });
  const facts = { answered: false, graceMs: GRACE };

  it('opens a question not seen yet (its clock starts at this read)', () => {
    expect(selfPacedStep(self(), { index: 0, opened_at: null }, at(0), facts)).toEqual({
      kind: 'open',
      index: 0,
    });
  });

  it("counts the person's time limit from when they opened it", () => {
    const step = selfPacedStep(self(), { index: 1, opened_at: at(100) }, at(110), facts);
    expect(step).toEqual({
      kind: 'phase',
      phase: {
        phase: 'question',
        index: 1,
        openedAt: at(100),
        deadline: at(130),
        acceptsUntil: at(132),
      },
    });
  });

  it('time up: shown during the grace, then the next read moves them on', () => {
    const progress = { index: 1, opened_at: at(100) };
    expect(selfPacedStep(self(), progress, at(131), facts)).toMatchObject({
      kind: 'phase',
      phase: { phase: 'time_up', index: 1 },
    });
    expect(selfPacedStep(self(), progress, at(132.001), facts)).toEqual({
      kind: 'advance',
      from: 1,
    });
  });

  it('an answer already stored for the question moves them on (a crash before the move)', () => {
    const step = selfPacedStep(self(), { index: 0, opened_at: at(0) }, at(1), {
      ...facts,
      answered: true,
    });
    expect(step).toEqual({ kind: 'advance', from: 0 });
  });

  it('past the last question: done while the run runs', () => {
    expect(selfPacedStep(self(), { index: 3, opened_at: null }, at(0), facts)).toEqual({
      kind: 'phase',
      phase: { phase: 'done' },
    });
  });

  it("the run's ends_at closes every question and then ends the run for everyone", () => {
    const r = self({ ends_at: at(110) });
    expect(selfPacedStep(r, { index: 1, opened_at: at(100) }, at(105), facts)).toMatchObject({
      phase: { phase: 'question', deadline: at(110), acceptsUntil: at(110) },
    });
    expect(selfPacedStep(r, { index: 0, opened_at: null }, at(110), facts)).toEqual({
      kind: 'phase',
      phase: { phase: 'ended' },
    });
    expect(
      selfPacedStep(self({ state: 'ended' }), { index: 0, opened_at: null }, at(0), facts),
    ).toEqual({ kind: 'phase', phase: { phase: 'ended' } });
  });
});
