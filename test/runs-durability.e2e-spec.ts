import request from 'supertest';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { Types } from 'mongoose';
import { BroadcastsService } from '../src/broadcasts/broadcasts.service';
import type { StoredRun } from '../src/runs/runs.repository';
import { RunsService } from '../src/runs/runs.service';
import { testMongoUri } from './utils/database';
import { auth, createSet, getRun, sweptAfterNow, waitForMessages } from './utils/runs';
import { SettableClock } from './utils/settable-clock';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { messagesPerRecipient, seedMeeting, SENDER_EMAIL, simulatorEnv } from './utils/zoom-world';

/**
 * Runs survive a restart and are shared by instances (issue 16, docs/architecture.md §27): the
 * run document is the state; every move is one conditional update; the runs worker on any
 * instance keeps deadlines going and finishes a start cut short. Each app has a SettableClock,
 * so deadlines pass when the test says, not when the machine gets round to it.
 */
describe('Runs: restarts, several instances, starts cut short (e2e)', () => {
  let sim: ZoomSimulator;
  const apps: TestApp[] = [];

  beforeEach(async () => {
    sim = await startZoomSimulator({ rateLimits: { medium: 1000, heavy: 1000, light: 1000 } });
    sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await sim.close();
  });

  async function startApp(mongoUri: string, clock: SettableClock): Promise<TestApp> {
    const app = await createTestApp({
      env: {
        ...simulatorEnv(sim),
        MONGO_URI: mongoUri,
        API_KEYS: TEST_API_KEY,
        RUNS_SWEEP_INTERVAL_MS: '100',
      },
      customize: (builder) => clock.install(builder),
    });
    apps.push(app);
    return app;
  }

  async function next(url: string, runId: string, body: object = {}) {
    return request(url).post(`/api/runs/${runId}/next`).set(auth).send(body);
  }

  it('a fresh instance on the same database finishes a run the first left after question 3, its worker keeping the deadlines', async () => {
    const uri = testMongoUri('runs_restart');
    const clock = new SettableClock();
    const t0 = Date.now();
    clock.set(t0);
    const first = await startApp(uri, clock);
    sim.setWebhookTarget(`${first.url}/api/zoom/webhook`);
    const { meetingId } = await seedMeeting(sim, { members: 20 });
    const { setId, questionIds } = await createSet(
      first.url,
      5,
      { pacing: 'instructor', auto_advance_seconds: 3 },
      10,
    );
    const started = await request(first.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    await waitForMessages(first.url, runId);
    for (const index of [0, 1]) {
      expect((await next(first.url, runId, { current_index: index })).status).toBe(200);
    }
    const before = await getRun(first.url, runId);
    expect(before.body.current_question).toMatchObject({ index: 2, id: questionIds[2] });
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // The second instance, on the same database, with the same time.
    const second = await startApp(uri, clock);
    sim.setWebhookTarget(`${second.url}/api/zoom/webhook`);
    const after = await getRun(second.url, runId);
    expect(after.body).toMatchObject({
      state: 'running',
      version: before.body.version,
      current_question: before.body.current_question,
    });
    // Its worker moves on when question 3's time (10 s) plus auto-advance (3 s) is up, not before.
    clock.set(t0 + 12_000);
    await sweptAfterNow({ app: second });
    expect((await getRun(second.url, runId)).body.current_question.index).toBe(2);
    clock.set(t0 + 13_001);
    await waitUntil(
      async () => (await getRun(second.url, runId)).body.current_question?.index === 3,
      20_000,
      'auto-advance to question 4 on the new instance',
    );
    // The instructor's next works there too, and the last question's time ends the run.
    expect((await next(second.url, runId, { current_index: 3 })).status).toBe(200);
    clock.set(t0 + 60_000);
    await waitUntil(
      async () => (await getRun(second.url, runId)).body.state === 'ended',
      20_000,
      'the run to end past its last deadline',
    );
    const done = await getRun(second.url, runId);
    expect(done.body).toMatchObject({ end_reason: 'finished', version: 6, current_question: null });
    // Still one message per person for the whole run.
    const perRecipient = messagesPerRecipient(sim);
    expect(perRecipient.size).toBe(20);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);

  it('two instances making the same move at once make it once', async () => {
    const uri = testMongoUri('runs_two');
    const clock = new SettableClock();
    const a = await startApp(uri, clock);
    const b = await startApp(uri, clock);
    sim.setWebhookTarget(`${a.url}/api/zoom/webhook`);
    const { meetingId } = await seedMeeting(sim, { members: 5 });
    const { setId } = await createSet(a.url, 4);
    const started = await request(b.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;

    // The same move made from the same read on both instances (what two requests, or two
    // workers, racing each other do): one applies, the other finds the run moved and changes
    // nothing.
    const read = await a.app.get(RunsService).byId(new Types.ObjectId(runId));
    const moves = await Promise.all([
      a.app.get(RunsService).advance(read as StoredRun),
      b.app.get(RunsService).advance(read as StoredRun),
    ]);
    expect(moves.filter((m) => m !== null)).toHaveLength(1);
    let run = await getRun(a.url, runId);
    expect(run.body).toMatchObject({ version: 2, current_question: { index: 1 } });

    // With current_index: one moves, the other is told it is stale.
    const both = await Promise.all([
      next(a.url, runId, { current_index: 1 }),
      next(b.url, runId, { current_index: 1 }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    run = await getRun(b.url, runId);
    expect(run.body).toMatchObject({ version: 3, current_question: { index: 2 } });

    // End on both at once: ended once, by the instructor.
    const ends = await Promise.all([
      request(a.url).post(`/api/runs/${runId}/end`).set(auth),
      request(b.url).post(`/api/runs/${runId}/end`).set(auth),
    ]);
    expect(ends.map((r) => r.status)).toEqual([200, 200]);
    run = await getRun(a.url, runId);
    expect(run.body).toMatchObject({ state: 'ended', end_reason: 'instructor', version: 4 });
    // Every question of an ended run is closed.
    for (const step of run.body.steps as Array<{ step_broadcast_id: string }>) {
      const b2 = await request(a.url).get(`/api/broadcasts/${step.step_broadcast_id}`).set(auth);
      expect(b2.body.closed_at).not.toBeNull();
    }
  }, 120_000);

  it('a start cut short after its run and steps were written is finished by the runs worker', async () => {
    const uri = testMongoUri('runs_cut_short');
    const clock = new SettableClock();
    const t0 = Date.now();
    clock.set(t0);
    const app = await startApp(uri, clock);
    sim.setWebhookTarget(`${app.url}/api/zoom/webhook`);
    const { meetingId } = await seedMeeting(sim, { members: 6 });
    const { setId } = await createSet(app.url, 3);

    // The run broadcast's write fails once, as a crash at that point would leave things.
    const broadcasts = app.app.get(BroadcastsService);
    const original = broadcasts.createRunBroadcast.bind(broadcasts);
    let failures = 0;
    broadcasts.createRunBroadcast = (input) => {
      if (failures++ === 0) return Promise.reject(new Error('simulated crash'));
      return original(input);
    };
    await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(500);
    const listed = await request(app.url).get(`/api/meetings/${meetingId}/runs`).set(auth);
    expect(listed.body.items).toHaveLength(1);
    const runId = listed.body.items[0].id as string;
    expect(listed.body.items[0].state).toBe('starting');
    expect(sim.messages()).toHaveLength(0);

    // A fresh start cut short is left to the request that is making it ...
    await sweptAfterNow({ app });
    expect((await getRun(app.url, runId)).body.state).toBe('starting');
    // ... and one left for longer is finished by the worker, with its steps written once.
    clock.set(t0 + 60_000);
    await waitUntil(
      async () => (await getRun(app.url, runId)).body.state === 'running',
      20_000,
      'the worker to finish the start',
    );
    await waitForMessages(app.url, runId);
    expect(messagesPerRecipient(sim).size).toBe(6);
    expect([...messagesPerRecipient(sim).values()].every((n) => n === 1)).toBe(true);
    const list = await request(app.url)
      .get(`/api/meetings/${meetingId}/broadcasts`)
      .set(auth)
      .expect(200);
    expect(list.body.items).toHaveLength(4);
  }, 120_000);

  it('a self-paced run ends by itself at its end (default: the time limits plus 600 s), and only then', async () => {
    const uri = testMongoUri('runs_self');
    const clock = new SettableClock();
    const t0 = Date.now();
    clock.set(t0);
    const app = await startApp(uri, clock);
    sim.setWebhookTarget(`${app.url}/api/zoom/webhook`);
    const { meetingId } = await seedMeeting(sim, { members: 3 });
    const { setId } = await createSet(app.url, 3, { pacing: 'self' }, 20);
    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    expect(started.body).toMatchObject({
      pacing: 'self',
      state: 'running',
      current_question: null,
    });
    expect(Date.parse(started.body.ends_at as string)).toBe(t0 + (3 * 20 + 600) * 1000);
    const moved = await next(app.url, runId, { current_index: 0 });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/self-paced/);

    clock.set(t0 + 659_000);
    await sweptAfterNow({ app });
    expect((await getRun(app.url, runId)).body.state).toBe('running');
    clock.set(t0 + 660_000);
    await waitUntil(
      async () => (await getRun(app.url, runId)).body.state === 'ended',
      20_000,
      'the self-paced run to end at its end',
    );
    const done = await getRun(app.url, runId);
    expect(done.body).toMatchObject({ end_reason: 'deadline', version: 2 });

    // duration_seconds sets the length instead.
    const timed = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId, duration_seconds: 90 })
      .expect(201);
    expect(Date.parse(timed.body.ends_at as string)).toBe(t0 + 660_000 + 90_000);
  }, 120_000);
});
