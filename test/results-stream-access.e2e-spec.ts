/**
 * An open results stream (GET /api/broadcasts/{id}/stream) stops once the key that opened it no
 * longer grants access: key revoked, account disabled, or the meeting grant revoked, within the
 * 5 s in which every instance refuses such a key (README, Revocation timing). Otherwise a revoked
 * person would keep watching a class's answers live.
 */
import { getModelToken } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import http from 'node:http';
import request from 'supertest';
import { answerToken, hashAnswerToken } from '../src/broadcasts/answer-link';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { startZoomWorld, ZoomWorld } from './utils/zoom-world';

const admin = { 'X-API-Key': TEST_API_KEY };

/** The README's bound on refusing a revoked key or a disabled account everywhere. */
const ACCESS_END_BOUND_MS = 5000;

describe('Results stream after access ends (e2e)', () => {
  let world: ZoomWorld;
  let url: string;
  let broadcasts: Model<Broadcast>;
  let deliveries: Model<Delivery>;
  let meetingSeq = 93000000;

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
    broadcasts = world.app.app.get(getModelToken(Broadcast.name));
    deliveries = world.app.app.get(getModelToken(Delivery.name));
    await Promise.all([broadcasts.init(), deliveries.init()]);
  });
  afterAll(async () => world.close());

  async function seed(meetingId: string): Promise<{ id: string; tokens: string[] }> {
    const sentAt = new Date();
    const broadcast = await broadcasts.create({
      meeting_id: meetingId,
      kind: 'question',
      question: {
        title: 'Q',
        question_text: 'Which?',
        options: ['A', 'B'],
        correct_answer: 0,
        time_limit: 600,
        points: 1,
      },
      mode: 'direct',
      channel_id: null,
      opens_at: sentAt,
    });
    const secret = world.app.config.answers.tokenSecret;
    const ids = [new Types.ObjectId(), new Types.ObjectId()];
    await deliveries.insertMany(
      ids.map((id, i) => ({
        _id: id,
        broadcast_id: broadcast._id,
        recipient_key: `u-${i}`,
        name: `Student ${i}`,
        email: `student${i}@example.com`,
        status: 'sent',
        available_at: sentAt,
        sent_at: sentAt,
        closes_at: new Date(sentAt.getTime() + 600_000),
        answer_token_hash: hashAnswerToken(answerToken(secret, id)),
      })),
    );
    return { id: broadcast._id.toHexString(), tokens: ids.map((id) => answerToken(secret, id)) };
  }

  /** Opens the stream with `key`; records events and whether the server ended it. */
  async function open(id: string, key: string) {
    const state = { events: [] as string[], ended: false };
    let buffer = '';
    const req = http.get(`${url}/api/broadcasts/${id}/stream`, { headers: { 'X-API-Key': key } });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const name = /^event: (.+)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (name) state.events.push(name);
      }
    });
    response.on('end', () => (state.ended = true));
    response.on('close', () => (state.ended = true));
    await waitUntil(() => state.events.length >= 1, 10_000, 'the first snapshot');
    return { state, close: () => req.destroy() };
  }

  /** While access holds, the stream carries a live answer (else its ending would prove nothing). */
  async function expectLive(stream: Awaited<ReturnType<typeof open>>, token: string) {
    await request(url).post(`/q/${token}/answer`).send({ choice: 1 }).expect(200);
    await waitUntil(() => stream.state.events.includes('answer'), 10_000, 'a live answer');
    expect(stream.state.ended).toBe(false);
  }

  /** After access ended, the server ends the stream within the bound. */
  async function expectStreamStops(stream: Awaited<ReturnType<typeof open>>): Promise<void> {
    try {
      await waitUntil(() => stream.state.ended, ACCESS_END_BOUND_MS, 'the stream to end');
    } finally {
      stream.close();
    }
  }

  it('a revoked key no longer receives live answers on a stream it opened before', async () => {
    const who: CreatedInstructor = await createInstructor(world.app, { role: 'admin' });
    const { id, tokens } = await seed(String(meetingSeq++));
    const stream = await open(id, who.key);
    await expectLive(stream, tokens[1]);
    await request(url)
      .delete(`/api/instructors/${who.id}/api-keys/${who.keyId}`)
      .set(admin)
      .expect(204);
    await request(url).get('/api/me').set('X-API-Key', who.key).expect(401);
    await expectStreamStops(stream);
  });

  it("a disabled instructor's open stream stops", async () => {
    const who = await createInstructor(world.app, { role: 'admin' });
    const { id, tokens } = await seed(String(meetingSeq++));
    const stream = await open(id, who.key);
    await expectLive(stream, tokens[1]);
    await request(url)
      .patch(`/api/instructors/${who.id}`)
      .set(admin)
      .send({ disabled: true })
      .expect(200);
    await request(url).get('/api/me').set('X-API-Key', who.key).expect(401);
    await expectStreamStops(stream);
  });

  it('an instructor whose meeting grant was revoked stops receiving that meeting live', async () => {
    const who = await createInstructor(world.app, { role: 'instructor' });
    const meetingId = String(meetingSeq++);
    const { id, tokens } = await seed(meetingId);
    await request(url)
      .put(`/api/meetings/${meetingId}/instructors/${who.id}`)
      .set(admin)
      .send({ role: 'assistant' })
      .expect(200);
    const stream = await open(id, who.key);
    await expectLive(stream, tokens[1]);
    await request(url)
      .delete(`/api/meetings/${meetingId}/instructors/${who.id}`)
      .set(admin)
      .expect(204);
    await expectStreamStops(stream);
  });
});
