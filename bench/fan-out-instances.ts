/**
 * Fan-out from one and from three instances on one shared Zoom budget (issue 17,
 * docs/architecture.md §20): 1,000 recipients through the compiled app, each instance its own
 * process on one database, against the Zoom simulator (100 ms latency per call, Medium limit
 * 60/s). The baseline of the run: one instance pacing itself alone (ZOOM_RATE_BUDGET=process,
 * the per-process limiter). Then one instance on the shared budget, then three together, each
 * sending a new question to the same 1,000 people.
 *
 * Prints, for each: the time from the send request to the broadcast's completion, the share of
 * the rate ceiling that is (floor / time), the 429s and the busiest 1-second window of accepted
 * posts, with this process's event-loop delay during the send (the simulator stamps each post
 * here, so a stall of this process bunches the stamps); and each shared run's share as a ratio
 * to the baseline's (target >= 0.95: three instances keep the account's rate as busy as one
 * does, and never exceed it). Completion is watched on the simulator first, then confirmed once
 * on the app (the broadcast view lists every recipient: not something to ask for every 50 ms of
 * the send from the instance being measured).
 *
 *   npx ts-node --transpile-only bench/fan-out-instances.ts [recipients=1000]
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startMongoServer } from '../tools/mongo-server/launch';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { withDatabase } from '../test/utils/database';
import { seedMeeting, SENDER_EMAIL } from '../test/utils/zoom-world';
import {
  type AppProcess,
  BENCH_DB_OPTIONS,
  benchDbJit,
  compileApp,
  loadAverage,
  startBuiltApp,
} from './lib/processes';

const RATE = 60;
const LATENCY_MS = 100;
const KEY = 'bench-instructor-key-0123456789';

interface Run {
  label: string;
  instances: number;
  seconds: number;
  /** From the first accepted post to the end of the last one's slot. */
  sendingSeconds: number;
  delivered: number;
  refused: number;
  busiest: number;
  /** The same, by the time each post reached the simulator (before its 100 ms of latency). */
  busiestArrived: number;
  /** This process's event-loop delay during the send (ms): the simulator stamps posts here. */
  loopMax: number;
  loopP99: number;
}

