import { getConnectionToken } from '@nestjs/mongoose';
import { Types, type Connection } from 'mongoose';
import request from 'supertest';
import { RetentionService } from '../src/privacy/retention.service';
import { auth, createSet, getRun, runLinks, sweptAfterNow, waitForMessages } from './utils/runs';
import { waitUntil } from './utils/wait';
import {
  messagesPerRecipient,
  seedMeeting,
  startZoomWorld,
  type ZoomWorld,
} from './utils/zoom-world';

/**
 * Runs of question sets (issue 16, docs/architecture.md §27) against the real app, database and
 * Zoom simulator over HTTP: one message per person for a whole run, the instructor's moves,
 * late joiners.
 */
describe('Runs of question sets (e2e: app + database + Zoom simulator over HTTP)', () => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld({ app: { env: { RUNS_SWEEP_INTERVAL_MS: '200' } } });
  });
  afterAll(async () => world.close());
  beforeEach(() => world.sim.reset());

  it('reaches 50 people with one message each for a 5-question instructor-paced run, and moves through it without skipping', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 50, guests: 2 });
    const { setId, questionIds } = await createSet(app.url, 5);

    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    expect(started.body).toMatchObject({
      set_id: setId,
      meeting_id: meetingId,
      pacing: 'instructor',
      state: 'running',
      current_question: { id: questionIds[0], index: 0, title: 'Question 1', time_limit: 30 },
    });
    expect(started.body.steps).toHaveLength(5);

    const sent = await waitForMessages(app.url, runId);
    expect(sent.body.counts.recipients).toMatchObject({ total: 52, sent: 50, unreachable: 2 });

    // A second start of the same set in the same meeting while it runs: 409 naming it.
    const again = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(409);
    expect(again.body.details).toEqual({ running_run_id: runId });

    // The broadcasts list copes with the run's broadcast and its steps.
    const list = await request(app.url)
      .get(`/api/meetings/${meetingId}/broadcasts`)
      .set(auth)
      .expect(200);
    const ofRun = (
      list.body.items as Array<{ kind: string; run_id: string; run_index: number | null }>
    ).filter((b) => b.run_id === runId);
    expect(ofRun.filter((b) => b.kind === 'run')).toHaveLength(1);
    expect(
      ofRun
        .filter((b) => b.kind === 'question')
        .map((b) => b.run_index)
        .sort(),
    ).toEqual([0, 1, 2, 3, 4]);

    // next, with a stale index refused; the run moves one question per accepted move.
    const stepIds = (started.body.steps as Array<{ step_broadcast_id: string }>).map(
      (s) => s.step_broadcast_id,
    );
    // A run's question has no messages of its own: remind and retry say so; its results work.
    const remindStep = await request(app.url)
      .post(`/api/broadcasts/${stepIds[0]}/remind`)
      .set(auth)
      .expect(409);
    expect(remindStep.body.message).toMatch(/question of run .*no message of its own/);
    await request(app.url).post(`/api/broadcasts/${stepIds[0]}/retry`).set(auth).expect(409);
    await request(app.url).get(`/api/broadcasts/${stepIds[0]}/results`).set(auth).expect(200);
    // The run's message: retried like any send (nothing failed here); no remind, no results.
    const runBroadcast = started.body.broadcast_id as string;
    const retried = await request(app.url)
      .post(`/api/broadcasts/${runBroadcast}/retry`)
      .set(auth)
      .expect(202);
    expect(retried.body.requeued).toBe(0);
    const remindRun = await request(app.url)
      .post(`/api/broadcasts/${runBroadcast}/remind`)
      .set(auth)
      .expect(409);
    expect(remindRun.body.message).toMatch(/message of run/);
    let res = await request(app.url)
      .post(`/api/runs/${runId}/next`)
      .set(auth)
      .send({ current_index: 0 })
      .expect(200);
    expect(res.body.current_question).toMatchObject({ index: 1, id: questionIds[1] });
    const stale = await request(app.url)
      .post(`/api/runs/${runId}/next`)
      .set(auth)
      .send({ current_index: 0 })
      .expect(409);
    expect(stale.body.details).toMatchObject({ current_index: 1 });
    // The question left behind is closed like POST /api/broadcasts/{id}/close closes one.
    const first = await request(app.url).get(`/api/broadcasts/${stepIds[0]}`).set(auth).expect(200);
    expect(first.body.closed_at).not.toBeNull();
    const second = await request(app.url)
      .get(`/api/broadcasts/${stepIds[1]}`)
      .set(auth)
      .expect(200);
    expect(second.body.closed_at).toBeNull();

    for (const index of [1, 2, 3]) {
      res = await request(app.url)
        .post(`/api/runs/${runId}/next`)
        .set(auth)
        .send({ current_index: index })
        .expect(200);
      expect(res.body.current_question.index).toBe(index + 1);
    }
    // next on the last question ends the run.
    res = await request(app.url)
      .post(`/api/runs/${runId}/next`)
      .set(auth)
      .send({ current_index: 4 })
      .expect(200);
    expect(res.body).toMatchObject({
      state: 'ended',
      end_reason: 'finished',
      current_question: null,
    });
    expect(res.body.version).toBe(6);
    await request(app.url).post(`/api/runs/${runId}/next`).set(auth).send({}).expect(409);
    // Ending an ended run changes nothing.
    const ended = await request(app.url).post(`/api/runs/${runId}/end`).set(auth).expect(200);
    expect(ended.body).toMatchObject({ state: 'ended', end_reason: 'finished', version: 6 });

    // Exactly one message per reachable person for the whole run, each with a run link of its own.
    const perRecipient = messagesPerRecipient(sim);
    expect(perRecipient.size).toBe(50);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    // What the whole run cost in Zoom calls (docs/architecture.md §27): one post per person,
    // nothing for moving on, closing or ending.
    const chatCalls = sim.requests().filter((r) => r.path.includes('/chat/'));
    expect(chatCalls.map((r) => r.method)).toEqual(Array(50).fill('POST'));
    const tokens = [...runLinks(world).values()].flat();
    expect(new Set(tokens).size).toBe(50);
    expect(tokens.every((t) => t.length >= 20)).toBe(true);

    const meetingRuns = await request(app.url)
      .get(`/api/meetings/${meetingId}/runs`)
      .set(auth)
      .expect(200);
    expect(meetingRuns.body.items.map((r: { id: string }) => r.id)).toEqual([runId]);
  }, 180_000);

  it('gives a late joiner exactly one message while the run is running, and none after it ended', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 3 });
    const { setId } = await createSet(app.url, 2);
    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    await waitForMessages(app.url, runId);

    const late = sim.addUser({ email: 'late@example.com', name: 'Late Comer' });
    sim.join(meetingId, { name: 'Late Comer', email: late.email, zoomUserId: late.id });
    await sim.flushWebhooks();
    await waitUntil(
      () => messagesPerRecipient(sim).get('late@example.com') === 1,
      30_000,
      'the late joiner to get the run message',
    );
    // Joining again (a rejoin) and the sweeps give them no second message.
    sim.join(meetingId, { name: 'Late Comer', email: late.email, zoomUserId: late.id });
    await sim.flushWebhooks();
    await sweptAfterNow(world);
    await waitForMessages(app.url, runId);
    await request(app.url).post(`/api/runs/${runId}/end`).set(auth).expect(200);

    const later = sim.addUser({ email: 'later@example.com', name: 'Too Late' });
    sim.join(meetingId, { name: 'Too Late', email: later.email, zoomUserId: later.id });
    await sim.flushWebhooks();
    await sweptAfterNow(world);
    const run = await waitForMessages(app.url, runId);
    expect(run.body.counts.recipients.total).toBe(4);
    expect(messagesPerRecipient(sim).get('late@example.com')).toBe(1);
    expect(messagesPerRecipient(sim).get('later@example.com')).toBeUndefined();
    expect(messagesPerRecipient(sim).size).toBe(4);
  }, 120_000);

  it("a run started before class (yesterday's occurrence ended) reaches the class when the meeting starts; the meeting's end ends it", async () => {
    const { sim, app } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 3 });
    // Yesterday's class ended; today's has not started.
    sim.endMeeting(meetingId);
    await sim.flushWebhooks();
    const { setId } = await createSet(app.url, 2);
    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    expect(started.body.counts.recipients.total).toBe(0);

    // Today's occurrence starts and the class joins: each person gets the run's one message.
    sim.startMeeting(meetingId, { uuid: 'today-occurrence-uuid==' });
    for (const person of people) sim.join(meetingId, person);
    await sim.flushWebhooks();
    await sweptAfterNow(world);
    const sent = await waitForMessages(app.url, runId);
    expect(sent.body.counts.recipients).toMatchObject({ total: 3, sent: 3 });
    expect([...messagesPerRecipient(sim).values()]).toEqual([1, 1, 1]);

    // The meeting ends with the run still on question 1: nobody is left to move it on.
    sim.endMeeting(meetingId);
    await sim.flushWebhooks();
    await sweptAfterNow(world);
    const ended = await getRun(app.url, runId);
    expect(ended.body).toMatchObject({ state: 'ended', end_reason: 'meeting_ended' });
  }, 120_000);

  it('takes an Idempotency-Key: a repeated start answers the first run (or arm) and starts nothing more', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 2 });
    const { setId } = await createSet(app.url, 2);
    const start = () =>
      request(app.url)
        .post(`/api/question-sets/${setId}/runs`)
        .set({ ...auth, 'Idempotency-Key': 'start-run-1' })
        .send({ meeting_id: meetingId });
    const first = await start();
    expect(first.status).toBe(201);
    const again = await start();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    await waitForMessages(app.url, first.body.id as string);
    expect([...messagesPerRecipient(sim).values()]).toEqual([1, 1]);

    const arm = () =>
      request(app.url)
        .post(`/api/question-sets/${setId}/runs`)
        .set({ ...auth, 'Idempotency-Key': 'arm-run-1' })
        .send({ meeting_id: meetingId, start: 'on_meeting_start', delay_seconds: 5 });
    const armed = await arm();
    expect(armed.status).toBe(202);
    expect((await arm()).body.id).toBe(armed.body.id);
    const listed = await request(app.url)
      .get(`/api/meetings/${meetingId}/runs`)
      .set(auth)
      .expect(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.arms).toHaveLength(1);
  }, 60_000);

  it("erasure removes a person's places in runs, and retention removes old runs with them", async () => {
    const { sim, app } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 2 });
    const { setId } = await createSet(app.url, 2, { pacing: 'self' });
    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = new Types.ObjectId(started.body.id as string);
    // The run page's records of where each person is (run_progress, keyed by person key).
    const progress = app.app.get<Connection>(getConnectionToken()).collection('run_progress');
    await progress.insertMany(
      people.map((p) => ({ run_id: runId, recipient_key: p.zoomUserId, index: 1, answered: [0] })),
    );
    const erased = await request(app.url)
      .delete(`/api/people/${encodeURIComponent(people[0].email!)}`)
      .set(auth)
      .expect(200);
    expect(erased.body.removed.run_progress).toBe(1);
    expect(await progress.countDocuments({ run_id: runId })).toBe(1);

    const purged = await app.app
      .get(RetentionService)
      .purge(new Date(Date.now() + 24 * 60 * 60 * 1000));
    expect(purged.runs).toBeGreaterThanOrEqual(1);
    await request(app.url).get(`/api/runs/${runId.toHexString()}`).set(auth).expect(404);
    expect(await progress.countDocuments({ run_id: runId })).toBe(0);
  }, 60_000);

  it('auto-advances once every present person whose message went out has answered the current question', async () => {
    const { sim, app } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 3, guests: 1 });
    // Auto-advance after 10 minutes past the deadline: the time never decides here.
    const { setId } = await createSet(app.url, 2, {
      pacing: 'instructor',
      auto_advance_seconds: 600,
    });
    const started = await request(app.url)
      .post(`/api/question-sets/${setId}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = started.body.id as string;
    await waitForMessages(app.url, runId);
    const step = new Types.ObjectId(started.body.steps[0].step_broadcast_id as string);
    // Answers as the run page stores them: under the step, keyed by the person (run-page's part).
    const answers = app.app.get<Connection>(getConnectionToken()).collection('answers');
    const answer = (key: string) => ({
      broadcast_id: step,
      meeting_id: meetingId,
      recipient_key: key,
      choice: 0,
      correct: true,
      score: 10,
      answered_at: new Date(),
    });
    const members = people.filter((p) => p.email).map((p) => p.zoomUserId!);
    await answers.insertMany(members.slice(0, 2).map(answer));
    await sweptAfterNow(world);
    expect((await getRun(app.url, runId)).body.current_question.index).toBe(0);

    // The last reachable person answers (the guest, whom no message reached, is not waited for).
    await answers.insertOne(answer(members[2]));
    await waitUntil(
      async () => (await getRun(app.url, runId)).body.current_question?.index === 1,
      20_000,
      'auto-advance once everyone answered',
    );

    // A run's question is answered by the run's recipients: its results and the gradebook see
    // them (the run broadcast's deliveries, under the step's id).
    const results = await request(app.url)
      .get(`/api/broadcasts/${step.toHexString()}/results`)
      .set(auth)
      .expect(200);
    expect(results.body).toMatchObject({ recipients: 4, delivered: 3, answered: 3 });
    expect(results.body.responses).toHaveLength(3);
    const course = await request(app.url)
      .post('/api/courses')
      .set(auth)
      .send({ title: 'Runs course', meeting_ids: [meetingId] })
      .expect(201);
    const gradebook = await request(app.url)
      .get(`/api/courses/${course.body.id as string}/gradebook`)
      .set(auth)
      .expect(200);
    const column = (gradebook.body.questions as Array<{ broadcast_id: string }>).findIndex(
      (q) => q.broadcast_id === step.toHexString(),
    );
    expect(column).toBeGreaterThanOrEqual(0);
    const rows = gradebook.body.rows as Array<{
      zoom_user_id: string | null;
      cells: Array<{ points: number | null }>;
    }>;
    for (const key of members) {
      const row = rows.find((r) => r.zoom_user_id === key);
      expect(row?.cells[column].points).toBe(10);
    }
  }, 60_000);
});
