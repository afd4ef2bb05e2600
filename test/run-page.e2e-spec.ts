/**
 * The run page's rules (issue 16, docs/architecture.md §28) on runs written straight to the
 * database (test/utils/seed-run.ts), so each rule is pinned on its own: which links open a run,
 * the 409 for an answer naming another question, answers stored under the step, self pacing with
 * per-person clocks (a settable clock, no sleeps), an anonymous run's count, and the event stream
 * following a run moved on elsewhere. The whole flow through the run routes and the Zoom
 * simulator is test/run-flow.e2e-spec.ts.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import http from 'node:http';
import { Types, type Connection } from 'mongoose';
import { hashAnswerToken } from '../src/broadcasts/answer-link';
import request from 'supertest';
import { RunStreamsService } from '../src/runs/run-streams.service';
import { seedAnswered, questionOf } from './utils/seed-results';
import { seedRun } from './utils/seed-run';
import { SettableClock } from './utils/settable-clock';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';

const FORM = 'application/x-www-form-urlencoded';
const JSON_ACCEPT = { Accept: 'application/json' };

describe('run page (issue 16)', () => {
  let t: TestApp;
  const clock = new SettableClock();
  let db: Connection;

  beforeAll(async () => {
    t = await createTestApp({
      name: 'run_page',
      customize: (builder) => clock.install(builder),
    });
    db = t.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => clock.reset());

  const answersOf = (stepId: { toHexString(): string }) =>
    db.collection('answers').find({ broadcast_id: stepId }).toArray();

  it('a run link opens its page; unknown links and question links are 404; a run link on /q is 404', async () => {
    const run = await seedRun(t);
    const page = await request(t.url).get(`/r/${run.tokens[0]}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('Capital of France?');
    expect(page.text).toContain(`action="/r/${run.tokens[0]}/answer"`);
    expect(page.text).toContain(`name="question_id" value="${run.questionIds[0].toHexString()}"`);
    expect(page.text).toContain('Question 1 of 3');

    await request(t.url)
      .get(`/r/${'x'.repeat(43)}`)
      .expect(404);
    await request(t.url)
      .get(`/r/${'x'.repeat(43)}/state`)
      .set(JSON_ACCEPT)
      .expect(404);
    await request(t.url)
      .get(`/r/${'x'.repeat(43)}/events`)
      .set(JSON_ACCEPT)
      .expect(404);
    // A run link never opens the single-question page, nor answers there.
    await request(t.url).get(`/q/${run.tokens[0]}`).expect(404);
    await request(t.url).post(`/q/${run.tokens[0]}/answer`).send({ choice: 0 }).expect(404);

    // A question's link (a delivery of a question broadcast) never opens a run page.
    const { id } = await seedAnswered(
      t,
      questionOf({ options: ['a', 'b'], correct_answer: 0 }),
      [],
      {
        people: 1,
      },
    );
    const delivery = await db
      .collection('deliveries')
      .findOne({ broadcast_id: new Types.ObjectId(id) });
    expect(delivery).not.toBeNull();
    // seedAnswered stores random hashes: give that delivery a known token.
    const questionToken = 'q'.repeat(43);
    await db
      .collection('deliveries')
      .updateOne(
        { _id: delivery!._id },
        { $set: { answer_token_hash: hashAnswerToken(questionToken) } },
      );
    await request(t.url).get(`/q/${questionToken}`).expect(200);
    await request(t.url).get(`/r/${questionToken}`).expect(404);
    await request(t.url)
      .post(`/r/${questionToken}/answer`)
      .send({ question_id: run.questionIds[0].toHexString(), choice: 0 })
      .expect(404);
  });

  it('instructor pacing: answers go to the current step; another question gets 409 with the current id and stores nothing', async () => {
    const run = await seedRun(t, { people: 3 });
    const [a, b, c] = run.tokens;
    const q = run.questionIds.map((id) => id.toHexString());

    // An ObjectId is hex in either case: the upper-case id names the same question.
    const json = await request(t.url)
      .post(`/r/${a}/answer`)
      .send({ question_id: q[0].toUpperCase(), choice: 0 })
      .expect(200);
    expect(json.body).toMatchObject({
      question_id: q[0],
      question_index: 0,
      correct: true,
      next_question_index: null,
    });
    // The page's form (urlencoded), answered as on /q.
    const form = await request(t.url)
      .post(`/r/${b}/answer`)
      .type(FORM)
      .send(`question_id=${q[0]}&choice=1`)
      .expect(200);
    expect(form.text).toContain('Answer received');
    // The confirmation reloads itself at the deadline (to show the class's results then).
    expect(form.text).toMatch(/data-reload-ms="\d+"/);
    expect(form.text).toContain(`data-run-page="/r/${b}"`);
    // The first answer is final.
    await request(t.url).post(`/r/${a}/answer`).send({ question_id: q[0], choice: 1 }).expect(409);

    const stored = await answersOf(run.stepIds[0]);
    expect(stored.map((s) => s.recipient_key).sort()).toEqual([run.keys[0], run.keys[1]].sort());
    expect(stored.every((s) => s.anonymous === false && s.delivery_id !== null)).toBe(true);

    const state = await request(t.url).get(`/r/${a}/state`).expect(200);
    expect(state.body).toMatchObject({
      run_state: 'running',
      version: 1,
      phase: 'waiting',
      question_index: 0,
      question_id: q[0],
      answered: true,
    });
    // GET /r/{token} asking for JSON gets the same state.
    const asJson = await request(t.url).get(`/r/${c}`).set(JSON_ACCEPT).expect(200);
    expect(asJson.body).toMatchObject({ phase: 'question', question_id: q[0], answered: false });

    await run.advance();
    // c still names question 1: 409, the current question's id, nothing stored anywhere.
    const late = await request(t.url)
      .post(`/r/${c}/answer`)
      .send({ question_id: q[0], choice: 0 })
      .expect(409);
    expect(late.body.details[0]).toMatchObject({ field: 'question_id', current_question_id: q[1] });
    const lateForm = await request(t.url)
      .post(`/r/${c}/answer`)
      .type(FORM)
      .send(`question_id=${q[0]}&choice=0`)
      .expect(409);
    expect(lateForm.text).toContain('That question is over');
    expect(lateForm.text).toContain(`href="/r/${c}"`);
    expect(await answersOf(run.stepIds[0])).toHaveLength(2);
    expect(await answersOf(run.stepIds[1])).toHaveLength(0);

    // A bad value names the field; a missing question_id is a 400 too.
    const bad = await request(t.url)
      .post(`/r/${c}/answer`)
      .send({ question_id: q[1], value: 'four' })
      .expect(400);
    expect(bad.body.details[0].field).toBe('value');
    await request(t.url).post(`/r/${c}/answer`).send({ value: 4 }).expect(400);
    await request(t.url).post(`/r/${c}/answer`).send({ question_id: q[1], value: '4' }).expect(200);

    // The step's own results (the instructor's API) show the run's answers.
    const results = await request(t.url)
      .get(`/api/broadcasts/${run.stepIds[0].toHexString()}/results`)
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);
    expect(
      results.body.total_answers ?? results.body.answered ?? results.body.responses.length,
    ).toBe(2);

    // Answered before the deadline: waiting; the results appear once the time is up.
    const waiting = await request(t.url).get(`/r/${c}`).expect(200);
    expect(waiting.text).toContain('Waiting for the next question');
    expect(waiting.text).not.toContain('How the class answered');
    clock.set(Date.now() + 63_000);
    const after = await request(t.url).get(`/r/${c}`).expect(200);
    expect(after.text).toContain('How the class answered');
    expect(after.text).toContain('1 answer');
    await request(t.url).post(`/r/${b}/answer`).send({ question_id: q[1], value: 4 }).expect(410);
    clock.reset();

    await run.end();
    const ended = await request(t.url).get(`/r/${c}`).expect(200);
    expect(ended.text).toContain('This quiz is over');
    expect(ended.text).toMatch(/Your total: \d+ points?/);
    expect(ended.text).toMatch(/You are number \d of 3\./);
    // (b: c's link has used its per-link rate limit of answer posts for now.)
    await request(t.url).post(`/r/${b}/answer`).send({ question_id: q[1], value: 4 }).expect(410);
  });

  it('a late joiner starts at the current question', async () => {
    const run = await seedRun(t, { people: 2 });
    await run.advance();
    await run.advance();
    const state = await request(t.url).get(`/r/${run.tokens[1]}/state`).expect(200);
    expect(state.body).toMatchObject({
      phase: 'question',
      question_index: 2,
      question_id: run.questionIds[2].toHexString(),
    });
    const page = await request(t.url).get(`/r/${run.tokens[1]}`).expect(200);
    expect(page.text).toContain('Question 3 of 3');
    expect(page.text).toContain('Pick primes');
  });

  it('self pacing: each person on their own clock, moved on by answering or by their time running out', async () => {
    const T = Date.now();
    clock.set(T);
    const run = await seedRun(t, { pacing: 'self', people: 2, endsAt: new Date(T + 3_600_000) });
    const [a, b] = run.tokens;
    const q = run.questionIds.map((id) => id.toHexString());
    const progress = (key: string) =>
      db.collection('run_progress').findOne({ run_id: run.runId, recipient_key: key });

    // The first view starts a's clock on question 1; a reload does not restart it.
    await request(t.url).get(`/r/${a}`).expect(200);
    expect((await progress(run.keys[0]))?.opened_at).toEqual(new Date(T));
    clock.set(T + 10_000);
    const reload = await request(t.url).get(`/r/${a}/state`).expect(200);
    expect(reload.body).toMatchObject({
      phase: 'question',
      question_index: 0,
      remaining_ms: 50_000,
    });
    expect((await progress(run.keys[0]))?.opened_at).toEqual(new Date(T));

    // Answering moves a on (twice at once: one move only).
    const answered = await request(t.url)
      .post(`/r/${a}/answer`)
      .send({ question_id: q[0], choice: 0 })
      .expect(200);
    expect(answered.body.next_question_index).toBe(1);
    await request(t.url).post(`/r/${a}/answer`).send({ question_id: q[0], choice: 0 }).expect(409);
    expect((await progress(run.keys[0]))?.index).toBe(1);

    // b has not opened anything: their own clock starts at their first view, much later.
    clock.set(T + 100_000);
    const bState = await request(t.url).get(`/r/${b}/state`).expect(200);
    expect(bState.body).toMatchObject({
      phase: 'question',
      question_index: 0,
      remaining_ms: 60_000,
    });
    // Neither the polling fallback's /state nor a HEAD (a link preview) starts b's clock: only
    // being shown the question does.
    await request(t.url).head(`/r/${b}`).expect(200);
    expect((await progress(run.keys[1]))?.opened_at ?? null).toBeNull();
    await request(t.url).get(`/r/${b}`).expect(200);
    expect((await progress(run.keys[1]))?.opened_at).toEqual(new Date(T + 100_000));

    // a opens question 2 now; its 60 s run out (plus the 2 s grace): time up, then moved on.
    await request(t.url).get(`/r/${a}`).expect(200);
    clock.set(T + 161_000);
    const timeUp = await request(t.url).get(`/r/${a}`).expect(200);
    expect(timeUp.text).toContain('Time is up for this question');
    expect(timeUp.text).toContain('Next question');
    clock.set(T + 162_001);
    const moved = await request(t.url).get(`/r/${a}/state`).expect(200);
    expect(moved.body).toMatchObject({ phase: 'question', question_index: 2, answered: false });
    await request(t.url).post(`/r/${a}/answer`).send({ question_id: q[1], value: 4 }).expect(409);
    const last = await request(t.url)
      .post(`/r/${a}/answer`)
      .type(FORM)
      .send(`question_id=${q[2]}&choices=0&choices=2`)
      .expect(200);
    expect(last.text).toContain('See your total');
    const done = await request(t.url).get(`/r/${a}`).expect(200);
    expect(done.text).toContain('You have answered every question');
    expect(done.text).toMatch(/Your total: \d+ points?/);

    // The run's ends_at ends it for everyone.
    clock.set(T + 3_600_000);
    const over = await request(t.url).get(`/r/${b}/state`).expect(200);
    expect(over.body.phase).toBe('ended');
    await request(t.url).post(`/r/${b}/answer`).send({ question_id: q[0], choice: 0 }).expect(410);
  });

  it('anonymous run: one answer per person and question, counted in run_progress, answers naming nobody', async () => {
    const run = await seedRun(t, { anonymous: true, people: 2 });
    const q0 = run.questionIds[0].toHexString();
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        request(t.url).post(`/r/${run.tokens[0]}/answer`).send({ question_id: q0, choice: 0 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    await request(t.url)
      .post(`/r/${run.tokens[1]}/answer`)
      .send({ question_id: q0, choice: 1 })
      .expect(200);
    const stored = await answersOf(run.stepIds[0]);
    expect(stored).toHaveLength(2);
    for (const answer of stored) {
      expect(answer).toMatchObject({
        anonymous: true,
        name: '',
        email: null,
        delivery_id: null,
        latency_ms: null,
      });
      expect(String(answer.recipient_key)).toMatch(/^anon:/);
    }
    const counted = await db.collection('run_progress').find({ run_id: run.runId }).toArray();
    expect(counted.map((p) => p.answered)).toEqual([[0], [0]]);
    const state = await request(t.url).get(`/r/${run.tokens[0]}/state`).expect(200);
    expect(state.body).toMatchObject({ phase: 'waiting', answered: true });
    // A bad value does not use up the person's one answer.
    await run.advance();
    const q1 = run.questionIds[1].toHexString();
    await request(t.url)
      .post(`/r/${run.tokens[0]}/answer`)
      .send({ question_id: q1, value: 'x' })
      .expect(400);
    await request(t.url)
      .post(`/r/${run.tokens[0]}/answer`)
      .send({ question_id: q1, value: 4 })
      .expect(200);
  });

  it('the event stream follows a run moved on by another instance, with one watch per run however many streams', async () => {
    const run = await seedRun(t, { people: 3 });
    const streams = t.app.get(RunStreamsService);
    const before = streams.watchedRuns;
    const opened = run.tokens.map((token) => openStream(`${t.url}/r/${token}/events`));
    try {
      await waitUntil(
        () => opened.every((s) => s.versions.includes(1)),
        10_000,
        'the first state events',
      );
      expect(streams.watchedRuns).toBe(before + 1);
      // Written straight to the database: no local event, only the per-instance poll sees it.
      await run.advance();
      await waitUntil(
        () => opened.every((s) => s.versions.includes(2)),
        10_000,
        'the state event of version 2',
      );
      expect(opened[0].headers['content-type']).toMatch(/text\/event-stream/);
    } finally {
      for (const s of opened) s.close();
    }
    await waitUntil(
      () => streams.watchedRuns === before,
      10_000,
      'the watch to end with its streams',
    );
  });
});

interface OpenStream {
  versions: number[];
  headers: http.IncomingHttpHeaders;
  close(): void;
}

/** A raw SSE client: collects the `state` events' versions. */
function openStream(url: string): OpenStream {
  const out: OpenStream = { versions: [], headers: {}, close: () => undefined };
  const req = http.get(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
    out.headers = res.headers;
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.includes('event: state')) continue;
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) out.versions.push((JSON.parse(data.slice(6)) as { version: number }).version);
      }
    });
  });
  req.on('error', () => undefined);
  out.close = () => req.destroy();
  return out;
}