async function api<T>(app: AppProcess, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(app.url + path, {
    method,
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function fanOut(
  sim: ZoomSimulator,
  via: AppProcess,
  instances: number,
  meetingId: string,
  recipients: number,
): Promise<Run> {
  const question = await api<{ id: string }>(via, 'POST', '/api/questions', {
    title: `Bench ${instances}`,
    question_text: 'Pick one',
    options: ['A', 'B'],
    correct_answer: 0,
  });
  // Budget booked by the seeding calls (none on Medium) and old records out of the way.
  await new Promise((r) => setTimeout(r, 1500));
  sim.reset();
  // The simulator stamps each post when this process's event loop gets to it: a stall here
  // stamps the posts that arrived during it together, however well they were spaced when sent.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = Date.now();
  const sent = await api<{ id: string }>(via, 'POST', `/api/questions/${question.id}/send`, {
    meeting_id: meetingId,
  });
  // Watch the simulator (in this process) until every message has landed, and only then ask the
  // app for the broadcast's status: the broadcast view lists every recipient, and asking for it
  // every 50 ms throughout kept the sending instance's event loop busy for tens of ms at a time
  // (BENCHMARKS.md), which the measured limiter then paid for.
  const landed = (): number => new Set(sim.messages().map((m) => m.to_contact)).size;
  while (landed() < recipients) await new Promise((r) => setTimeout(r, 20));
  for (;;) {
    const broadcast = await api<{ status: string }>(via, 'GET', `/api/broadcasts/${sent.id}`);
    if (broadcast.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (Date.now() - started) / 1000;
  loop.disable();
  const posts = sim
    .requests()
    .filter((r) => r.method === 'POST' && r.label === 'medium' && r.acceptedAt !== undefined)
    .map((r) => r.acceptedAt as number)
    .sort((a, b) => a - b);
  return {
    label: '',
    instances,
    seconds,
    sendingSeconds: (posts[posts.length - 1] - posts[0] + 1000 / RATE) / 1000,
    delivered: new Set(sim.messages().map((m) => m.to_contact)).size,
    refused: sim.requests().filter((r) => r.status === 429).length,
    busiest: sim.busiestWindow('medium', 1000).count,
    busiestArrived: busiestWindow(
      sim
        .requests()
        .filter((r) => r.method === 'POST' && r.label === 'medium' && r.acceptedAt !== undefined)
        .map((r) => r.at),
    ),
    loopMax: loop.max / 1e6,
    loopP99: loop.percentile(99) / 1e6,
  };
}

function busiestWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end] < sorted[start] + windowMs) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

function describe(run: Run, recipients: number): string[] {
  const floor = recipients / RATE;
  return [
    `  ${run.label}: ${run.seconds.toFixed(2)} s send to completion, ` +
      `${((floor / run.seconds) * 100).toFixed(1)} % of the rate ceiling ` +
      `(posting ${run.sendingSeconds.toFixed(2)} s: ${((floor / run.sendingSeconds) * 100).toFixed(1)} %), ` +
      `delivered ${run.delivered}/${recipients}, 429s ${run.refused}, busiest second ${run.busiest} ` +
      `(${run.busiestArrived} by arrival; limit ${RATE}; ` +
      `this process's event-loop delay p99 ${run.loopP99.toFixed(0)} ms, max ${run.loopMax.toFixed(0)} ms)`,
  ];
}

async function main(): Promise<void> {
  const recipients = Number(process.argv[2] ?? 1000);
  const mongo = await startMongoServer(BENCH_DB_OPTIONS);
  const sim = await startZoomSimulator({
    latencyMs: LATENCY_MS,
    rateLimits: { medium: RATE, heavy: 1000, light: 1000 },
  });
  sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    MONGO_URI: withDatabase(mongo.uri, `bench_fanout_instances_${randomBytes(4).toString('hex')}`),
    BASE_URL: 'http://127.0.0.1:3000',
    API_KEYS: KEY,
    ANSWER_TOKEN_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ZOOM_ACCOUNT_ID: sim.accountId,
    ZOOM_CLIENT_ID: sim.clientId,
    ZOOM_CLIENT_SECRET: sim.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: sim.webhookSecretToken,
    ZOOM_CHAT_SENDER: SENDER_EMAIL,
    ZOOM_API_BASE_URL: sim.apiBaseUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
    ZOOM_RATE_LIMIT_MEDIUM: String(RATE),
    ZOOM_RATE_LIMIT_LIGHT: '1000',
    ZOOM_RATE_LIMIT_HEAVY: '1000',
    DELIVERY_CONCURRENCY: '20',
    ZOOM_MAX_IN_FLIGHT: '20',
  };
  const apps: AppProcess[] = [];
  try {
    const build = compileApp('bench-fan-out-instances');
    // Baseline: one instance pacing itself alone (the per-process limiter, ZOOM_RATE_BUDGET=process).
    const alone = await startBuiltApp(build, { ...env, ZOOM_RATE_BUDGET: 'process' });
    sim.setWebhookTarget(`${alone.url}/api/zoom/webhook`, { concurrency: 8 });
    const { meetingId } = await seedMeeting(sim, { members: recipients });
    const base = {
      ...(await fanOut(sim, alone, 1, meetingId, recipients)),
      label: '1 instance, own limiter ',
    };
    await alone.stop();
    // The same people, new questions: one instance, then three, on the shared budget.
    apps.push(await startBuiltApp(build, env));
    const one = {
      ...(await fanOut(sim, apps[0], 1, meetingId, recipients)),
      label: '1 instance, shared budget',
    };
    apps.push(await startBuiltApp(build, env), await startBuiltApp(build, env));
    const three = {
      ...(await fanOut(sim, apps[0], 3, meetingId, recipients)),
      label: '3 instances, shared     ',
    };

    const share = (run: Run) => recipients / RATE / run.seconds;
    console.log(
      [
        `fan-out from one and from three instances (shared Zoom budget): ${recipients} recipients, ` +
          `simulator latency ${LATENCY_MS} ms, Medium limit ${RATE}/s for the account, load ${loadAverage()}; ${benchDbJit()}`,
        `  rate floor: ${(recipients / RATE).toFixed(2)} s`,
        ...describe(base, recipients),
        ...describe(one, recipients),
        ...describe(three, recipients),
        `  ratio to the single-instance baseline (own limiter): shared 1 instance ${(share(one) / share(base)).toFixed(3)}, ` +
          `3 instances ${(share(three) / share(base)).toFixed(3)} (target >= 0.95); ` +
          `busiest second with 3: ${three.busiest} against ${RATE} (target <= ${RATE + 1})`,
      ].join('\n'),
    );
  } finally {
    for (const app of apps) await app.stop();
    await sim.close();
    await mongo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
