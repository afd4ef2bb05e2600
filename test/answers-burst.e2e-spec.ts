/**
 * 1,000 participants answer one question at once: every answer is stored exactly once (the count
 * in the database equals the number of 2xx responses, one per recipient) and nothing fails with a
 * 5xx. Latency is measured by bench/answer-burst.ts, not asserted here (CI machines vary).
 */
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import http from 'node:http';
import { Answer } from '../src/answers/schemas/answer.schema';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { postAnswer, seedBurstBroadcast } from '../bench/answer-burst';
import { createTestApp, TestApp } from './utils/test-app';

jest.setTimeout(360_000);

const N = 1000;

describe('Answer burst (e2e): 1,000 concurrent answers to one broadcast', () => {
  let t: TestApp;
  let answers: Model<Answer>;

  beforeAll(async () => {
    t = await createTestApp({ name: 'answers_burst' });
    answers = t.app.get(getModelToken(Answer.name));
    await answers.init();
  });
  afterAll(async () => t.close());

  it('stores every answer exactly once, with no 5xx', async () => {
    const seeded = await seedBurstBroadcast(
      {
        broadcasts: t.app.get<Model<Broadcast>>(getModelToken(Broadcast.name)),
        deliveries: t.app.get<Model<Delivery>>(getModelToken(Delivery.name)),
      },
      t.config.answers.tokenSecret,
      N,
    );
    // A pool as large as the burst: every request is in flight at once.
    const agent = new http.Agent({ keepAlive: true, maxSockets: N });
    const first = await Promise.all(
      seeded.tokens.map((token, i) => postAnswer(t.url, token, i % 4, agent)),
    );
    agent.destroy();
    // On a loaded machine the kernel may reset a few of 1,000 simultaneous connections before
    // the app sees them (status 0, e.g. ECONNRESET). The client then does what a browser's user
    // would: posts again. Whether or not the first attempt was stored, the answer must count
    // once: the retry gets 200 (not stored) or 409 (stored), never a second answer.
    const dropped = first.flatMap((r, i) => (r.status === 0 ? [i] : []));
    if (dropped.length > 0) {
      const errors = [...new Set(dropped.map((i) => first[i].error))].join(', ');
      console.warn(`${dropped.length} of ${N} connections failed (${errors}); posting them again`);
    }
    const retried = new Map<number, Awaited<ReturnType<typeof postAnswer>>>();
    for (const i of dropped) retried.set(i, await postAnswer(t.url, seeded.tokens[i], i % 4));
    const results = first.map((r, i) => {
      const again = retried.get(i);
      return again?.status === 409 ? { ...again, status: 200 } : (again ?? r);
    });
    // …and a second answer from the first 100 recipients, racing nothing: all refused.
    const again = await Promise.all(
      seeded.tokens.slice(0, 100).map((token) => postAnswer(t.url, token, 0)),
    );

    const byStatus = new Map<number, number>();
    for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const ok = results.filter((r) => r.status === 200).length;
    const filter = { broadcast_id: seeded.broadcastId };
    expect(Object.fromEntries(byStatus)).toEqual({ 200: N });
    expect(await answers.countDocuments(filter)).toBe(ok);
    expect((await answers.distinct('recipient_key', filter)).length).toBe(N);
    expect(again.every((r) => r.status === 409)).toBe(true);
    expect(await answers.countDocuments(filter)).toBe(N);

    // The stored answers are scored: right choice (index 2) earns points, the others none.
    const right = await answers.countDocuments({ ...filter, correct: true, score: { $gt: 0 } });
    expect(right).toBe(N / 4);
  });
});
