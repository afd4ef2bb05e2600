/**
 * The sender's database round trips per delivered message (issue 17, docs/architecture.md §5):
 * claims come in batches (one read and one update for many records), the posting marks of
 * lanes that are ready together are one update, and the outcomes of a short window one bulk
 * write. Counted with the driver's command monitoring on the `deliveries` collection, for a send
 * to 200 people at a rate where many posts overlap. One claim, one posting mark and one outcome
 * write per message, as before the batching, is 3 or more per message.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { withCommandMonitoring } from './utils/command-monitor';
import { testMongoUri } from './utils/database';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { messagesPerRecipient, seedMeeting, SENDER_EMAIL, simulatorEnv } from './utils/zoom-world';

const RECIPIENTS = 200;
const auth = { 'X-API-Key': TEST_API_KEY };

describe('Sender round trips per delivered message', () => {
  let sim: ZoomSimulator;
  let app: TestApp;
  /** Commands on the deliveries collection, by command name. */
  const commands = new Map<string, number>();

  beforeAll(async () => {
    sim = await startZoomSimulator({
      latencyMs: 20,
      rateLimits: { medium: 1000, light: 1000, heavy: 1000 },
    });
    sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
    app = await createTestApp({
      env: {
        ...simulatorEnv(sim),
        MONGO_URI: withCommandMonitoring(testMongoUri('round_trips')),
        ZOOM_RATE_LIMIT_MEDIUM: '1000',
        DELIVERY_CONCURRENCY: '20',
      },
    });
    app.app
      .get<Connection>(getConnectionToken())
      .getClient()
      .on('commandStarted', (event) => {
        if (event.command[event.commandName] !== 'deliveries') return;
        commands.set(event.commandName, (commands.get(event.commandName) ?? 0) + 1);
      });
    sim.setWebhookTarget(`${app.url}/api/zoom/webhook`);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it('claims, marks and records 200 messages in at most 2 deliveries commands per message, each sent once', async () => {
    const { meetingId } = await seedMeeting(sim, { members: RECIPIENTS });
    sim.reset();
    const question = await request(app.url)
      .post('/api/questions')
      .set(auth)
      .send({
        title: 'Round trips',
        question_text: 'Pick one',
        options: ['A', 'B'],
        correct_answer: 0,
      })
      .expect(201);
    commands.clear();
    const sent = await request(app.url)
      .post(`/api/questions/${question.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    const id = sent.body.id as string;
    // Completion is set by the sender itself once nothing is left: the last command it sends.
    await waitUntil(
      async () => {
        const res = await request(app.url).get(`/api/broadcasts/${id}`).set(auth);
        return res.body.status === 'completed';
      },
      120_000,
      'the send to complete',
      500,
    );
    const perRecipient = messagesPerRecipient(sim);
    expect(perRecipient.size).toBe(RECIPIENTS);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    // The status polls above read the deliveries too (an aggregate and a find each): left out.
    const sender = [...commands]
      .filter(([name]) => name !== 'aggregate')
      .reduce((sum, [, n]) => sum + n, 0);
    const polls = commands.get('aggregate') ?? 0;
    const perMessage = (sender - polls) / RECIPIENTS;
    console.log(
      `sender: ${perMessage.toFixed(2)} deliveries commands per message ` +
        `(${JSON.stringify(Object.fromEntries(commands))}, ${polls} status polls)`,
    );
    expect(perMessage).toBeLessThanOrEqual(2);
  }, 180_000);
});
