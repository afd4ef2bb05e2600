import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { startAppProcess } from './fixtures/app-process';
import { testMongoUri } from './utils/database';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { messagesPerRecipient, seedMeeting, SENDER_EMAIL, simulatorEnv } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const question = { title: 'Q', question_text: 'Pick one', options: ['A', 'B'], correct_answer: 0 };

/** Messages past the first per person: what a duplicate-free send keeps at 0. */
function duplicatesOf(perRecipient: Map<string, number>): number {
  return [...perRecipient.values()].reduce((sum, n) => sum + n - 1, 0);
}

/** Seeds a meeting of `members` through `appUrl`'s webhooks, sends it a question: the broadcast id. */
async function sendToNewMeeting(
  sim: ZoomSimulator,
  appUrl: string,
  members: number,
): Promise<string> {
  sim.setWebhookTarget(`${appUrl}/api/zoom/webhook`);
  const { meetingId } = await seedMeeting(sim, { members });
  const qid = (await request(appUrl).post('/api/questions').set(auth).send(question).expect(201))
    .body.id;
  const sent = await request(appUrl)
    .post(`/api/questions/${qid}/send`)
    .set(auth)
    .send({ meeting_id: meetingId });
  if (sent.status !== 202) {
    const failed = sim.webhookDeliveries().filter((d) => d.status < 200 || d.status >= 300);
    throw new Error(
      `send answered ${sent.status} ${JSON.stringify(sent.body)}; ${failed.length} webhook deliveries failed`,
    );
  }
  return sent.body.id as string;
}

async function completed(url: string, id: string): Promise<boolean> {
  const res = await request(url).get(`/api/broadcasts/${id}`).set(auth);
  return res.status === 200 && res.body.status === 'completed';
}

describe('Delivery durability (e2e)', () => {
  let sim: ZoomSimulator;
  beforeEach(async () => {
    sim = await startZoomSimulator({
      rateLimits: { medium: 150, heavy: 100, light: 100 },
      latencyMs: 40,
    });
    sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
  });
  afterEach(async () => sim.close());

  it('a crash mid-send loses nothing and sends nothing twice: a fresh instance confirms the posts in flight, then finishes', async () => {
    const mongoUri = testMongoUri('crash');
    const concurrency = 8;
    const env = {
      ...simulatorEnv(sim),
      MONGO_URI: mongoUri,
      API_KEYS: TEST_API_KEY,
      DELIVERY_CONCURRENCY: String(concurrency),
      DELIVERY_LEASE_SECONDS: '2',
      DELIVERY_POLL_INTERVAL_MS: '200',
      ZOOM_RATE_LIMIT_MEDIUM: '150',
    };
    const first = await startAppProcess(env);
    let second: TestApp | undefined;
    try {
      const sent = await sendToNewMeeting(sim, first.url, 500);

      await waitUntil(() => sim.messages().length >= 150, 60_000, '150 messages before the crash');
      await first.kill('SIGKILL');
      const atCrash = sim.messages().length;
      expect(atCrash).toBeLessThan(500);

      second = await createTestApp({ env });
      await waitUntil(() => completed(second!.url, sent), 90_000, 'the new instance to finish');
      const done = await request(second.url).get(`/api/broadcasts/${sent}`).set(auth).expect(200);
      expect(done.body.counts).toMatchObject({ total: 500, sent: 500, failed: 0 });

      const perRecipient = messagesPerRecipient(sim);
      expect(perRecipient.size).toBe(500);
      const duplicates = duplicatesOf(perRecipient);
      // The posts in flight at the instant of the crash are in doubt (posted_at): the new
      // instance looks each up in Zoom's list of sent messages before posting it again.
      console.log(
        `crash test: ${atCrash} messages before SIGKILL, ${duplicates} duplicate(s) after recovery`,
      );
      expect(duplicates).toBe(0);
    } finally {
      await first.kill('SIGKILL');
      await second?.close();
    }
  }, 540_000);

  it('SIGTERM mid-send: in-flight sends are recorded, a fresh instance finishes, nothing twice', async () => {
    const env = {
      ...simulatorEnv(sim),
      MONGO_URI: testMongoUri('sigterm'),
      API_KEYS: TEST_API_KEY,
      DELIVERY_CONCURRENCY: '8',
      DELIVERY_LEASE_SECONDS: '2',
      DELIVERY_POLL_INTERVAL_MS: '200',
      ZOOM_RATE_LIMIT_MEDIUM: '100',
    };
    const first = await startAppProcess(env);
    let second: TestApp | undefined;
    try {
      const sent = await sendToNewMeeting(sim, first.url, 300);

      await waitUntil(() => sim.messages().length >= 100, 60_000, '100 messages before SIGTERM');
      await first.kill('SIGTERM');
      const atStop = sim.messages().length;
      // Nest's shutdown hooks close the app, then re-raise the signal.
      expect(first.child.exitCode === 0 || first.child.signalCode === 'SIGTERM').toBe(true);
      expect(atStop).toBeLessThan(300);

      second = await createTestApp({ env });
      await waitUntil(() => completed(second!.url, sent), 90_000, 'the new instance');
      const done = await request(second.url).get(`/api/broadcasts/${sent}`).set(auth).expect(200);
      expect(done.body.counts).toMatchObject({ total: 300, sent: 300, failed: 0 });
      const perRecipient = messagesPerRecipient(sim);
      const duplicates = duplicatesOf(perRecipient);
      console.log(`SIGTERM test: ${atStop} messages before the stop, ${duplicates} duplicate(s)`);
      expect(perRecipient.size).toBe(300);
      expect(duplicates).toBe(0);
    } finally {
      await first.kill('SIGKILL');
      await second?.close();
    }
  }, 540_000);

  it('two instances on one database share the work and send each message once', async () => {
    const env = {
      ...simulatorEnv(sim),
      MONGO_URI: testMongoUri('two_instances'),
      DELIVERY_CONCURRENCY: '6',
      DELIVERY_POLL_INTERVAL_MS: '50',
      ZOOM_RATE_LIMIT_MEDIUM: '75',
    };
    const a = await createTestApp({ env });
    const b = await createTestApp({ env });
    try {
      const sent = await sendToNewMeeting(sim, a.url, 300);
      await waitUntil(() => completed(b.url, sent), 60_000, 'both instances to finish');

      const perRecipient = messagesPerRecipient(sim);
      expect(perRecipient.size).toBe(300);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);

      const connection = a.app.get<Connection>(getConnectionToken());
      const senders = await connection.collection('deliveries').distinct('sent_by');
      expect(senders).toHaveLength(2);
    } finally {
      await a.close();
      await b.close();
    }
  }, 360_000);
});
