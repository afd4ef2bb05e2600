/**
 * POST /api/broadcasts/{id}/close and /reveal through the whole chain: a meeting in the Zoom
 * simulator, a real send, answers on the participants' links, and a second app instance on the
 * same database (a close on one instance stops answers on the other).
 */
import http from 'node:http';
import request from 'supertest';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { testMongoUri } from './utils/database';
import { waitUntil } from './utils/wait';
import { seedMeeting, simulatorEnv, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

jest.setTimeout(60_000);

const auth = { 'X-API-Key': TEST_API_KEY };
const QUIZ = {
  title: 'Capital',
  question_text: 'Capital of France?',
  options: ['Berlin', 'Paris', 'Rome'],
  correct_answer: 1,
  time_limit: 120,
  points: 100,
};

describe('Close and reveal (e2e)', () => {
  let world: ZoomWorld;
  let other: TestApp;
  let url: string;

  beforeAll(async () => {
    const mongo = testMongoUri('controls');
    // One message at a time per instance, so a close can find messages still waiting.
    const env = { MONGO_URI: mongo, DELIVERY_CONCURRENCY: '1' };
    world = await startZoomWorld({ app: { env } });
    url = world.app.url;
    // A second instance on the same database, as behind a load balancer.
    other = await createTestApp({ env: { ...simulatorEnv(world.sim), ...env } });
  });
  afterAll(async () => {
    await other?.close();
    await world?.close();
  });

  /** Sends a question to a fresh meeting and returns the broadcast id and each member's link. */
  async function send(
    question: object = QUIZ,
    mode: 'direct' | 'channel' = 'direct',
    members = 3,
  ): Promise<{ id: string; links: string[] }> {
    const { meetingId, people } = await seedMeeting(world.sim, { members });
    const qid = (await request(url).post('/api/questions').set(auth).send(question).expect(201))
      .body.id as string;
    const before = world.sim.messages().length;
    const sent = await request(url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, mode })
      .expect(202);
    const id = sent.body.id as string;
    await waitUntil(
      async () =>
        (await request(url).get(`/api/broadcasts/${id}`).set(auth)).body.status === 'completed',
      20_000,
      'the send to finish',
    );
    const messages = world.sim.messages().slice(before);
    const linkIn = (text: string): string => /(\/q\/[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? 'no link';
    const links =
      mode === 'channel'
        ? [linkIn(messages[0]?.message ?? '')]
        : people.map((p) => linkIn(messages.find((m) => m.to_contact === p.email)?.message ?? ''));
    return { id, links };
  }

  it('close ends the window for everyone at once, on every instance; idempotent', async () => {
    const { id, links } = await send();
    await request(url).post(`${links[0]}/answer`).send({ choice: 1 }).expect(200);

    const closed = await request(url).post(`/api/broadcasts/${id}/close`).set(auth).expect(200);
    expect(closed.body).toMatchObject({ broadcast_id: id, revealed: false, revealed_at: null });
    expect(Date.parse(closed.body.closed_at as string)).not.toBeNaN();

    // No grace after a close: the very next answer is refused, here and on the other instance.
    const late = await request(url).post(`${links[1]}/answer`).send({ choice: 1 }).expect(410);
    expect(late.body.message).toMatch(/closed/);
    await request(other.url).post(`${links[2]}/answer`).send({ choice: 0 }).expect(410);
    const page = await request(other.url).get(links[2]).expect(200);
    expect(page.text).toContain('This question is closed');

    // Again: same close time.
    const again = await request(other.url)
      .post(`/api/broadcasts/${id}/close`)
      .set(auth)
      .expect(200);
    expect(again.body.closed_at).toBe(closed.body.closed_at);

    const results = await request(url).get(`/api/broadcasts/${id}/results`).set(auth).expect(200);
    expect(results.body).toMatchObject({
      open: false,
      answered: 1,
      closed_at: closed.body.closed_at,
      closes_at: closed.body.closed_at,
      revealed: false,
    });
    const broadcast = await request(url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
    expect(broadcast.body.closed_at).toBe(closed.body.closed_at);
    // Nobody can answer any more, so nobody is reminded.
    const remind = await request(url).post(`/api/broadcasts/${id}/remind`).set(auth).expect(202);
    expect(remind.body.reminded).toBe(0);
  });

  it('close stops the messages not sent yet; retry sends nothing after a close', async () => {
    // One Team Chat message a second: most are still waiting when the close comes.
    world.sim.setFaults({ rateLimits: { light: 1000, medium: 1, heavy: 1000 } });
    try {
      const { meetingId } = await seedMeeting(world.sim, { members: 6 });
      const qid = (await request(url).post('/api/questions').set(auth).send(QUIZ).expect(201)).body
        .id as string;
      const before = world.sim.messages().length;
      const id = (
        await request(url)
          .post(`/api/questions/${qid}/send`)
          .set(auth)
          .send({ meeting_id: meetingId })
          .expect(202)
      ).body.id as string;
      await request(url).post(`/api/broadcasts/${id}/close`).set(auth).expect(200);
      await waitUntil(
        async () =>
          (await request(url).get(`/api/broadcasts/${id}`).set(auth)).body.status === 'completed',
        30_000,
        'the send to settle',
      );
      const state = (await request(url).get(`/api/broadcasts/${id}`).set(auth)).body as {
        counts: { sent: number; failed: number };
        recipients: Array<{ status: string; last_error: string | null }>;
      };
      expect(state.counts.failed).toBeGreaterThan(0);
      expect(
        state.recipients
          .filter((r) => r.status === 'failed')
          .every((r) => r.last_error === 'Not sent: the question was closed first'),
      ).toBe(true);
      expect(world.sim.messages().length - before).toBe(state.counts.sent);
      const retry = await request(url).post(`/api/broadcasts/${id}/retry`).set(auth).expect(202);
      expect(retry.body.requeued).toBe(0);
    } finally {
      world.sim.setFaults({ rateLimits: { light: 1000, medium: 1000, heavy: 1000 } });
    }
  });

  it('before close the results carry the deadline the countdown runs to', async () => {
    const { id } = await send();
    const results = await request(url).get(`/api/broadcasts/${id}/results`).set(auth).expect(200);
    expect(results.body).toMatchObject({ open: true, closed_at: null, revealed: false });
    const recipients = (await request(url).get(`/api/broadcasts/${id}`).set(auth)).body
      .recipients as Array<{ closes_at: string }>;
    const last = Math.max(...recipients.map((r) => Date.parse(r.closes_at)));
    expect(Date.parse(results.body.closes_at as string)).toBe(last);
  });

  it('reveal: the right answer appears on the page of someone who answered, not before', async () => {
    const { id, links } = await send();
    await request(url).post(`${links[0]}/answer`).send({ choice: 0 }).expect(200);
    const before = await request(url).get(links[0]).expect(200);
    expect(before.text).toContain('You have already answered');
    expect(before.text).not.toContain('id="revealed-answer"');

    const revealed = await request(other.url)
      .post(`/api/broadcasts/${id}/reveal`)
      .set(auth)
      .expect(200);
    expect(revealed.body).toMatchObject({ broadcast_id: id, revealed: true });
    // Revealing closes the window: nobody answers after seeing the answer.
    expect(revealed.body.closed_at).not.toBeNull();
    await request(url).post(`${links[1]}/answer`).send({ choice: 1 }).expect(410);

    const after = await request(url).get(links[0]).expect(200);
    expect(after.text).toMatch(/id="revealed-answer"[\s\S]*B\. Paris/);
    const results = await request(url).get(`/api/broadcasts/${id}/results`).set(auth).expect(200);
    expect(results.body.revealed).toBe(true);
    const again = await request(url).post(`/api/broadcasts/${id}/reveal`).set(auth).expect(200);
    expect(again.body.revealed_at).toBe(revealed.body.revealed_at);
  });

  it('reveal in channel mode: the shared link shows the right answer after, not before', async () => {
    const { id, links } = await send(QUIZ, 'channel');
    const form = { choice: 2, name: 'Ada', email: 'ada@example.com' };
    const answered = await request(url).post(`${links[0]}/answer`).send(form).expect(200);
    expect(answered.body.correct).toBeNull();
    expect((await request(url).get(links[0]).expect(200)).text).not.toContain('revealed-answer');
    await request(url).post(`/api/broadcasts/${id}/reveal`).set(auth).expect(200);
    const page = await request(url).get(links[0]).expect(200);
    expect(page.text).toContain('This question is closed');
    expect(page.text).toMatch(/id="revealed-answer"[\s\S]*B\. Paris/);
  });

  it('refuses what it cannot do: survey reveal 409, unknown 404, bad id 400, no key 401', async () => {
    const { id } = await send({ ...QUIZ, correct_answer: null });
    const survey = await request(url).post(`/api/broadcasts/${id}/reveal`).set(auth).expect(409);
    expect(survey.body.message).toMatch(/survey/);
    await request(url).post(`/api/broadcasts/${id}/close`).set(auth).expect(200);
    const unknown = '0123456789abcdef01234567';
    await request(url).post(`/api/broadcasts/${unknown}/close`).set(auth).expect(404);
    await request(url).post(`/api/broadcasts/${unknown}/reveal`).set(auth).expect(404);
    await request(url).post('/api/broadcasts/nope/close').set(auth).expect(400);
    await request(url).post(`/api/broadcasts/${id}/close`).expect(401);
  });

  it('a link broadcast (original API) has no window to close: 409', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 1 });
    const sent = await request(url)
      .post('/api/send-question')
      .set(auth)
      .send({ meeting_id: meetingId, question_link: 'https://example.com/form' })
      .expect((res) => expect([200, 202]).toContain(res.status));
    const id = sent.body.broadcast_id as string;
    const res = await request(url).post(`/api/broadcasts/${id}/close`).set(auth).expect(409);
    expect(res.body.message).toMatch(/link/);
  });

  it('the live stream coalesces a burst and says when the window closes', async () => {
    const { id, links } = await send(QUIZ, 'direct', 40);
    const events: Array<{ event: string; data: Record<string, unknown> }> = [];
    let buffer = '';
    const req = http.get(`${url}/api/broadcasts/${id}/stream`, { headers: auth });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (name && data) events.push({ event: name, data: JSON.parse(data) });
      }
    });
    try {
      await waitUntil(() => events.some((e) => e.event === 'state'), 10_000, 'the first state');
      const first = events.find((e) => e.event === 'state')?.data;
      expect(first).toMatchObject({ closed_at: null, revealed: false });
      expect(first?.closes_at).toEqual(expect.any(String));

      await Promise.all(
        links.map((link) => request(url).post(`${link}/answer`).send({ choice: 1 }).expect(200)),
      );
      const answered = () =>
        events.filter((e) => e.event === 'answer' || e.event === 'snapshot').at(-1)?.data.answered;
      await waitUntil(() => answered() === links.length, 10_000, 'the final count');
      // Coalesced: fewer events than answers, the last one with every answer in it.
      expect(events.filter((e) => e.event === 'answer').length).toBeLessThan(links.length);

      const closed = await request(url).post(`/api/broadcasts/${id}/close`).set(auth).expect(200);
      await waitUntil(
        () => events.some((e) => e.event === 'state' && e.data.closed_at !== null),
        10_000,
        'a state event with the close',
      );
      const last = events.filter((e) => e.event === 'state').at(-1)?.data;
      expect(last).toMatchObject({ closed_at: closed.body.closed_at, revealed: false });
    } finally {
      req.destroy();
    }
  });
});
