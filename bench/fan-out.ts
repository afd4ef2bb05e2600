/**
 * Fan-out benchmark (issue 5): one question to 1,000 people through the real app, database and
 * Zoom simulator (100 ms latency per call, Medium limit 60/s, as a Business account).
 *
 * Reports the time to deliver against the rate floor (1000 / 60 s) and, in the same run, a
 * one-at-a-time loop (the original Flask design) through the same Zoom client.
 *
 * Issue 17: database commands per delivered message, counted with the driver's command
 * monitoring on the app's connection during the send (target <= 2 at saturation).
 *
 *   npx ts-node --transpile-only bench/fan-out.ts [recipients=1000] [baselineRecipients=200]
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { startMongoServer } from '../tools/mongo-server/launch';
import { BENCH_DB_OPTIONS, benchDbJit, loadAverage } from './lib/processes';
import { startZoomSimulator } from '../tools/zoom-simulator';
import { DeliveryWorker } from '../src/broadcasts/delivery-worker.service';
import { ZoomChatService } from '../src/zoom/zoom-chat.service';
import { countCommands, withCommandMonitoring } from '../test/utils/command-monitor';
import { withDatabase } from '../test/utils/database';
import { createTestApp, TEST_API_KEY } from '../test/utils/test-app';
import { seedMeeting, SENDER_EMAIL, simulatorEnv } from '../test/utils/zoom-world';

const RATE = 60;
const LATENCY_MS = 100;
const TARGET_COMMANDS = 2;

async function main(): Promise<void> {
  const recipients = Number(process.argv[2] ?? 1000);
  const baselineRecipients = Number(process.argv[3] ?? 200);
  const mongo = await startMongoServer(BENCH_DB_OPTIONS);
  process.env.MONGO_URI = mongo.uri;
  const sim = await startZoomSimulator({
    latencyMs: LATENCY_MS,
    rateLimits: { medium: RATE, heavy: 1000, light: 1000 },
  });
  sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
  const app = await createTestApp({
    name: 'bench_fanout',
    env: {
      ...simulatorEnv(sim),
      MONGO_URI: withCommandMonitoring(withDatabase(mongo.uri, 'bench_fanout')),
      ZOOM_RATE_LIMIT_MEDIUM: String(RATE),
      DELIVERY_CONCURRENCY: '20',
      ZOOM_MAX_IN_FLIGHT: '20',
    },
  });
  sim.setWebhookTarget(`${app.url}/api/zoom/webhook`);
  const auth = { 'X-API-Key': TEST_API_KEY };
  try {
    const { meetingId } = await seedMeeting(sim, { members: recipients });
    const qid = (
      await request(app.url)
        .post('/api/questions')
        .set(auth)
        .send({ title: 'Bench', question_text: 'Pick one', options: ['A', 'B'], correct_answer: 0 })
    ).body.id as string;
    // Let the rate limiter's bucket drain from the seeding calls.
    await new Promise((r) => setTimeout(r, 1500));
    sim.reset();

    const counter = countCommands([app.app.get<Connection>(getConnectionToken()).getClient()]);
    const started = Date.now();
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId });
    // The sender's own completion event, not an HTTP poll: the poll's reads would be counted.
    const worker = app.app.get(DeliveryWorker);
    await new Promise<void>((resolve) => {
      const onCompleted = (id: string) => {
        if (id !== sent.body.id) return;
        worker.events.off('completed', onCompleted);
        resolve();
      };
      worker.events.on('completed', onCompleted);
    });
    const engineMs = Date.now() - started;
    counter.stop();
    const delivered = new Set(sim.messages().map((m) => m.to_contact)).size;
    const rejected429 = sim.requests().filter((r) => r.status === 429).length;

    // Baseline: the original design, one message at a time, through the same Zoom client.
    sim.reset();
    const chat = app.app.get(ZoomChatService);
    const baseStarted = Date.now();
    for (let i = 0; i < baselineRecipients; i++) {
      await chat.sendMessage({ toContact: `member${i}@example.com` }, `Baseline message ${i}`);
    }
    const baseMs = Date.now() - baseStarted;
    const basePerMsg = baseMs / baselineRecipients;

    const floorMs = (recipients / RATE) * 1000;
    const lines = [
      `fan-out: ${recipients} recipients, simulator latency ${LATENCY_MS} ms, Medium limit ${RATE}/s`,
      `  durable sender:      ${(engineMs / 1000).toFixed(2)} s  (${(recipients / (engineMs / 1000)).toFixed(1)} msg/s), delivered ${delivered}/${recipients}, 429s seen ${rejected429}`,
      `  rate floor:          ${(floorMs / 1000).toFixed(2)} s  (${RATE} msg/s)`,
      `  share of ceiling:    ${((floorMs / engineMs) * 100).toFixed(1)} % (target >= 90 %)`,
      `  database commands:   ${(counter.total() / delivered).toFixed(3)} per delivered message (target <= ${TARGET_COMMANDS}), ${JSON.stringify(counter.byName())}`,
      `  load average ${loadAverage()}; ${benchDbJit()}`,
      `  one-at-a-time loop:  ${basePerMsg.toFixed(1)} ms/msg over ${baselineRecipients} messages -> ${((basePerMsg * recipients) / 1000).toFixed(1)} s for ${recipients} (${(1000 / basePerMsg).toFixed(1)} msg/s)`,
      `  speed-up vs loop:    ${((basePerMsg * recipients) / engineMs).toFixed(1)}x`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await app.close();
    await sim.close();
    await mongo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
