import request from 'supertest';
import { RunsWorker } from '../src/runs/runs.worker';
import { TEST_API_KEY } from './utils/test-app';
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
const auth = { 'X-API-Key': TEST_API_KEY };

async function createSet(
  url: string,
  count: number,
  settings: Record<string, unknown> = { pacing: 'instructor' },
): Promise<{ setId: string; questionIds: string[] }> {
  const questionIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({
        title: `Question ${i + 1}`,
        question_text: `Which option is number ${i + 1}?`,
        options: ['One', 'Two', 'Three', 'Four', 'Five'],
        correct_answer: i,
        time_limit: 30,
      })
      .expect(201);
    questionIds.push(res.body.id as string);
  }
  const set = await request(url)
    .post('/api/question-sets')
    .set(auth)
    .send({ title: 'Week 3 quiz', question_ids: questionIds, ...settings })
    .expect(201);
  return { setId: set.body.id as string, questionIds };
}

async function getRun(url: string, id: string): Promise<request.Response> {
  return request(url).get(`/api/runs/${id}`).set(auth).expect(200);
}

/** Waits until the run broadcast has nothing pending or sending. */
async function waitForMessages(url: string, runId: string): Promise<request.Response> {
  let last!: request.Response;
  await waitUntil(
    async () => {
      last = await getRun(url, runId);
      const c = last.body.counts.recipients;
      return c.total > 0 && c.pending + c.sending === 0;
    },
    60_000,
    'the run messages to be sent',
    200,
  );
  return last;
}

/**
 * Lets the app's runs worker finish a whole sweep that began after this call (a sweep already
 * under way may have looked before the caller's change): the point by which it has acted.
 */
async function sweptAfterNow(world: ZoomWorld): Promise<void> {
  const worker = world.app.app.get(RunsWorker);
  await worker.sweep();
  await worker.sweep();
}

/** The run token in each run message (/r/{token}), by recipient. */
function runLinks(world: ZoomWorld): Map<string, string[]> {
  const links = new Map<string, string[]>();
  for (const m of world.sim.messages()) {
    const token = /\/r\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
    const key = m.to_contact ?? '?';
    links.set(key, [...(links.get(key) ?? []), token ?? '(no run link)']);
  }
  return links;
}

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
});
