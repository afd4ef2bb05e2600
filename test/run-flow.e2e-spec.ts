/**
 * Runs through the participant's run link (issue 16, docs/architecture.md §28) against the real
 * app, database and Zoom simulator over HTTP: runs started with the run routes, links taken from
 * the messages the simulator accepted, every answer sent to `/r/{token}/answer` (JSON and the
 * page's form), and what the instructor's step results then show.
 */
import request from 'supertest';
import { SettableClock } from './utils/settable-clock';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const FORM = 'application/x-www-form-urlencoded';

interface Asked {
  body: Record<string, unknown>;
  /** The answer person i gives, as JSON and as the page's form. */
  json: (i: number) => Record<string, unknown>;
  form: (i: number) => string;
}

/** Five questions of five types; everyone even answers right, everyone odd wrong. */
const QUESTIONS: Asked[] = [
  {
    body: { type: 'single', options: ['Paris', 'Rome', 'Oslo'], correct_answer: 0 },
    json: (i) => ({ choice: i % 2 }),
    form: (i) => `choice=${i % 2}`,
  },
  {
    body: { type: 'numeric', correct_value: 4 },
    json: (i) => ({ value: i % 2 === 0 ? 4 : 5 }),
    form: (i) => `value=${i % 2 === 0 ? 4 : 5}`,
  },
  {
    body: { type: 'multiple', options: ['2', '4', '5'], correct_answers: [0, 2] },
    json: (i) => ({ choices: i % 2 === 0 ? [0, 2] : [1] }),
    form: (i) => (i % 2 === 0 ? 'choices=0&choices=2' : 'choices=1'),
  },
  {
    body: { type: 'true_false', correct_answer: 0 },
    json: (i) => ({ choice: i % 2 }),
    form: (i) => `choice=${i % 2}`,
  },
  {
    body: { type: 'text', accepted_answers: ['photosynthesis'] },
    json: (i) => ({ text: i % 2 === 0 ? 'Photosynthesis' : 'Osmosis' }),
    form: (i) => `text=${i % 2 === 0 ? 'Photosynthesis' : 'Osmosis'}`,
  },
];

async function createSet(
  url: string,
  settings: Record<string, unknown>,
  questions = QUESTIONS,
): Promise<{ setId: string; questionIds: string[] }> {
  const questionIds: string[] = [];
  for (const [i, q] of questions.entries()) {
    const res = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({
        title: `Q${i + 1}`,
        question_text: `Question ${i + 1}?`,
        time_limit: 120,
        ...q.body,
      });
    expect([res.status, res.body.message]).toEqual([201, undefined]);
    questionIds.push(res.body.id as string);
  }
  const set = await request(url)
    .post('/api/question-sets')
    .set(auth)
    .send({ title: 'Run page quiz', question_ids: questionIds, ...settings })
    .expect(201);
  return { setId: set.body.id as string, questionIds };
}

/** Starts a run now and waits for its messages; answers its id and each person's run token. */
async function startRun(
  world: ZoomWorld,
  setId: string,
  meetingId: string,
  body: Record<string, unknown> = {},
): Promise<{ runId: string; steps: string[]; tokens: Map<string, string> }> {
  const { app } = world;
  const started = await request(app.url)
    .post(`/api/question-sets/${setId}/runs`)
    .set(auth)
    .send({ meeting_id: meetingId, ...body })
    .expect(201);
  const runId = started.body.id as string;
  await waitUntil(
    async () => {
      const run = await request(app.url).get(`/api/runs/${runId}`).set(auth).expect(200);
      const c = run.body.counts.recipients;
      return c.total > 0 && c.pending + c.sending === 0;
    },
    60_000,
    'the run messages to be sent',
    200,
  );
  return {
    runId,
    steps: (started.body.steps as Array<{ step_broadcast_id: string }>).map(
      (s) => s.step_broadcast_id,
    ),
    tokens: runTokens(world),
  };
}

