/**
 * Question-set run against separate sends (issue 16): the Zoom calls a 5-question lesson costs
 * for 1,000 people, through the real app, database and Zoom simulator (100 ms latency per call,
 * Medium limit 60/s, as a Business account).
 *
 * In the same run: (a) one instructor-paced run of a 5-question set, started and moved through
 * all five questions with `next`; (b) the baseline, the same five questions sent one by one with
 * POST /api/questions/{id}/send. Zoom calls are counted from the simulator's request log by
 * endpoint; the time each takes to reach everyone is measured to the sender's completion event.
 * The result is printed as the ratio of the run's calls and time to the baseline's.
 *
 *   npx ts-node --transpile-only bench/run-vs-sends.ts [people=1000] [questions=5]
 */
import request from 'supertest';
import { startMongoServer } from '../tools/mongo-server/launch';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { DeliveryWorker } from '../src/broadcasts/delivery-worker.service';
import { withDatabase } from '../test/utils/database';
import { createTestApp, TEST_API_KEY, type TestApp } from '../test/utils/test-app';
import { seedMeeting, SENDER_EMAIL, simulatorEnv } from '../test/utils/zoom-world';
import { BENCH_DB_OPTIONS, benchDbJit, loadAverage } from './lib/processes';

const RATE = 60;
const LATENCY_MS = 100;
const AUTH = { 'X-API-Key': TEST_API_KEY };

interface Cost {
  calls: number;
  byEndpoint: Record<string, number>;
  messages: number;
  seconds: number;
}

/** Resolves when the sender reports broadcast `id` complete (no HTTP poll: it would add load). */
function completion(app: TestApp, id: string): Promise<void> {
  const worker = app.app.get(DeliveryWorker);
  return new Promise<void>((resolve) => {
    const done = (completed: string) => {
      if (completed !== id) return;
      worker.events.off('completed', done);
      resolve();
    };
    worker.events.on('completed', done);
  });
}

/** Zoom calls since the last reset, by method and path with ids folded. */
function zoomCost(sim: ZoomSimulator, seconds: number): Cost {
  const byEndpoint: Record<string, number> = {};
  const requests = sim.requests().filter((r) => !r.path.startsWith('/_sim'));
  for (const r of requests) {
    const key = `${r.method} ${r.path.replace(/\/[^/]*\d[^/]*(?=\/|$)/g, '/{id}')}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
  }
  return { calls: requests.length, byEndpoint, messages: sim.messages().length, seconds };
}

async function post(app: TestApp, path: string, body: object): Promise<Record<string, unknown>> {
  const res = await request(app.url).post(path).set(AUTH).send(body);
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, unknown>;
}

async function main(): Promise<void> {
  const people = Number(process.argv[2] ?? 1000);
  const questionCount = Number(process.argv[3] ?? 5);
  const mongo = await startMongoServer(BENCH_DB_OPTIONS);
  const sim = await startZoomSimulator({
    latencyMs: LATENCY_MS,
    rateLimits: { medium: RATE, heavy: 1000, light: 1000 },
  });
  sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
  const app = await createTestApp({
    name: 'bench_runs',
    env: {
      ...simulatorEnv(sim),
      MONGO_URI: withDatabase(mongo.uri, 'bench_runs'),
      ZOOM_RATE_LIMIT_MEDIUM: String(RATE),
      DELIVERY_CONCURRENCY: '20',
      ZOOM_MAX_IN_FLIGHT: '20',
    },
  });
  sim.setWebhookTarget(`${app.url}/api/zoom/webhook`);
  try {
    const { meetingId } = await seedMeeting(sim, { members: people });
    const questionIds: string[] = [];
    for (let i = 0; i < questionCount; i++) {
      const q = await post(app, '/api/questions', {
        title: `Bench ${i + 1}`,
        question_text: `Question ${i + 1}: pick one`,
        options: ['A', 'B', 'C'],
        correct_answer: 0,
        time_limit: 60,
      });
      questionIds.push(q.id as string);
    }
    const set = await post(app, '/api/question-sets', {
      title: 'Bench lesson',
      question_ids: questionIds,
      pacing: 'instructor',
    });
    // Let the rate limiter's bucket drain from the seeding calls.
    await new Promise((r) => setTimeout(r, 1500));

    // (a) One run of the set: one message per person, then `next` through every question.
    sim.reset();
    let started = Date.now();
    const run = await post(app, `/api/question-sets/${set.id as string}/runs`, {
      meeting_id: meetingId,
    });
    await completion(app, run.broadcast_id as string);
    const runSeconds = (Date.now() - started) / 1000;
    for (let i = 0; i < questionCount; i++) {
      await post(app, `/api/runs/${run.id as string}/next`, { current_index: i });
    }
    const runCost = zoomCost(sim, runSeconds);

    // (b) Baseline, same run of the bench: the same questions as five separate sends.
    await new Promise((r) => setTimeout(r, 1500));
    sim.reset();
    started = Date.now();
    for (const id of questionIds) {
      const sent = await post(app, `/api/questions/${id}/send`, { meeting_id: meetingId });
      await completion(app, sent.id as string);
    }
    const sendsCost = zoomCost(sim, (Date.now() - started) / 1000);

    const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(3));
    console.log(
      [
        `run vs sends: ${people} people, ${questionCount} questions, simulator latency ${LATENCY_MS} ms, Medium limit ${RATE}/s`,
        `  run of the set:   ${runCost.calls} Zoom calls (${runCost.messages} chat messages), everyone reached in ${runCost.seconds.toFixed(2)} s; ${JSON.stringify(runCost.byEndpoint)}`,
        `  ${questionCount} separate sends: ${sendsCost.calls} Zoom calls (${sendsCost.messages} chat messages), all reached in ${sendsCost.seconds.toFixed(2)} s; ${JSON.stringify(sendsCost.byEndpoint)}`,
        `  run / sends:      ${ratio(runCost.calls, sendsCost.calls)} of the Zoom calls, ${ratio(runCost.messages, sendsCost.messages)} of the messages, ${ratio(runCost.seconds, sendsCost.seconds)} of the sending time`,
        `  load average ${loadAverage()}; ${benchDbJit()}`,
      ].join('\n'),
    );
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
