/**
 * The answer page and the results API over real HTTP against the real app and database. Broadcasts
 * and deliveries are written straight to the database (as the sender would leave them), so these
 * tests pin the answer module's own behaviour; answers-flow.e2e-spec.ts runs the whole chain
 * through the Zoom simulator.
 */
import { getModelToken } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import http from 'node:http';
import request from 'supertest';
import { answerToken, hashAnswerToken } from '../src/broadcasts/answer-link';
import { questionSnapshot, type QuestionSnapshot } from '../src/broadcasts/broadcast.types';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { LiveAnswersService } from '../src/answers/live/live-answers.service';
import { Answer } from '../src/answers/schemas/answer.schema';
import { SettableClock } from './utils/settable-clock';
import { TEST_API_KEY } from './utils/test-app';
import { startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const FORM = 'application/x-www-form-urlencoded';
const QUESTION: QuestionSnapshot = questionSnapshot({
  title: 'Capital <b>of</b> France',
  question_text: 'Which city is the capital of France? <script>alert(1)</script>',
  options: ['Berlin', 'Paris', 'Rome & Milan'],
  correct_answer: 1,
  time_limit: 30,
  points: 100,
});

interface Seeded {
  broadcastId: Types.ObjectId;
  meetingId: string;
  tokens: string[];
  deliveryIds: Types.ObjectId[];
}

describe('Answer page and results (e2e, seeded database)', () => {
  let world: ZoomWorld;
  let url: string;
  let broadcasts: Model<Broadcast>;
  let deliveries: Model<Delivery>;
  let answers: Model<Answer>;
  let meetingSeq = 90000000;
  const clock = new SettableClock();

  beforeAll(async () => {
    world = await startZoomWorld({
      app: { env: { ANSWER_GRACE_SECONDS: '2' }, customize: (b) => clock.install(b) },
    });
    url = world.app.url;
    broadcasts = world.app.app.get(getModelToken(Broadcast.name));
    deliveries = world.app.app.get(getModelToken(Delivery.name));
    answers = world.app.app.get(getModelToken(Answer.name));
    // Let the background index builds finish before writing (the test server races them).
    await Promise.all([answers.init(), broadcasts.init(), deliveries.init()]);
  });
  afterAll(async () => world.close());
  afterEach(() => clock.reset());

  /** A question broadcast whose messages all went out `sentAgoMs` ago, as the sender leaves it. */
  async function seed(
    options: {
      question?: Partial<QuestionSnapshot>;
      mode?: 'direct' | 'channel';
      recipients?: Array<{ key: string; name: string; email?: string | null }>;
      sentAgoMs?: number;
      meetingId?: string;
    } = {},
  ): Promise<Seeded> {
    const question = { ...QUESTION, ...options.question };
    const mode = options.mode ?? 'direct';
    const meetingId = options.meetingId ?? String(meetingSeq++);
    const sentAt = new Date(Date.now() - (options.sentAgoMs ?? 0));
    const broadcast = await broadcasts.create({
      meeting_id: meetingId,
      kind: 'question',
      question,
      mode,
      channel_id: mode === 'channel' ? 'chan1' : null,
      opens_at: sentAt,
    });
    const people =
      mode === 'channel'
        ? [{ key: 'channel:chan1', name: 'Meeting chat channel', email: null }]
        : (options.recipients ?? [
            { key: 'u-ada', name: 'Ada', email: 'ada@example.com' },
            { key: 'u-bob', name: 'Bob', email: 'bob@example.com' },
            { key: 'u-cy', name: 'Cy', email: 'cy@example.com' },
          ]);
    const secret = world.app.config.answers.tokenSecret;
    const ids = people.map(() => new Types.ObjectId());
    await deliveries.insertMany(
      people.map((p, i) => ({
        _id: ids[i],
        broadcast_id: broadcast._id,
        recipient_key: p.key,
        name: p.name,
        email: p.email ?? null,
        status: 'sent',
        available_at: sentAt,
        sent_at: sentAt,
        closes_at: new Date(sentAt.getTime() + question.time_limit * 1000),
        answer_token_hash: hashAnswerToken(answerToken(secret, ids[i])),
      })),
    );
    return {
      broadcastId: broadcast._id,
      meetingId,
      deliveryIds: ids,
      tokens: ids.map((id) => answerToken(secret, id)),
    };
  }

  describe('GET /q/{token}', () => {
    it('serves the question page: escaped, countdown from the server, strict headers, no API key', async () => {
      const { tokens } = await seed({ sentAgoMs: 10_000 });
      const res = await request(url).get(`/q/${tokens[0]}`).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).toContain('Capital &lt;b&gt;of&lt;/b&gt; France');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.toContain('<script>alert(1)');
      expect(res.text).toContain('Rome &amp; Milan');
      const remaining = Number(/data-remaining-ms="(\d+)"/.exec(res.text)?.[1]);
      expect(remaining).toBeGreaterThan(18_000);
      expect(remaining).toBeLessThanOrEqual(20_000);
      expect(res.text).not.toContain('name="email"');
    });

    it('serves its script and stylesheet as same-origin files', async () => {
      const { tokens } = await seed();
      const page = await request(url).get(`/q/${tokens[0]}`).expect(200);
      const js = /src="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const css = /href="([^"]+\.css[^"]*)"/.exec(page.text)?.[1] ?? '';
      const script = await request(url).get(js).expect(200);
      expect(script.headers['content-type']).toContain('text/javascript');
      expect(script.text).toContain('data-remaining-ms');
      const sheet = await request(url).get(css).expect(200);
      expect(sheet.headers['content-type']).toContain('text/css');
    });

    it('answers an unknown or malformed token with a friendly 404 page', async () => {
      for (const token of ['A'.repeat(43), 'nope', '%3Cscript%3E']) {
        const res = await request(url).get(`/q/${token}`).expect(404);
        expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(res.text).toContain('This link does not work');
        expect(res.text).not.toContain('<script>');
      }
      const json = await request(url)
        .get(`/q/${'A'.repeat(43)}`)
        .set('Accept', 'application/json')
        .expect(404);
      expect(json.body).toMatchObject({
        statusCode: 404,
        message: 'This answer link is not valid',
      });
    });

    it('shows the question as closed after the deadline', async () => {
      const { tokens } = await seed({ sentAgoMs: 31_000 });
      const res = await request(url).get(`/q/${tokens[0]}`).expect(200);
      expect(res.text).toContain('This question is closed');
      expect(res.text).not.toContain('<form');
    });
  });

  describe('POST /q/{token}/answer', () => {
    it('JSON: stores the first answer, reveals correctness and score, refuses a second (409)', async () => {
      const { tokens, broadcastId } = await seed();
      const res = await request(url).post(`/q/${tokens[0]}/answer`).send({ choice: 1 }).expect(200);
      expect(res.body).toMatchObject({ choice: 1, correct: true, points: 100 });
      expect(res.body.score).toBeGreaterThanOrEqual(99);
      expect(res.body.latency_ms).toBeLessThan(5_000);
      const again = await request(url)
        .post(`/q/${tokens[0]}/answer`)
        .send({ choice: 0 })
        .expect(409);
      expect(again.body).toMatchObject({ statusCode: 409 });
      const stored = await answers.find({ broadcast_id: broadcastId }).lean();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        recipient_key: 'u-ada',
        name: 'Ada',
        choice: 1,
        correct: true,
      });
    });

    it('form post (no JavaScript): an HTML confirmation, then the page shows the answer given', async () => {
      const { tokens } = await seed();
      const res = await request(url)
        .post(`/q/${tokens[1]}/answer`)
        .type(FORM)
        .send('choice=0')
        .expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toContain('Answer received');
      expect(res.text).toContain('Not the right answer');
      const page = await request(url).get(`/q/${tokens[1]}`).expect(200);
      expect(page.text).toContain('You have already answered');
      expect(page.text).toContain('A. Berlin');
      const again = await request(url)
        .post(`/q/${tokens[1]}/answer`)
        .type(FORM)
        .send('choice=1')
        .expect(409);
      expect(again.text).toContain('You have already answered');
    });

    it('refuses a choice that is not an option (400), as JSON or as a page', async () => {
      const { tokens, broadcastId } = await seed();
      // Spread over three links: each link allows a burst of 5 before 429.
      const bodies = [{ choice: 3 }, { choice: -1 }, { choice: 'x' }, {}, { choice: 1.5 }];
      for (const [i, body] of bodies.entries()) {
        const res = await request(url)
          .post(`/q/${tokens[i % 2]}/answer`)
          .send(body)
          .expect(400);
        expect(res.body.statusCode).toBe(400);
      }
      const page = await request(url)
        .post(`/q/${tokens[2]}/answer`)
        .type(FORM)
        .send('choice=7')
        .expect(400);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.text).toContain('Your answer could not be read');
      // An operator smuggled in as the choice is a validation error, never a query.
      await request(url)
        .post(`/q/${tokens[2]}/answer`)
        .send({ choice: { $gt: 0 } })
        .expect(400);
      expect(await answers.countDocuments({ broadcast_id: broadcastId })).toBe(0);
    });

    it('an unknown token is 404 for posts too', async () => {
      await request(url)
        .post(`/q/${'B'.repeat(43)}/answer`)
        .send({ choice: 0 })
        .expect(404);
    });

    it('after the deadline plus grace: 410 closed; within the grace: accepted at half points', async () => {
      // The window is 30 s and the grace 2 s (ANSWER_GRACE_SECONDS above); the clock is set, so
      // the margins below hold however slowly the requests travel.
      const { tokens, deliveryIds } = await seed();
      const delivery = await deliveries.findById(deliveryIds[0]).orFail().lean();
      const closesAt = delivery.closes_at?.getTime() ?? NaN;
      const closedAt = closesAt + 2_000;

      clock.set(closedAt + 1);
      const res = await request(url).post(`/q/${tokens[0]}/answer`).send({ choice: 1 }).expect(410);
      expect(res.body.message).toMatch(/closed/);
      const page = await request(url)
        .post(`/q/${tokens[1]}/answer`)
        .type(FORM)
        .send('choice=1')
        .expect(410);
      expect(page.text).toContain('This question is closed');

      clock.set(closedAt);
      const ok = await request(url).post(`/q/${tokens[2]}/answer`).send({ choice: 1 }).expect(200);
      expect(ok.body.score).toBe(50);
      clock.set(closesAt + 1);
      const closedPage = await request(url).get(`/q/${tokens[0]}`).expect(200);
      expect(closedPage.text).toContain('This question is closed');
    });

    it('moving closes_at in the database closes the window at once', async () => {
      const { tokens, deliveryIds } = await seed();
      await deliveries.updateOne(
        { _id: deliveryIds[2] },
        { $set: { closes_at: new Date(Date.now() - 2_500) } },
      );
      await request(url).post(`/q/${tokens[2]}/answer`).send({ choice: 1 }).expect(410);
    });

    it('speed scoring: halfway through the window a right answer earns 75% of the points', async () => {
      const { tokens } = await seed({ sentAgoMs: 15_000 });
      const res = await request(url).post(`/q/${tokens[0]}/answer`).send({ choice: 1 }).expect(200);
      // The score follows from the latency the server measured, however long the request took on
      // a loaded machine: 100 points falling linearly to 50 over the 30 s window.
      const latency = res.body.latency_ms as number;
      expect(latency).toBeGreaterThanOrEqual(15_000);
      expect(latency).toBeLessThan(30_000);
      expect(res.body.score).toBe(Math.round(100 * (1 - latency / 30_000 / 2)));
      expect(res.body.score).toBeLessThanOrEqual(75);
    });

    it('a survey question: correct null, score 0', async () => {
      const { tokens } = await seed({ question: { correct_answer: null } });
      const res = await request(url).post(`/q/${tokens[0]}/answer`).send({ choice: 2 }).expect(200);
      expect(res.body).toMatchObject({ correct: null, score: 0 });
    });

    it('concurrent submissions from one link: exactly one is stored', async () => {
      const { tokens, broadcastId } = await seed();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(url)
            .post(`/q/${tokens[0]}/answer`)
            .send({ choice: i % 3 }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.every((s) => [200, 409, 429].includes(s))).toBe(true);
      expect(await answers.countDocuments({ broadcast_id: broadcastId })).toBe(1);
    });

    it('rate-limits one link: 429 with Retry-After', async () => {
      const { tokens } = await seed();
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 8; i++) {
        const res = await request(url).post(`/q/${tokens[2]}/answer`).send({ choice: 9 });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers['retry-after'];
      }
      expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    });
  });

  describe('channel mode (one shared link)', () => {
    it('asks for name and email and attributes each answer to the lower-cased email', async () => {
      const { tokens, broadcastId } = await seed({ mode: 'channel' });
      const page = await request(url).get(`/q/${tokens[0]}`).expect(200);
      expect(page.text).toContain('<label for="name">Your name</label>');
      expect(page.text).toContain('<label for="email">Your email</label>');

      const missing = await request(url)
        .post(`/q/${tokens[0]}/answer`)
        .send({ choice: 1 })
        .expect(400);
      expect(missing.body.message).toMatch(/name and email/);
      await request(url)
        .post(`/q/${tokens[0]}/answer`)
        .send({ choice: 1, name: 'Dee', email: 'not-an-email' })
        .expect(400);

      const form = await request(url)
        .post(`/q/${tokens[0]}/answer`)
        .type(FORM)
        .send(`choice=1&name=${encodeURIComponent('Dee <i>')}&email=Dee%40Example.com`)
        .expect(200);
      expect(form.text).toContain('Answer received');
      await request(url)
        .post(`/q/${tokens[0]}/answer`)
        .send({ choice: 0, name: 'Dee again', email: 'dee@example.COM' })
        .expect(409);
      await request(url)
        .post(`/q/${tokens[0]}/answer`)
        .send({ choice: 0, name: 'Eve', email: 'eve@example.com' })
        .expect(200);

      const stored = await answers.find({ broadcast_id: broadcastId }).sort({ name: 1 }).lean();
      expect(stored.map((a) => [a.recipient_key, a.name, a.email, a.self_reported])).toEqual([
        ['self:dee@example.com', 'Dee <i>', 'dee@example.com', true],
        ['self:eve@example.com', 'Eve', 'eve@example.com', true],
      ]);
    });

    it('bounds answers per link per client address (ANSWERS_PER_LINK_PER_ADDRESS, default 5)', async () => {
      const { tokens, broadcastId } = await seed({ mode: 'channel' });
      const statuses: number[] = [];
      let refusal: request.Response | undefined;
      for (let i = 0; i < 8; i++) {
        const res = await request(url)
          .post(`/q/${tokens[0]}/answer`)
          .send({ choice: 1, name: `Voter ${i}`, email: `voter${i}@made-up.example` });
        statuses.push(res.status);
        if (res.status === 429) refusal = res;
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      expect(refusal?.body.message).toMatch(/already taken 5 answers from your network address/);
      expect(Number(refusal?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await answers.countDocuments({ broadcast_id: broadcastId })).toBe(5);
      // A refused or duplicate answer costs nothing: only stored answers count.
      const other = await seed({ mode: 'channel' });
      const post = (email: string) =>
        request(url).post(`/q/${other.tokens[0]}/answer`).send({ choice: 1, name: 'X', email });
      await post('same@made-up.example').expect(200);
      for (let i = 0; i < 4; i++) await post('same@made-up.example').expect(409);
      for (let i = 0; i < 4; i++) await post(`other${i}@made-up.example`).expect(200);
      await post('one-too-many@made-up.example').expect(429);
    });

    it('a typed email of someone Zoom identified never takes over their answers or row', async () => {
      const meetingId = String(meetingSeq++);
      const direct = await seed({
        meetingId,
        recipients: [{ key: 'u-ada', name: 'Ada', email: 'ada@example.com' }],
      });
      const channel = await seed({ meetingId, mode: 'channel' });
      await request(url)
        .post(`/q/${channel.tokens[0]}/answer`)
        .send({ choice: 1, name: 'Mallory', email: 'ADA@example.com' })
        .expect(200);
      // Ada's own personal link still takes her answer.
      await request(url).post(`/q/${direct.tokens[0]}/answer`).send({ choice: 0 }).expect(200);

      const results = await request(url)
        .get(`/api/broadcasts/${channel.broadcastId.toHexString()}/results`)
        .set(auth)
        .expect(200);
      expect(results.body).toMatchObject({
        answered: 1,
        answered_verified: 0,
        answered_self_reported: 1,
      });
      expect(results.body.responses).toEqual([
        expect.objectContaining({
          recipient_key: 'self:ada@example.com',
          identity: 'self_reported',
          name: 'Mallory',
        }),
      ]);
      const csv = await request(url)
        .get(`/api/broadcasts/${channel.broadcastId.toHexString()}/results.csv`)
        .set(auth)
        .expect(200);
      const [header, row] = csv.text.split('\r\n');
      expect(header.split(',')[12]).toBe('identity');
      expect(row).toMatch(
        /^Mallory,ada@example\.com,self:ada@example\.com,yes,.*,self_reported,single,\w+,\d,[01]$/,
      );

      const board = await request(url)
        .get(`/api/meetings/${meetingId}/leaderboard`)
        .set(auth)
        .expect(200);
      const rows = (
        board.body.items as Array<{
          person_key: string;
          identity: string;
          name: string;
          total: number;
        }>
      ).map((r) => [r.person_key, r.identity, r.name]);
      expect(rows).toEqual(
        expect.arrayContaining([
          ['u-ada', 'verified', 'Ada'],
          ['self:ada@example.com', 'self_reported', 'Mallory'],
        ]),
      );
      expect(rows).toHaveLength(2);
    });
  });

  it('documents the routes in OpenAPI, results with response DTOs and error bodies', async () => {
    const doc = (await request(url).get('/docs-json').expect(200)).body;
    const ref = (schema: { $ref?: string } | undefined) => schema?.$ref?.split('/').pop();
    const json = (
      op: { responses: Record<string, { content?: Record<string, { schema?: object }> }> },
      status: string,
    ) => ref(op.responses[status]?.content?.['application/json']?.schema);
    const results = doc.paths['/api/broadcasts/{id}/results'].get;
    expect(json(results, '200')).toBe('ResultsResponseDto');
    expect(json(results, '404')).toBe('ErrorBodyDto');
    expect(json(results, '401')).toBe('ErrorBodyDto');
    expect(json(doc.paths['/api/meetings/{meeting_id}/leaderboard'].get, '200')).toBe(
      'LeaderboardResponseDto',
    );
    expect(json(doc.paths['/api/broadcasts/{id}/remind'].post, '202')).toBe('RemindResponseDto');
    expect(
      doc.paths['/api/broadcasts/{id}/results.csv'].get.responses['200'].content,
    ).toHaveProperty('text/csv');
    expect(doc.paths['/api/broadcasts/{id}/stream'].get.responses['200'].content).toHaveProperty(
      'text/event-stream',
    );
    const answer = doc.paths['/q/{token}/answer'].post;
    expect(json(answer, '200')).toBe('AnswerResultDto');
    expect(['409', '410', '429'].map((s) => json(answer, s))).toEqual([
      'ErrorBodyDto',
      'ErrorBodyDto',
      'ErrorBodyDto',
    ]);
    expect(answer.security).toBeUndefined();
    expect(doc.paths['/q/{token}'].get.responses['200'].content).toHaveProperty('text/html');
    expect(doc.paths['/assets/answer-page.js']).toBeUndefined();
  });

  describe('results, CSV, leaderboard, stream (instructor)', () => {
    it('needs the instructor key', async () => {
      const { broadcastId } = await seed();
      await request(url).get(`/api/broadcasts/${broadcastId.toHexString()}/results`).expect(401);
      await request(url)
        .get(`/api/broadcasts/${broadcastId.toHexString()}/results.csv`)
        .expect(401);
      await request(url).get(`/api/broadcasts/${broadcastId.toHexString()}/stream`).expect(401);
      await request(url).get('/api/meetings/123456789/leaderboard').expect(401);
      await request(url).post(`/api/broadcasts/${broadcastId.toHexString()}/remind`).expect(401);
    });

    it('404 for an unknown broadcast, 400 for a malformed id', async () => {
      const unknown = new Types.ObjectId().toHexString();
      await request(url).get(`/api/broadcasts/${unknown}/results`).set(auth).expect(404);
      await request(url).get(`/api/broadcasts/${unknown}/results.csv`).set(auth).expect(404);
      await request(url).get(`/api/broadcasts/${unknown}/stream`).set(auth).expect(404);
      await request(url).get('/api/broadcasts/xyz/results').set(auth).expect(400);
    });

    it('counts, percentages, responses and non-responders; CSV; leaderboard over the meeting', async () => {
      const hostile = '=HYPERLINK("http://evil.example","x")';
      const first = await seed({
        recipients: [
          { key: 'u-ada', name: 'Ada', email: 'ada@example.com' },
          { key: 'u-bob', name: hostile, email: 'bob@example.com' },
          { key: 'u-cy', name: 'Cy, "the third"', email: 'cy@example.com' },
        ],
      });
      await request(url).post(`/q/${first.tokens[0]}/answer`).send({ choice: 1 }).expect(200);
      await request(url).post(`/q/${first.tokens[1]}/answer`).send({ choice: 0 }).expect(200);
      const id = first.broadcastId.toHexString();

      const res = await request(url).get(`/api/broadcasts/${id}/results`).set(auth).expect(200);
      expect(res.body).toMatchObject({
        broadcast_id: id,
        meeting_id: first.meetingId,
        mode: 'direct',
        open: true,
        recipients: 3,
        delivered: 3,
        answered: 2,
        answered_verified: 2,
        answered_self_reported: 0,
        not_answered: 1,
        correct_count: 1,
        correct_percent: 50,
      });
      expect(res.body.options).toEqual([
        { index: 0, text: 'Berlin', count: 1, percent: 50, correct: false },
        { index: 1, text: 'Paris', count: 1, percent: 50, correct: true },
        { index: 2, text: 'Rome & Milan', count: 0, percent: 0, correct: false },
      ]);
      expect(res.body.responses.map((r: { recipient_key: string }) => r.recipient_key)).toEqual([
        'u-ada',
        'u-bob',
      ]);
      expect(res.body.responses[0]).toMatchObject({
        choice: 1,
        choice_text: 'Paris',
        correct: true,
      });
      // No one is in the (unknown to Zoom) meeting: Cy got the question and is listed as gone.
      expect(res.body.non_responders).toEqual([
        {
          person_key: 'u-cy',
          name: 'Cy, "the third"',
          email: 'cy@example.com',
          in_meeting: false,
          delivery_status: 'sent',
          reason: 'left_meeting',
        },
      ]);

      const csv = await request(url).get(`/api/broadcasts/${id}/results.csv`).set(auth).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="results-${id}.csv"`);
      // UTF-8 with a byte-order mark (spreadsheet apps); the lines as written after it.
      expect(csv.text.startsWith('\uFEFF')).toBe(true);
      const lines = csv.text.slice(1).split('\r\n');
      expect(lines).toHaveLength(5);
      expect(lines[4]).toBe('');
      expect(lines[0]).toBe(
        'name,email,person_key,answered,choice,choice_text,correct,score,latency_ms,answered_at,in_meeting,status,identity,type,answer,value,credit',
      );
      expect(
        lines[2].startsWith(
          `"'=HYPERLINK(""http://evil.example"",""x"")",bob@example.com,u-bob,yes,0,Berlin,no,0,`,
        ),
      ).toBe(true);
      expect(lines[3]).toBe(
        '"Cy, ""the third""",cy@example.com,u-cy,no,,,,,,,no,left_meeting,verified,single,,,',
      );

      // A second question in the same meeting: the leaderboard adds up per person.
      const second = await seed({ meetingId: first.meetingId, question: { points: 10 } });
      await request(url).post(`/q/${second.tokens[1]}/answer`).send({ choice: 1 }).expect(200);
      await request(url).post(`/q/${second.tokens[2]}/answer`).send({ choice: 1 }).expect(200);
      const board = await request(url)
        .get(`/api/meetings/${first.meetingId}/leaderboard`)
        .set(auth)
        .expect(200);
      const ada = res.body.responses[0].score as number;
      expect(board.body.meeting_id).toBe(first.meetingId);
      expect(
        board.body.items.map((r: { person_key: string; answered: number; correct: number }) => [
          r.person_key,
          r.answered,
          r.correct,
        ]),
      ).toEqual([
        ['u-ada', 1, 1],
        ['u-bob', 2, 1],
        ['u-cy', 1, 1],
      ]);
      expect(board.body.items[0]).toMatchObject({ rank: 1, total: ada });
      expect(board.body.items[1].total).toBeGreaterThanOrEqual(9);
      expect(board.body.items[1].rank).toBe(2);
      await request(url).get('/api/meetings/not-a-meeting/leaderboard').set(auth).expect(400);
      const empty = await request(url)
        .get('/api/meetings/55555555/leaderboard')
        .set(auth)
        .expect(200);
      expect(empty.body).toEqual({ meeting_id: '55555555', items: [] });
    });

    it('streams the running counts as Server-Sent Events until the client leaves', async () => {
      const { broadcastId, tokens } = await seed();
      const id = broadcastId.toHexString();
      const events: Array<{
        event: string;
        data: { answered: number; options: Array<{ count: number }> };
      }> = [];
      let buffer = '';
      let onEvent: () => void = () => undefined;
      const req = http.get(`${url}/api/broadcasts/${id}/stream`, { headers: auth });
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        req.on('response', resolve);
        req.on('error', reject);
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          // The `state` events (deadline, close, reveal) are another test's subject.
          if (name && data && name !== 'state')
            events.push({ event: name, data: JSON.parse(data) });
          onEvent();
        }
      });
      const waitFor = (n: number) =>
        new Promise<void>((resolve) => {
          onEvent = () => events.length >= n && resolve();
          onEvent();
        });

      await waitFor(1);
      expect(events[0]).toMatchObject({ event: 'snapshot', data: { answered: 0 } });
      await request(url).post(`/q/${tokens[0]}/answer`).send({ choice: 1 }).expect(200);
      await waitFor(2);
      await request(url).post(`/q/${tokens[1]}/answer`).send({ choice: 2 }).expect(200);
      await waitFor(3);
      expect(events.slice(1).map((e) => [e.event, e.data.answered])).toEqual([
        ['answer', 1],
        ['answer', 2],
      ]);
      expect(events[2].data.options.map((o) => o.count)).toEqual([0, 1, 1]);
      // The client leaves: the server lets go of the stream (the live feed follows nothing).
      const live = world.app.app.get(LiveAnswersService);
      expect(live.followed).toBe(1);
      req.destroy();
      // Wait for the condition, not for a time: a loaded machine may take longer than a second.
      const until = Date.now() + 10_000;
      while (live.followed > 0 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(live.followed).toBe(0);
    });

    it('remind queues only delivered recipients who have not answered and can still answer', async () => {
      const open = await seed({
        recipients: [
          { key: 'r-1', name: 'One', email: 'one@example.com' },
          { key: 'r-2', name: 'Two', email: 'two@example.com' },
          { key: 'r-3', name: 'Three', email: 'three@example.com' },
        ],
      });
      await request(url).post(`/q/${open.tokens[0]}/answer`).send({ choice: 1 }).expect(200);
      await deliveries.updateOne(
        { _id: open.deliveryIds[2] },
        { $set: { closes_at: new Date(Date.now() - 1000) } },
      );
      const res = await request(url)
        .post(`/api/broadcasts/${open.broadcastId.toHexString()}/remind`)
        .set(auth)
        .expect(202);
      expect(res.body).toEqual({ reminded: 1 });
      const two = await deliveries.findById(open.deliveryIds[1]).lean();
      expect(two?.reminders).toBe(1);
    });

    it('remind in channel mode re-posts while someone in the meeting has not answered, only within the window', async () => {
      const { sim } = world;
      const meetingId = String(sim.createMeeting({ topic: 'Channel remind' }).id);
      sim.startMeeting(meetingId);
      const user = sim.addUser({ email: 'eve@example.com', name: 'Eve' });
      sim.join(meetingId, { name: 'Eve', email: user.email, zoomUserId: user.id });
      await sim.flushWebhooks();
      const remind = async (broadcastId: Types.ObjectId): Promise<unknown> =>
        (
          await request(url)
            .post(`/api/broadcasts/${broadcastId.toHexString()}/remind`)
            .set(auth)
            .expect(202)
        ).body;

      const open = await seed({ mode: 'channel', meetingId, sentAgoMs: 5_000 });
      expect(await remind(open.broadcastId)).toEqual({ reminded: 1 });
      expect((await deliveries.findById(open.deliveryIds[0]).lean())?.reminders).toBe(1);

      // Eve is still waited for, but the channel message's window has closed: nothing to re-post.
      const closed = await seed({
        mode: 'channel',
        meetingId,
        question: { time_limit: 5 },
        sentAgoMs: 10_000,
      });
      expect(await remind(closed.broadcastId)).toEqual({ reminded: 0 });
      expect((await deliveries.findById(closed.deliveryIds[0]).lean())?.reminders).toBe(0);
    });
  });
});
