/**
 * Writes a run of a question set straight to the database in the stored shape of the issue 16
 * contract (src/runs/run.types.ts, broadcast.types.ts): the run broadcast (kind 'run') with one
 * sent delivery and personal token per person, one step broadcast per question, and the run
 * document. For tests of the run page's rules (phases, self pacing, anonymous counts, streams)
 * independent of how a run is started; `advance` and `end` move the run the way another instance
 * would (a conditional update bumping `version`, no local event).
 */
import { getModelToken } from '@nestjs/mongoose';
import { randomBytes } from 'node:crypto';
import { Model, Types } from 'mongoose';
import { answerToken, hashAnswerToken } from '../../src/broadcasts/answer-link';
import type { QuestionSnapshot } from '../../src/broadcasts/broadcast.types';
import { Broadcast } from '../../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../../src/broadcasts/schemas/delivery.schema';
import type { RunPacing, RunRecord } from '../../src/runs/run.types';
import { Run } from '../../src/runs/schemas/run.schema';
import { questionOf } from './seed-results';

/** A question snapshot with a 60 s time limit. */
const timed = (body: Parameters<typeof questionOf>[0]): QuestionSnapshot => ({
  ...questionOf(body),
  time_limit: 60,
});
import type { TestApp } from './test-app';

export interface SeedRunOptions {
  pacing?: RunPacing;
  anonymous?: boolean;
  showResultsBetween?: boolean;
  speedScoring?: boolean;
  people?: number;
  questions?: QuestionSnapshot[];
  /** Self pacing: when the run ends by itself. */
  endsAt?: Date | null;
  /** Instructor pacing: when the first question opened (default: now). */
  openedAt?: Date;
  state?: RunRecord['state'];
}

export interface SeededRun {
  runId: Types.ObjectId;
  meetingId: string;
  tokens: string[];
  keys: string[];
  stepIds: Types.ObjectId[];
  questionIds: Types.ObjectId[];
  /** Instructor pacing: opens the next question as another instance would (version + 1). */
  advance(openedAt?: Date): Promise<void>;
  /** Ends the run as another instance would. */
  end(): Promise<void>;
  read(): Promise<RunRecord>;
}

let meetingSeq = 95_000_000 + Math.floor(Math.random() * 1_000_000);

export const defaultRunQuestions = (): QuestionSnapshot[] => [
  timed({
    title: 'Q1',
    question_text: 'Capital of France?',
    options: ['Paris', 'Rome'],
    correct_answer: 0,
  }),
  timed({
    title: 'Q2',
    question_text: '2 + 2?',
    type: 'numeric',
    options: [],
    correct_value: 4,
  }),
  timed({
    title: 'Q3',
    question_text: 'Pick primes',
    type: 'multiple',
    options: ['2', '4', '5'],
    correct_answers: [0, 2],
  }),
];

export async function seedRun(t: TestApp, options: SeedRunOptions = {}): Promise<SeededRun> {
  const broadcasts = t.app.get<Model<Broadcast>>(getModelToken(Broadcast.name));
  const deliveries = t.app.get<Model<Delivery>>(getModelToken(Delivery.name));
  const runs = t.app.get<Model<Run>>(getModelToken(Run.name));
  const meetingId = String(meetingSeq++);
  const questions = options.questions ?? defaultRunQuestions();
  const anonymous = options.anonymous === true;
  const pacing = options.pacing ?? 'instructor';
  const now = new Date();
  const openedAt = options.openedAt ?? now;
  const runId = new Types.ObjectId();
  const runBroadcastId = new Types.ObjectId();
  const stepIds = questions.map(() => new Types.ObjectId());
  const questionIds = questions.map(() => new Types.ObjectId());

  await broadcasts.create({
    _id: runBroadcastId,
    meeting_id: meetingId,
    kind: 'run',
    question: null,
    anonymous,
    mode: 'direct',
    opens_at: now,
    run_id: runId,
    completed_at: now,
  });
  await broadcasts.insertMany(
    questions.map((question, index) => ({
      _id: stepIds[index],
      meeting_id: meetingId,
      kind: 'question',
      question_id: questionIds[index],
      question,
      anonymous,
      mode: 'direct',
      opens_at: now,
      run_id: runId,
      run_index: index,
      completed_at: now,
    })),
  );
  const people = options.people ?? 3;
  const ids = Array.from({ length: people }, () => new Types.ObjectId());
  const keys = ids.map((_, i) => `run-p${i}-${randomBytes(3).toString('hex')}`);
  const tokens = ids.map((id) => answerToken(t.config.answers.tokenSecret, id));
  await deliveries.insertMany(
    ids.map((id, i) => ({
      _id: id,
      broadcast_id: runBroadcastId,
      recipient_key: keys[i],
      name: `Runner ${i}`,
      email: `runner${i}@example.com`,
      status: 'sent',
      available_at: now,
      sent_at: now,
      answer_token_hash: hashAnswerToken(tokens[i]),
    })),
  );
  const first = questions[0];
  const setId = new Types.ObjectId();
  await runs.create({
    _id: runId,
    set_id: setId,
    active_key: `${meetingId}:${setId.toHexString()}`,
    step_questions: questions,
    owner_id: null,
    title: 'Friday quiz',
    meeting_id: meetingId,
    pacing,
    show_results_between: options.showResultsBetween ?? true,
    anonymous,
    speed_scoring: options.speedScoring ?? false,
    broadcast_id: runBroadcastId,
    steps: questions.map((q, i) => ({
      question_id: questionIds[i],
      broadcast_id: stepIds[i],
      time_limit: q.time_limit,
    })),
    state: options.state ?? 'running',
    current_index: 0,
    current_opened_at: pacing === 'instructor' ? openedAt : null,
    current_deadline:
      pacing === 'instructor' ? new Date(openedAt.getTime() + first.time_limit * 1000) : null,
    ends_at: options.endsAt ?? null,
    started_at: now,
    version: 1,
  });

  const read = async (): Promise<RunRecord> =>
    (await runs.findById(runId).lean<RunRecord>().exec()) as RunRecord;
  return {
    runId,
    meetingId,
    tokens,
    keys,
    stepIds,
    questionIds,
    read,
    advance: async (at = new Date()) => {
      const run = await read();
      const index = run.current_index + 1;
      await broadcasts.updateOne(
        { _id: stepIds[run.current_index], closed_at: null },
        { $set: { closed_at: at } },
      );
      await runs.updateOne(
        { _id: runId, current_index: run.current_index, state: 'running' },
        {
          $set: {
            current_index: index,
            current_opened_at: at,
            current_deadline: new Date(at.getTime() + questions[index].time_limit * 1000),
          },
          $inc: { version: 1 },
        },
      );
    },
    end: async () => {
      await runs.updateOne(
        { _id: runId, state: 'running' },
        {
          $set: {
            state: 'ended',
            ended_at: new Date(),
            end_reason: 'instructor',
            active_key: `ended:${runId.toHexString()}`,
          },
          $inc: { version: 1 },
        },
      );
    },
  };
}
