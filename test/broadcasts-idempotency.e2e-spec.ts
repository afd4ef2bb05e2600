/**
 * A send happens once (issue 11, defect 7): an Idempotency-Key makes a repeated or concurrent
 * request return the first result, and a question already open in a meeting is not sent to it
 * again unless asked for explicitly.
 */
import request from 'supertest';
import { seedMeeting, startZoomWorld, ZoomWorld } from './utils/zoom-world';
import { createInstructor } from './utils/instructors';
import { TEST_API_KEY, TEST_API_KEY_2 } from './utils/test-app';

const auth = { 'X-API-Key': TEST_API_KEY };
const question = {
  title: 'Capital of France',
  question_text: 'What is the capital of France?',
  options: ['Berlin', 'Paris', 'Rome'],
  correct_answer: 1,
  time_limit: 60,
};

describe('Sending once (e2e)', () => {
  let world: ZoomWorld;
  beforeAll(async () => {
    world = await startZoomWorld({ app: { env: { ANSWER_GRACE_SECONDS: '0' } } });
  });
  afterAll(async () => world.close());

  async function newQuestion(overrides: object = {}): Promise<string> {
    const res = await request(world.app.url)
      .post('/api/questions')
      .set(auth)
      .send({ ...question, ...overrides });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function broadcastsOf(meetingId: string): Promise<string[]> {
    const res = await request(world.app.url)
      .get(`/api/meetings/${meetingId}/broadcasts`)
      .set(auth)
      .expect(200);
    return (res.body.items as Array<{ id: string }>).map((b) => b.id);
  }

  const send = (qid: string, body: object, headers: Record<string, string> = {}) =>
    request(world.app.url)
      .post(`/api/questions/${qid}/send`)
      .set({ ...auth, ...headers })
      .send(body);

  it('two concurrent sends of one question to one meeting: one 202, one 409 naming the open broadcast', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 3 });
    const qid = await newQuestion();
    const results = await Promise.all([
      send(qid, { meeting_id: meetingId }),
      send(qid, { meeting_id: meetingId }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409]);
    const accepted = results.find((r) => r.status === 202)!;
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.details).toEqual({ open_broadcast_id: accepted.body.id });
    expect(refused.body.message).toContain(accepted.body.id);
    expect(await broadcastsOf(meetingId)).toEqual([accepted.body.id]);

    // Asked for explicitly, a second send goes out.
    const again = await send(qid, { meeting_id: meetingId, allow_duplicate: true });
    expect(again.status).toBe(202);
    expect(await broadcastsOf(meetingId)).toHaveLength(2);
    // ...and is the open one a later send is told about.
    const third = await send(qid, { meeting_id: meetingId });
    expect(third.status).toBe(409);
    expect(third.body.details).toEqual({ open_broadcast_id: again.body.id });
  });

  it('a send that reached nobody (every recipient unreachable) does not hold the question open', async () => {
    // Nothing is ever claimed, so the sender never marks such a broadcast complete: openness must
    // come from the deliveries, not from completed_at.
    const { meetingId } = await seedMeeting(world.sim, { members: 0, guests: 2 });
    const qid = await newQuestion();
    const first = await send(qid, { meeting_id: meetingId });
    expect(first.status).toBe(202);
    const state = await request(world.app.url)
      .get(`/api/broadcasts/${first.body.id}`)
      .set(auth)
      .expect(200);
    expect(state.body.counts).toMatchObject({ total: 2, unreachable: 2 });
    const again = await send(qid, { meeting_id: meetingId });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('once every answer window has closed, the question may be sent to the meeting again', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 1 });
    const qid = await newQuestion({ time_limit: 5 });
    const first = await send(qid, { meeting_id: meetingId });
    expect(first.status).toBe(202);
    expect((await send(qid, { meeting_id: meetingId })).status).toBe(409);
    const deadline = Date.now() + 20_000;
    let again = await send(qid, { meeting_id: meetingId });
    while (again.status === 409 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      again = await send(qid, { meeting_id: meetingId });
    }
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
    // The window closes 5 s after the message went out, not before.
    const sent = await request(world.app.url)
      .get(`/api/broadcasts/${first.body.id as string}`)
      .set(auth)
      .expect(200);
    const closesAt = Date.parse(sent.body.recipients[0].closes_at as string);
    expect(Date.now()).toBeGreaterThanOrEqual(closesAt);
  });

  it('the same Idempotency-Key and body returns the first result, even when sent concurrently', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 2 });
    const qid = await newQuestion();
    const key = { 'Idempotency-Key': `send-${qid}` };
    const body = { meeting_id: meetingId, allow_duplicate: true };
    const concurrent = await Promise.all([send(qid, body, key), send(qid, body, key)]);
    const firstOk = concurrent.filter((r) => r.status === 202);
    expect(firstOk.length).toBeGreaterThanOrEqual(1);
    for (const r of concurrent.filter((c) => c.status !== 202)) {
      // Still in progress: the duplicate is told to try again, and nothing was created for it.
      expect(r.status).toBe(409);
      expect(r.headers['retry-after']).toMatch(/^\d+$/);
    }
    const first = firstOk[0];
    const replay = await send(qid, body, key);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await broadcastsOf(meetingId)).toEqual([first.body.id]);

    // Same key, other body: refused with a reason, nothing sent.
    const other = await send(qid, { ...body, mode: 'channel' }, key);
    expect(other.status).toBe(422);
    expect(other.body.message).toMatch(/Idempotency-Key/);
    expect(await broadcastsOf(meetingId)).toHaveLength(1);

    // Keys belong to the caller's credential: another key's holder starts afresh.
    const otherCaller = await request(world.app.url)
      .post(`/api/questions/${qid}/send`)
      .set({ 'X-API-Key': TEST_API_KEY_2, ...key })
      .send(body);
    expect(otherCaller.status).toBe(202);
    expect(otherCaller.body.id).not.toBe(first.body.id);
  });

  it('POST /api/send-question replays the first answer, status included', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 2 });
    const key = { 'Idempotency-Key': `legacy-${meetingId}` };
    const body = { meeting_id: meetingId, question_link: 'https://forms.example.com/q/1' };
    const first = await request(world.app.url)
      .post('/api/send-question')
      .set({ ...auth, ...key })
      .send(body);
    expect([200, 202]).toContain(first.status);
    const replay = await request(world.app.url)
      .post('/api/send-question')
      .set({ ...auth, ...key })
      .send(body);
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(await broadcastsOf(meetingId)).toHaveLength(1);
    expect(
      world.sim.messages().filter((m) => String(m.message ?? '').includes('forms.example.com/q/1')),
    ).toHaveLength(2);
  });

  it('retry and remind take a key too: the repeat is answered from the first, nothing requeued', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 1 });
    const qid = await newQuestion();
    const sent = await send(qid, { meeting_id: meetingId });
    expect(sent.status).toBe(202);
    for (const action of ['retry', 'remind']) {
      const key = { 'Idempotency-Key': `${action}-${sent.body.id as string}` };
      const post = () =>
        request(world.app.url)
          .post(`/api/broadcasts/${sent.body.id as string}/${action}`)
          .set({ ...auth, ...key });
      const first = await post();
      expect(first.status).toBe(202);
      const repeat = await post();
      expect(repeat.status).toBe(202);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(repeat.body).toEqual(first.body);
    }
  });

  it('a replay after the meeting grant was revoked is refused as a fresh request is', async () => {
    const { sim } = world;
    const host = await createInstructor(world.app, { role: 'instructor' });
    const grantee = await createInstructor(world.app, { role: 'instructor' });
    const meeting = sim.createMeeting({ topic: 'Granted class', hostEmail: host.email });
    const meetingId = String(meeting.id);
    sim.startMeeting(meetingId);
    for (let i = 0; i < 2; i++) {
      const user = sim.addUser({ email: `granted-student${i}@example.com`, name: `S${i}` });
      sim.join(meetingId, { name: `S${i}`, email: user.email, zoomUserId: user.id });
    }
    await sim.flushWebhooks();
    await request(world.app.url)
      .put(`/api/meetings/${meetingId}/instructors/${grantee.id}`)
      .set('X-API-Key', host.key)
      .send({ role: 'instructor' })
      .expect(200);
    const q = await request(world.app.url)
      .post('/api/questions')
      .set('X-API-Key', grantee.key)
      .send(question)
      .expect(201);
    const sent = await request(world.app.url)
      .post(`/api/questions/${q.body.id as string}/send`)
      .set('X-API-Key', grantee.key)
      .send({ meeting_id: meetingId, allow_duplicate: true });
    expect(sent.status).toBe(202);
    const broadcast = sent.body.id as string;
    // Each idempotent route, as the grantee may call it now.
    const calls: Array<[string, object]> = [
      [
        `/api/questions/${q.body.id as string}/send`,
        { meeting_id: meetingId, allow_duplicate: true },
      ],
      [
        '/api/send-question',
        { meeting_id: Number(meetingId), question_link: 'https://forms.example.com/g' },
      ],
      [`/api/broadcasts/${broadcast}/retry`, {}],
      [`/api/broadcasts/${broadcast}/remind`, {}],
    ];
    const call = (path: string, body: object, key?: string) => {
      const req = request(world.app.url).post(path).set('X-API-Key', grantee.key);
      return (key ? req.set('Idempotency-Key', key) : req).send(body);
    };
    for (const [i, [path, body]] of calls.entries()) {
      const first = await call(path, body, `granted-${i}`);
      expect([200, 202]).toContain(first.status);
    }

    await request(world.app.url)
      .delete(`/api/meetings/${meetingId}/instructors/${grantee.id}`)
      .set(auth)
      .expect(204);
    for (const [i, [path, body]] of calls.entries()) {
      const fresh = await call(path, body);
      const replay = await call(path, body, `granted-${i}`);
      expect({
        path,
        status: replay.status,
        replayed: replay.headers['idempotent-replayed'],
      }).toEqual({ path, status: fresh.status, replayed: undefined });
      expect(replay.body.message).toBe(fresh.body.message);
      expect([403, 404]).toContain(fresh.status);
    }
  });

  it('rejects a malformed Idempotency-Key with a reason', async () => {
    const qid = await newQuestion();
    const res = await send(
      qid,
      { meeting_id: '85746352413' },
      { 'Idempotency-Key': 'x'.repeat(300) },
    );
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Idempotency-Key/);
  });
});
