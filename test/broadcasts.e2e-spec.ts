import request from 'supertest';
import { messagesPerRecipient, seedMeeting, startZoomWorld, ZoomWorld } from './utils/zoom-world';
import { TEST_API_KEY } from './utils/test-app';

const auth = { 'X-API-Key': TEST_API_KEY };
const question = {
  title: 'Capital of France',
  question_text: 'What is the capital of France?',
  options: ['Berlin', 'Paris', 'Rome'],
  correct_answer: 1,
};

async function createQuestion(url: string, body: object = question): Promise<string> {
  return (await request(url).post('/api/questions').set(auth).send(body).expect(201)).body
    .id as string;
}

/** POST /api/questions/{id}/send, expecting the 202 with the new broadcast. */
async function sendQuestion(url: string, qid: string, body: object): Promise<request.Response> {
  return request(url).post(`/api/questions/${qid}/send`).set(auth).send(body).expect(202);
}

async function waitForBroadcast(
  url: string,
  id: string,
  timeoutMs = 60_000,
): Promise<request.Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
    if (res.body.status === 'completed' || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Sending a question to a meeting (e2e: app + database + Zoom simulator over HTTP)', () => {
  describe('a 500-person meeting under a fault storm', () => {
    let world: ZoomWorld;
    beforeAll(async () => {
      world = await startZoomWorld({
        // The app believes the account allows 300/s while Zoom (the simulator) enforces 200/s:
        // real 429s, on top of injected 5xx and a burst of 429s.
        sim: { rateLimits: { medium: 200, heavy: 100, light: 100 }, seed: 7 },
        app: {
          env: {
            ZOOM_RATE_LIMIT_MEDIUM: '300',
            DELIVERY_CONCURRENCY: '40',
            ZOOM_MAX_ATTEMPTS: '8',
          },
        },
      });
    });
    afterAll(async () => world.close());

    it('delivers exactly one message to every reachable person and records every recipient', async () => {
      const { sim, app } = world;
      const { meetingId } = await seedMeeting(sim, { members: 490, guests: 10 });
      sim.setFaults({ serverErrorRatio: 0.2, burst429: 5 });
      const qid = await createQuestion(app.url);

      const sent = await sendQuestion(app.url, qid, { meeting_id: meetingId });
      expect(sent.body).toMatchObject({ meeting_id: meetingId, kind: 'question', mode: 'direct' });
      expect(sent.body.counts.total).toBe(500);

      const done = await waitForBroadcast(app.url, sent.body.id, 120_000);
      sim.setFaults({ serverErrorRatio: 0, burst429: 0 });
      expect(done.body.status).toBe('completed');
      expect(done.body.counts).toEqual({
        total: 500,
        pending: 0,
        sending: 0,
        sent: 490,
        failed: 0,
        unreachable: 10,
        unconfirmed: 0,
      });

      const perRecipient = messagesPerRecipient(sim);
      expect(perRecipient.size).toBe(490);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);

      const recipients = done.body.recipients as Array<{
        status: string;
        email: string | null;
        unreachable_reason: string | null;
        attempts: number;
      }>;
      expect(recipients).toHaveLength(500);
      const guests = recipients.filter((r) => r.status === 'unreachable');
      expect(guests).toHaveLength(10);
      expect(
        guests.every(
          (g) => g.email === null && /guest|account|email/i.test(g.unreachable_reason ?? ''),
        ),
      ).toBe(true);
      // Every message carries a personal link, and no two people share one.
      const links = sim.messages().map((m) => /\/q\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1]);
      expect(new Set(links).size).toBe(490);
      // The faults were real: the simulator answered errors and the client retried through them.
      const statuses = sim
        .requests()
        .filter((r) => r.path.includes('/chat/users/'))
        .map((r) => r.status);
      expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(50);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    }, 540_000);
  });

  describe('recipients Zoom refuses, long text, empty meetings, the original API', () => {
    let world: ZoomWorld;
    beforeAll(async () => {
      world = await startZoomWorld({ app: { env: { SEND_WAIT_SECONDS: '20' } } });
    });
    afterAll(async () => world.close());
    beforeEach(() => world.sim.reset());

    it("fails a permanent Zoom error for that recipient only, with Zoom's reason, and retries only the failed", async () => {
      const { sim, app } = world;
      const { meetingId } = await seedMeeting(sim, { members: 3, strangers: 2 });
      const qid = await createQuestion(app.url);
      const sent = await sendQuestion(app.url, qid, { meeting_id: meetingId });
      const done = await waitForBroadcast(app.url, sent.body.id);
      expect(done.body.counts).toMatchObject({ total: 5, sent: 3, failed: 2 });
      const failed = done.body.recipients.filter((r: { status: string }) => r.status === 'failed');
      for (const r of failed) {
        expect(r.last_error).toMatch(/404.*1001/);
        expect(r.attempts).toBe(1);
      }
      // 404s are not retried: exactly one chat call per stranger.
      const strangerCalls = sim
        .requests()
        .filter((r) => r.path.includes('/chat/users/') && r.status === 404);
      expect(strangerCalls).toHaveLength(2);

      // The strangers become contacts; a retry sends to them and to no one else.
      sim.addUser({ email: 'stranger0@elsewhere.example', id: 'ext-0' });
      sim.addUser({ email: 'stranger1@elsewhere.example', id: 'ext-1' });
      const before = sim.messages().length;
      const retry = await request(app.url)
        .post(`/api/broadcasts/${sent.body.id}/retry`)
        .set(auth)
        .expect(202);
      expect(retry.body.requeued).toBe(2);
      const again = await waitForBroadcast(app.url, sent.body.id);
      expect(again.body.counts).toMatchObject({ sent: 5, failed: 0 });
      expect(sim.messages().length - before).toBe(2);
    });

    it('never sends to a Zoom user id: a signed-in person without an email is unreachable, with the reason', async () => {
      const { sim, app } = world;
      const { meetingId } = await seedMeeting(sim, { members: 1 });
      // A Zoom user whose email Zoom withholds (privacy settings, HIPAA: docs/zoom.md §3).
      const hidden = sim.addUser({ email: 'hidden@example.com', id: 'zu-hidden', name: 'Hidden' });
      sim.join(meetingId, { name: 'Hidden', zoomUserId: hidden.id });
      await sim.flushWebhooks();
      const qid = await createQuestion(app.url);
      const sent = await sendQuestion(app.url, qid, { meeting_id: meetingId });
      const done = await waitForBroadcast(app.url, sent.body.id);
      expect(done.body.counts).toMatchObject({ total: 2, sent: 1, unreachable: 1 });
      const unreachable = done.body.recipients.find(
        (r: { status: string }) => r.status === 'unreachable',
      );
      expect(unreachable).toMatchObject({
        name: 'Hidden',
        unreachable_reason: expect.stringMatching(/no email/i),
      });
      expect(sim.messages().map((m) => m.to_contact)).toEqual(['member0@example.com']);
    });

    it('shortens a long question text to fit 1024 characters, never the link', async () => {
      const { sim, app } = world;
      const { meetingId } = await seedMeeting(sim, { members: 1 });
      const qid = await createQuestion(app.url, {
        ...question,
        question_text: 'Why? '.repeat(400),
      });
      const sent = await sendQuestion(app.url, qid, { meeting_id: meetingId });
      await waitForBroadcast(app.url, sent.body.id);
      const [message] = sim.messages();
      expect(message.message.length).toBeLessThanOrEqual(1024);
      expect(message.message).toMatch(new RegExp(`${app.url}/q/[A-Za-z0-9_-]{43}$`));
      expect(message.message).toContain('…');
    });

    it('refuses an empty meeting with a 409 that says why', async () => {
      const meeting = world.sim.createMeeting({ topic: 'Empty' });
      const qid = await createQuestion(world.app.url);
      const res = await request(world.app.url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: String(meeting.id) })
        .expect(409);
      expect(res.body.message).toMatch(/No one is in meeting/);
    });

    it('mode "channel" posts one message with a shared link to the meeting chat channel', async () => {
      const { sim, app } = world;
      const { meetingId } = await seedMeeting(sim, { members: 2, guests: 1 });
      const qid = await createQuestion(app.url);
      const sent = await sendQuestion(app.url, qid, { meeting_id: meetingId, mode: 'channel' });
      expect(sent.body.mode).toBe('channel');
      const done = await waitForBroadcast(app.url, sent.body.id);
      expect(done.body.counts).toMatchObject({ total: 1, sent: 1 });
      const messages = sim.messages();
      expect(messages).toHaveLength(1);
      expect(messages[0].to_channel).toBe(sim.getMeeting(meetingId).channel_id);
      expect(messages[0].to_contact ?? null).toBeNull();
    });

    it('mode "channel" for a meeting Zoom does not know is a 404 with Zoom\'s reason', async () => {
      const qid = await createQuestion(world.app.url);
      const res = await request(world.app.url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: '98765432100', mode: 'channel' })
        .expect(404);
      expect(res.body).toMatchObject({
        statusCode: 404,
        details: { zoom_status: 404, zoom_code: 3001 },
      });
    });

    it('validates the send body and the question id', async () => {
      const qid = await createQuestion(world.app.url);
      const url = world.app.url;
      await request(url).post(`/api/questions/${qid}/send`).set(auth).send({}).expect(400);
      await request(url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: 'abc' })
        .expect(400);
      await request(url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: '123456789', mode: 'carrier-pigeon' })
        .expect(400);
      await request(url)
        .post('/api/questions/000000000000000000000000/send')
        .set(auth)
        .send({ meeting_id: '123456789' })
        .expect(404);
      await request(url)
        .post(`/api/questions/${qid}/send`)
        .send({ meeting_id: '123456789' })
        .expect(401);
      await request(url).get('/api/broadcasts/000000000000000000000000').set(auth).expect(404);
      await request(url).get('/api/broadcasts/xyz').set(auth).expect(400);
    });

    it('keeps the original POST /api/send-question contract', async () => {
      const { sim, app } = world;
      const { meetingId } = await seedMeeting(sim, { members: 3, guests: 1 });
      const res = await request(app.url)
        .post('/api/send-question')
        .set(auth)
        .send({
          question_link: 'https://forms.example.com/quiz/42',
          meeting_id: Number(meetingId),
          message: 'Quiz time!',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        success: true,
        total_participants: 4,
        success_count: 3,
        failed_count: 1,
        broadcast_id: expect.stringMatching(/^[0-9a-f]{24}$/),
      });
      expect(res.body.results).toHaveLength(4);
      for (const r of res.body.results) {
        expect(r).toEqual(
          expect.objectContaining({
            success: expect.any(Boolean),
            user_id: expect.any(String),
            name: expect.any(String),
          }),
        );
      }
      expect(res.body.results.find((r: { success: boolean }) => !r.success).error).toMatch(
        /guest|account|email/i,
      );
      expect(sim.messages().map((m) => m.message)).toEqual(
        Array(3).fill('Quiz time!\nhttps://forms.example.com/quiz/42'),
      );

      const list = await request(app.url)
        .get(`/api/meetings/${meetingId}/broadcasts`)
        .set(auth)
        .expect(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).toContain(res.body.broadcast_id);
    });

    it('rejects a send-question without a valid link or meeting id', async () => {
      const url = world.app.url;
      await request(url)
        .post('/api/send-question')
        .set(auth)
        .send({ meeting_id: '123456789' })
        .expect(400);
      await request(url)
        .post('/api/send-question')
        .set(auth)
        .send({ question_link: 'javascript:alert(1)', meeting_id: '123456789' })
        .expect(400);
      await request(url)
        .post('/api/send-question')
        .set(auth)
        .send({ question_link: 'https://x.example', meeting_id: { $gt: '' } })
        .expect(400);
    });
  });

  it('answers 202 with the progress so far when the send outlasts SEND_WAIT_SECONDS', async () => {
    const world = await startZoomWorld({
      sim: { latencyMs: 300 },
      app: { env: { SEND_WAIT_SECONDS: '0', DELIVERY_CONCURRENCY: '1' } },
    });
    try {
      const { meetingId } = await seedMeeting(world.sim, { members: 5 });
      const res = await request(world.app.url)
        .post('/api/send-question')
        .set(auth)
        .send({ question_link: 'https://forms.example.com/q', meeting_id: meetingId })
        .expect(202);
      expect(res.body.status).toBe('sending');
      expect(res.body.message).toMatch(/Still sending/);
      const done = await waitForBroadcast(world.app.url, res.body.broadcast_id);
      expect(done.body.counts.sent).toBe(5);
    } finally {
      await world.close();
    }
  });
});
