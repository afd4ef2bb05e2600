/**
 * What the HTTP edge does differently by deployment: the CSP's upgrade-insecure-requests only
 * where BASE_URL is https; per-address answer limits keyed on the real client behind a proxy
 * named in TRUST_PROXY, and on the socket peer otherwise; the bind address from HOST.
 */
import { getModelToken } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import request from 'supertest';
import { answerToken, hashAnswerToken } from '../src/broadcasts/answer-link';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { startAppProcess } from './fixtures/app-process';
import { testMongoUri } from './utils/database';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';

/** A channel-mode question whose one shared link went out just now, as the sender leaves it. */
async function seedChannelLink(t: TestApp): Promise<string> {
  const broadcasts = t.app.get<Model<Broadcast>>(getModelToken(Broadcast.name));
  const deliveries = t.app.get<Model<Delivery>>(getModelToken(Delivery.name));
  const now = new Date();
  const broadcast = await broadcasts.create({
    meeting_id: '84000000001',
    kind: 'question',
    question: {
      title: 'Pace',
      question_text: 'Pace of the course?',
      options: ['Slow', 'Right', 'Fast'],
      correct_answer: null,
      time_limit: 60,
      points: 0,
    },
    mode: 'channel',
    channel_id: 'chan1',
    opens_at: now,
  });
  const id = new Types.ObjectId();
  const token = answerToken(t.config.answers.tokenSecret, id);
  await deliveries.create({
    _id: id,
    broadcast_id: broadcast._id,
    recipient_key: 'channel:chan1',
    name: 'Meeting chat channel',
    email: null,
    status: 'sent',
    available_at: now,
    sent_at: now,
    closes_at: new Date(now.getTime() + 60_000),
    answer_token_hash: hashAnswerToken(token),
  });
  return token;
}

describe('HTTP edge by deployment (e2e)', () => {
  describe('Content-Security-Policy', () => {
    let plain: TestApp;
    let secure: TestApp;

    beforeAll(async () => {
      [plain, secure] = await Promise.all([
        createTestApp({ name: 'edge_http', env: { BASE_URL: 'http://quiz.test:3000' } }),
        createTestApp({ name: 'edge_https', env: { BASE_URL: 'https://quiz.example.com' } }),
      ]);
    });
    afterAll(async () => Promise.all([plain?.close(), secure?.close()]));

    it('served over plain http: no upgrade-insecure-requests, no COOP (browsers ignore it there)', async () => {
      const res = await request(plain.url).get('/docs').expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    });

    it('served over https: upgrade-insecure-requests and COOP', async () => {
      const res = await request(secure.url).get('/docs').expect(200);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    });
  });

  describe('TRUST_PROXY and the per-address answer limit', () => {
    let behindProxy: TestApp;
    let direct: TestApp;
    let email = 0;
    // The test client connects from 127.0.0.1: that is "the proxy" here.
    const answerFrom = (t: TestApp, token: string, forwardedFor: string) =>
      request(t.url)
        .post(`/q/${token}/answer`)
        .set('X-Forwarded-For', forwardedFor)
        .send({ choice: 1, name: 'P', email: `p${email++}@example.com` });

    beforeAll(async () => {
      const env = { ANSWERS_PER_LINK_PER_ADDRESS: '1' };
      [behindProxy, direct] = await Promise.all([
        createTestApp({ name: 'edge_proxy', env: { ...env, TRUST_PROXY: '127.0.0.1' } }),
        createTestApp({ name: 'edge_noproxy', env }),
      ]);
    });
    afterAll(async () => Promise.all([behindProxy?.close(), direct?.close()]));

    it('with TRUST_PROXY, clients behind the trusted proxy get limits of their own', async () => {
      const token = await seedChannelLink(behindProxy);
      await answerFrom(behindProxy, token, '203.0.113.1').expect(200);
      await answerFrom(behindProxy, token, '203.0.113.1').expect(429);
      await answerFrom(behindProxy, token, '203.0.113.2').expect(200);
      // The client address is the one the proxy appended, not one a client put in front of it.
      await answerFrom(behindProxy, token, '203.0.113.3, 203.0.113.2').expect(429);
    });

    it('without it, X-Forwarded-For is ignored: the socket peer is the client', async () => {
      const token = await seedChannelLink(direct);
      await answerFrom(direct, token, '203.0.113.1').expect(200);
      await answerFrom(direct, token, '203.0.113.2').expect(429);
    });
  });

  it('the service (src/main.ts) listens on HOST only', async () => {
    // Any 127.x address is loopback on Linux: bound to 127.0.0.2, it is not reachable on 127.0.0.1.
    const app = await startAppProcess({
      HOST: '127.0.0.2',
      MONGO_URI: testMongoUri('edge_host'),
      API_KEYS: TEST_API_KEY,
      ZOOM_WEBHOOK_SECRET_TOKEN: 'test-webhook-secret',
    });
    try {
      expect(new URL(app.url).hostname).toBe('127.0.0.2');
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
      const elsewhere = app.url.replace('127.0.0.2', '127.0.0.1');
      await expect(fetch(`${elsewhere}/health`)).rejects.toThrow();
    } finally {
      await app.kill('SIGTERM');
    }
  }, 270_000);

  describe('CSV request bodies', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ name: 'edge_csv' });
    });
    afterAll(async () => t?.close());

    it('a route that expects JSON refuses a text/csv body with a 400, not a 500', async () => {
      const res = await request(t.app.getHttpServer())
        .post('/api/questions')
        .set('X-API-Key', TEST_API_KEY)
        .set('content-type', 'text/csv')
        .send('title,question_text\r\nA,B\r\n');
      expect(res.status).toBe(400);
    });

    it('a CSV body over the upload limit is a 413', async () => {
      const res = await request(t.app.getHttpServer())
        .post('/api/questions')
        .set('X-API-Key', TEST_API_KEY)
        .set('content-type', 'text/csv')
        .send('x'.repeat(2 * 1024 * 1024 + 1));
      expect(res.status).toBe(413);
    });
  });
});