/** The run token in each message the simulator accepted, by recipient (the last one). */
function runTokens(world: ZoomWorld): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const m of world.sim.messages()) {
    const token = /\/r\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
    if (token && m.to_contact) tokens.set(m.to_contact, token);
  }
  return tokens;
}

describe('Run links end to end (app + database + Zoom simulator over HTTP)', () => {
  let world: ZoomWorld;
  const clock = new SettableClock();

  beforeAll(async () => {
    world = await startZoomWorld({
      app: {
        env: { RUNS_SWEEP_INTERVAL_MS: '200' },
        customize: (builder) => clock.install(builder),
      },
    });
  });
  afterAll(async () => world.close());
  beforeEach(() => world.sim.reset());
  afterEach(() => clock.reset());

  it('50 people answer a 5-question instructor-paced run through their run links; a previous question gets 409; a late joiner starts at the current question', async () => {
    const { sim, app } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 50 });
    const { setId, questionIds } = await createSet(app.url, { pacing: 'instructor' });
    const { runId, steps, tokens } = await startRun(world, setId, meetingId);
    const everyone = people.map((p) => tokens.get(p.email ?? '') ?? '');
    expect(everyone.every((t) => t.length >= 20)).toBe(true);
    expect(new Set(everyone).size).toBe(50);

    let late: string | null = null;
    for (const [index, question] of QUESTIONS.entries()) {
      // Half answer with JSON, half through the page's form.
      const answers = await Promise.all(
        everyone.map((token, i) =>
          i % 2 === 0
            ? request(app.url)
                .post(`/r/${token}/answer`)
                .send({ question_id: questionIds[index], ...question.json(i) })
            : request(app.url)
                .post(`/r/${token}/answer`)
                .type(FORM)
                .send(`question_id=${questionIds[index]}&${question.form(i)}`),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(everyone.map(() => 200));
      expect(answers[0].body).toMatchObject({ question_index: index, correct: true });
      expect(answers[1].text).toContain('Answer received');

      const results = await request(app.url)
        .get(`/api/broadcasts/${steps[index]}/results`)
        .set(auth)
        .expect(200);
      expect(results.body.answered).toBe(50);
      expect(results.body.correct_count).toBe(25);

      if (index === 2) {
        // Someone joins after question 3 opened: their link opens the question the run is on.
        const user = sim.addUser({ email: 'late@example.com', name: 'Late Comer' });
        sim.join(meetingId, { name: 'Late Comer', email: user.email, zoomUserId: user.id });
        await sim.flushWebhooks();
        await waitUntil(
          () => runTokens(world).has('late@example.com'),
          30_000,
          'the late joiner to get the run link',
        );
        late = runTokens(world).get('late@example.com') ?? null;
        const state = await request(app.url).get(`/r/${late}/state`).expect(200);
        expect(state.body).toMatchObject({
          phase: 'question',
          question_index: 2,
          question_id: questionIds[2],
        });
        const page = await request(app.url).get(`/r/${late}`).expect(200);
        expect(page.text).toContain('Question 3 of 5');
        await request(app.url)
          .post(`/r/${late}/answer`)
          .send({ question_id: questionIds[2], choices: [0, 2] })
          .expect(200);
      }

      const next = await request(app.url)
        .post(`/api/runs/${runId}/next`)
        .set(auth)
        .send({ current_index: index })
        .expect(200);

      if (index === 1) {
        // An answer to the question just left behind: 409 naming the current one, not stored.
        const stale = await request(app.url)
          .post(`/r/${everyone[0]}/answer`)
          .send({ question_id: questionIds[1], value: 4 })
          .expect(409);
        expect(stale.body.details[0].current_question_id).toBe(questionIds[2]);
        const before = await request(app.url)
          .get(`/api/broadcasts/${steps[1]}/results`)
          .set(auth)
          .expect(200);
        expect(before.body.answered).toBe(50);
        expect(next.body.current_question.index).toBe(2);
      }
    }

    // The run ended with the last next: each page shows the person's total and rank.
    const final = await request(app.url).get(`/r/${everyone[0]}`).expect(200);
    expect(final.text).toContain('This quiz is over');
    // Five right answers at the default 10 points each; the 25 right-answerers share rank 1.
    expect(final.text).toMatch(/Your total: 50 points/);
    expect(final.text).toMatch(/You are number 1 of 51\./);
    const wrong = await request(app.url).get(`/r/${everyone[1]}`).expect(200);
    expect(wrong.text).toMatch(/Your total: 0 points/);
    expect(late).not.toBeNull();
    // One message per person for the whole run, the late joiner's included.
    expect(sim.messages().filter((m) => /\/r\//.test(m.message))).toHaveLength(51);
  }, 240_000);

  it('an anonymous run counts one answer per person and question', async () => {
    const { sim, app } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 3 });
    const { setId, questionIds } = await createSet(
      app.url,
      { pacing: 'instructor', anonymous: true },
      QUESTIONS.slice(0, 2),
    );
    const { steps, tokens } = await startRun(world, setId, meetingId);
    const [a, b] = people.map((p) => tokens.get(p.email ?? '') ?? '');
    const tries = await Promise.all(
      [0, 1, 2].map(() =>
        request(app.url).post(`/r/${a}/answer`).send({ question_id: questionIds[0], choice: 0 }),
      ),
    );
    expect(tries.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    await request(app.url)
      .post(`/r/${b}/answer`)
      .send({ question_id: questionIds[0], choice: 1 })
      .expect(200);
    const results = await request(app.url)
      .get(`/api/broadcasts/${steps[0]}/results`)
      .set(auth)
      .expect(200);
    expect(results.body).toMatchObject({ anonymous: true, answered: 2, responses: [] });
    const state = await request(app.url).get(`/r/${a}/state`).expect(200);
    expect(state.body).toMatchObject({ phase: 'waiting', answered: true });
  }, 120_000);

  it('a self-paced run: each person on their own question and time limit', async () => {
    const { sim, app } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 2 });
    const { setId, questionIds } = await createSet(
      app.url,
      { pacing: 'self' },
      QUESTIONS.slice(0, 3),
    );
    const T = Date.now();
    clock.set(T);
    const { steps, tokens } = await startRun(world, setId, meetingId, {
      duration_seconds: 3600,
    });
    const [a, b] = people.map((p) => tokens.get(p.email ?? '') ?? '');

    // a goes quickly: answering moves them on.
    await request(app.url).get(`/r/${a}`).expect(200);
    const first = await request(app.url)
      .post(`/r/${a}/answer`)
      .send({ question_id: questionIds[0], choice: 0 })
      .expect(200);
    expect(first.body.next_question_index).toBe(1);
    const aState = await request(app.url).get(`/r/${a}/state`).expect(200);
    expect(aState.body).toMatchObject({ question_index: 1, question_id: questionIds[1] });

    // b opens question 1 later (the page, here asking for JSON: /state alone starts no clock);
    // its 120 s count from then, and running out moves b on.
    clock.set(T + 30_000);
    const opened = await request(app.url)
      .get(`/r/${b}`)
      .set('Accept', 'application/json')
      .expect(200);
    expect(opened.body).toMatchObject({ question_index: 0, remaining_ms: 120_000 });
    clock.set(T + 30_000 + 122_001);
    const moved = await request(app.url).get(`/r/${b}/state`).expect(200);
    expect(moved.body).toMatchObject({ phase: 'question', question_index: 1, answered: false });
    await request(app.url)
      .post(`/r/${b}/answer`)
      .send({ question_id: questionIds[0], choice: 0 })
      .expect(409);

    const results = await request(app.url)
      .get(`/api/broadcasts/${steps[0]}/results`)
      .set(auth)
      .expect(200);
    expect(results.body.answered).toBe(1);
  }, 120_000);
});
