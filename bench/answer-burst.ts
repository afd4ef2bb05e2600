/**
 * Answer burst benchmark (issue 6): 1,000 recipients of one question answer within one second,
 * against the real app (src/main.ts in its own process: HTTP, pipes, guards, rate limiter) and
 * the database. Reports throughput, p50/p99 latency and lost answers (stored answers must equal
 * 2xx responses, one per recipient). Baseline in the same run: the same 1,000 inserts straight
 * through the Mongoose model, same arrival schedule, no HTTP.
 *
 *   npx ts-node --transpile-only bench/answer-burst.ts [answers=1000] [spreadMs=1000]
 *
 * Each request opens its own connection (1,000 phones do not share sockets). The app runs in a
 * child process so the load generator does not share its event loop. MONGO_URI is used if set;
 * otherwise the local MongoDB-wire test server is started (it shares this machine's 2 cores).
 *
 * Issue 17: the app counts its own database commands (driver command monitoring,
 * bench/lib/app-commands.ts preloaded), and each burst prints commands per answer and app CPU per
 * answer as a ratio to a no-database route measured in the same process and run: the same POST
 * to links that cannot be tokens (HTTP, JSON body, guards, the answer route up to the token
 * check, a 404, no database), same arrival schedule and connections.
 *
 * The seeding and burst helpers are exported for test/answers-burst.e2e-spec.ts.
 */
import mongoose, { Model, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Answer, AnswerSchema } from '../src/answers/schemas/answer.schema';
import { answerToken, hashAnswerToken } from '../src/broadcasts/answer-link';
import { Broadcast, BroadcastSchema } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery, DeliverySchema } from '../src/broadcasts/schemas/delivery.schema';
import { startMongoServer } from '../tools/mongo-server/launch';
import { join } from 'node:path';
import { freePort } from '../test/fixtures/app-process';
import { withCommandMonitoring } from '../test/utils/command-monitor';
import { withDatabase } from '../test/utils/database';
import {
  BENCH_DB_OPTIONS,
  benchDbJit,
  childDatabasePid,
  loadAverage,
  ownCpuMs,
  processCpuMs,
  ROOT,
  startCompiledApp,
} from './lib/processes';

export interface BurstModels {
  broadcasts: Model<Broadcast>;
  deliveries: Model<Delivery>;
}

export interface BurstBroadcast {
  broadcastId: Types.ObjectId;
  meetingId: string;
  tokens: string[];
}

/**
 * A question broadcast to `n` recipients whose messages all went out just now, written straight
 * to the database as the sender leaves it; each recipient's link token derived as the sender does.
 */
export async function seedBurstBroadcast(
  models: BurstModels,
  tokenSecret: string,
  n: number,
): Promise<BurstBroadcast> {
  // Index builds run in the background from app start; a write racing a collection's first
  // index build has been answered "Unknown error: null" by the test database server.
  await Promise.all([models.broadcasts.init(), models.deliveries.init()]);
  const now = new Date();
  const meetingId = String(80_000_000 + Math.floor(Math.random() * 10_000_000));
  const broadcast = await models.broadcasts.create({
    meeting_id: meetingId,
    kind: 'question',
    question: {
      title: 'Burst',
      question_text: 'Pick one',
      options: ['A', 'B', 'C', 'D'],
      correct_answer: 2,
      time_limit: 120,
      points: 1000,
    },
    mode: 'direct',
    opens_at: now,
  });
  const ids = Array.from({ length: n }, () => new Types.ObjectId());
  await models.deliveries.insertMany(
    ids.map((_id, i) => ({
      _id,
      broadcast_id: broadcast._id,
      recipient_key: `burst-user-${i}`,
      name: `Burst User ${i}`,
      email: `burst${i}@example.com`,
      status: 'sent',
      available_at: now,
      sent_at: now,
      closes_at: new Date(now.getTime() + 120_000),
      answer_token_hash: hashAnswerToken(answerToken(tokenSecret, _id)),
    })),
  );
  return {
    broadcastId: broadcast._id,
    meetingId,
    tokens: ids.map((id) => answerToken(tokenSecret, id)),
  };
}

export interface Sample {
  /** The HTTP status, or 0 when no answer came (the connection failed: see `error`). */
  status: number;
  ms: number;
  /** Why no answer came (e.g. ECONNRESET), when status is 0. */
  error?: string;
}

/**
 * One JSON answer; status 0 for a network error. `agent: false` opens a fresh connection (a
 * phone); a keep-alive agent models a load balancer holding a pool of connections to the app.
 */
export function postAnswer(
  baseUrl: string,
  token: string,
  choice: number,
  agent: http.Agent | false = false,
): Promise<Sample> {
  const body = JSON.stringify({ choice });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      `${baseUrl}/q/${token}/answer`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, ms: performance.now() - started, error: error.code ?? error.message }),
    );
    req.end(body);
  });
}

/**
 * Runs `task(i)` for i in 0..n-1, the i-th started at i/n of `spreadMs` (a steady arrival rate;
 * 0 = all at once). Resolves with every result and the wall time from first start to last end.
 */
export async function scheduled<T>(
  n: number,
  spreadMs: number,
  task: (i: number) => Promise<T>,
): Promise<{ results: T[]; wallMs: number }> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const wait = started + (spreadMs * i) / n - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      return task(i);
    }),
  );
  return { results, wallMs: performance.now() - started };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function line(label: string, samples: number[], wallMs: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(1).padStart(7);
  return (
    `${label.padEnd(40)} ${samples.length} in ${wallMs.toFixed(0).padStart(5)} ms` +
    ` = ${((samples.length / wallMs) * 1000).toFixed(0).padStart(5)}/s` +
    `  p50 ${ms(percentile(sorted, 50))} ms  p99 ${ms(percentile(sorted, 99))} ms` +
    `  max ${ms(sorted[sorted.length - 1])} ms`
  );
}

/** Issue 17, at saturation: database commands per answer, and app CPU per answer. */
const TARGET_COMMANDS = 1;
const TARGET_CPU_RATIO = 3;

interface Bench {
  url: string;
  appCpuMs(): number;
  dbCpuMs(): number;
  /** Database commands the app has started so far (bench/lib/app-commands.ts). */
  appCommands(): Promise<number>;
  /** The same, by command name. */
  appCommandsByName(): Promise<Record<string, number>>;
  secret: string;
  models: BurstModels & { answers: Model<Answer> };
}

interface BurstFigures {
  pass: boolean;
  /** App CPU per request, ms. */
  appCpu: number;
  /** Database commands the app started per request. */
  commands: number;
}

/**
 * The no-database route of the same run: the same POSTs, schedule and connections, to links
 * that cannot be tokens (answered 404 before any database work).
 */
async function noDatabaseBurst(
  b: Bench,
  n: number,
  spreadMs: number,
  label: string,
  agent: http.Agent | false = false,
): Promise<BurstFigures> {
  // The answer routes' per-IP flood guard (3,000, refilling 300/s) must not turn these into 429s.
  await refillIpBucket();
  const commandsBefore = await b.appCommands();
  const cpuBefore = b.appCpuMs();
  const run = Math.random().toString(36).slice(2, 8);
  const { results, wallMs } = await scheduled(n, spreadMs, (i) =>
    postAnswer(b.url, `x${run}${i}`, i % 4, agent),
  );
  const appCpu = (b.appCpuMs() - cpuBefore) / n;
  const commands = ((await b.appCommands()) - commandsBefore) / n;
  const notFound = results.filter((r) => r.status === 404).length;
  console.log(
    line(
      label,
      results.map((r) => r.ms),
      wallMs,
    ),
  );
  console.log(
    `${''.padEnd(40)} 404 ${notFound}/${n}; app CPU ${appCpu.toFixed(3)} ms and ${commands.toFixed(3)} database commands per request`,
  );
  return { pass: notFound === n, appCpu, commands };
}

/** Lets the per-IP token bucket of the answer routes refill between bursts from one address. */
async function refillIpBucket(): Promise<void> {
  await new Promise((r) => setTimeout(r, 4000));
}

async function httpBurst(
  b: Bench,
  n: number,
  spreadMs: number,
  label: string,
  agent: http.Agent | false = false,
  baseline?: BurstFigures,
): Promise<BurstFigures> {
  const seeded = await seedBurstBroadcast(b.models, b.secret, n);
  await refillIpBucket();
  const commandsBefore = await b.appCommands();
  const byNameBefore = await b.appCommandsByName();
  const cpuBefore = { app: b.appCpuMs(), db: b.dbCpuMs(), client: ownCpuMs() };
  const { results, wallMs } = await scheduled(n, spreadMs, (i) =>
    postAnswer(b.url, seeded.tokens[i], i % 4, agent),
  );
  const cpu = {
    app: (b.appCpuMs() - cpuBefore.app) / n,
    db: (b.dbCpuMs() - cpuBefore.db) / n,
    client: (ownCpuMs() - cpuBefore.client) / n,
  };
  const commands = ((await b.appCommands()) - commandsBefore) / n;
  const byName = Object.entries(await b.appCommandsByName())
    .map(([name, count]) => [name, count - (byNameBefore[name] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  const ok = results.filter((r) => r.status >= 200 && r.status < 300).length;
  const failed = results.filter((r) => r.status >= 500 || r.status === 0).length;
  const filter = { broadcast_id: seeded.broadcastId };
  const stored = await b.models.answers.countDocuments(filter);
  const distinct = (await b.models.answers.distinct('recipient_key', filter)).length;
  const other = new Map<number, number>();
  for (const r of results) {
    if (r.status < 200 || r.status >= 300) other.set(r.status, (other.get(r.status) ?? 0) + 1);
  }
  console.log(
    line(
      label,
      results.map((r) => r.ms),
      wallMs,
    ),
  );
  console.log(
    `${''.padEnd(40)} 2xx ${ok}, 5xx/network ${failed}, stored ${stored} (distinct recipients ${distinct}), lost ${ok - stored}` +
      (other.size > 0 ? `, other statuses ${JSON.stringify(Object.fromEntries(other))}` : ''),
  );
  console.log(
    `${''.padEnd(40)} CPU per answer: app ${cpu.app.toFixed(2)} ms, database ${cpu.db.toFixed(2)} ms, load generator ${cpu.client.toFixed(2)} ms`,
  );
  if (baseline) {
    const ratio = cpu.app / baseline.appCpu;
    console.log(
      `${''.padEnd(40)} ${commands.toFixed(3)} database commands per answer (target <= ${TARGET_COMMANDS}: ` +
        `${commands <= TARGET_COMMANDS ? 'met' : 'NOT met'}); app CPU ${ratio.toFixed(2)} x the no-database ` +
        `route's ${baseline.appCpu.toFixed(3)} ms (target <= ${TARGET_CPU_RATIO}: ${ratio <= TARGET_CPU_RATIO ? 'met' : 'NOT met'})`,
    );
  } else {
    console.log(`${''.padEnd(40)} ${commands.toFixed(3)} database commands per answer`);
  }
  console.log(`${''.padEnd(40)} commands: ${byName}`);
  return {
    pass: ok === n && stored === n && distinct === n && failed === 0,
    appCpu: cpu.app,
    commands,
  };
}

async function modelBaseline(b: Bench, n: number, spreadMs: number, label: string): Promise<void> {
  const broadcastId = new Types.ObjectId();
  const { results, wallMs } = await scheduled(n, spreadMs, async (i) => {
    const started = performance.now();
    await b.models.answers.create({
      broadcast_id: broadcastId,
      meeting_id: '80000000',
      recipient_key: `baseline-${i}`,
      name: `Baseline ${i}`,
      email: null,
      delivery_id: new Types.ObjectId(),
      choice: i % 4,
      correct: i % 4 === 2,
      score: 900,
      answered_at: new Date(),
      latency_ms: 1000,
    });
    return performance.now() - started;
  });
  console.log(line(label, results, wallMs));
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const spreadMs = Number(process.argv[3] ?? 1000);
  const mongo = process.env.MONGO_URI ? null : await startMongoServer(BENCH_DB_OPTIONS);
  const dbUri = withDatabase(
    process.env.MONGO_URI ?? mongo?.uri ?? '',
    `zlq_bench_answers_${randomBytes(3).toString('hex')}`,
  );
  const secret = randomBytes(32).toString('hex');
  // ANSWER_BURST_CPU_PROF=<dir> writes a V8 CPU profile of the app (open it in Chrome DevTools).
  const profile = process.env.ANSWER_BURST_CPU_PROF;
  // The app counts its own database commands (bench/lib/app-commands.ts, preloaded).
  const commandsPort = await freePort();
  const app = await startCompiledApp(
    'answer-burst-app',
    {
      NODE_ENV: 'test',
      MONGO_URI: withCommandMonitoring(dbUri),
      BENCH_COMMANDS_PORT: String(commandsPort),
      API_KEYS: 'bench-instructor-key-0123456789',
      ANSWER_TOKEN_SECRET: secret,
      LOG_LEVEL: 'warn',
    },
    60_000,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      join(ROOT, 'bench', 'lib', 'app-commands.ts'),
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []),
    ],
    // No ZOOM_* set: the development entry starts the Zoom simulator, as before.
    'src/dev/main.js',
  );
  const appCommands = async () => {
    const res = await fetch(`http://127.0.0.1:${commandsPort}/`);
    return (await res.json()) as { total: number; byName: Record<string, number> };
  };
  const connection = await mongoose.createConnection(dbUri).asPromise();
  const dbPid = mongo ? childDatabasePid() : undefined;
  const bench: Bench = {
    url: app.url,
    appCpuMs: () => app.cpuMs(),
    dbCpuMs: () => processCpuMs(dbPid),
    appCommands: async () => (await appCommands()).total,
    appCommandsByName: async () => (await appCommands()).byName,
    secret,
    models: {
      broadcasts: connection.model(Broadcast.name, BroadcastSchema),
      deliveries: connection.model(Delivery.name, DeliverySchema),
      answers: connection.model(Answer.name, AnswerSchema),
    },
  };
  let pass = true;
  try {
    await bench.models.answers.init();
    await bench.appCommands(); // counting starts here, after boot and index builds
    console.log(`load average at start: ${loadAverage()}; ${benchDbJit()}`);
    // Warm-up (JIT, connection pool): its own broadcast, not reported.
    await httpBurst(bench, 300, 300, 'warm-up (not counted)');
    await noDatabaseBurst(bench, 300, 300, 'warm-up, no database (not counted)');
    console.log(`\nAnswer burst: ${n} answers, one broadcast; the app in its own process\n`);
    const spread = `arrivals over ${spreadMs} ms`;
    const spreadBase = await noDatabaseBurst(bench, n, spreadMs, `no-database route, ${spread}`);
    const spreadRun = await httpBurst(bench, n, spreadMs, `HTTP, ${spread}`, false, spreadBase);
    pass = spreadRun.pass && spreadBase.pass && pass;
    const pool = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const pooledLabel = `64 pooled connections, ${spreadMs} ms`;
    const poolBase = await noDatabaseBurst(bench, n, spreadMs, `no-database, ${pooledLabel}`, pool);
    const poolRun = await httpBurst(bench, n, spreadMs, `HTTP via ${pooledLabel}`, pool, poolBase);
    pass = poolRun.pass && poolBase.pass && pass;
    pool.destroy();
    await modelBaseline(bench, n, spreadMs, `baseline Model.create, over ${spreadMs} ms`);
    // Saturation: every answer at once.
    const onceBase = await noDatabaseBurst(bench, n, 0, 'no-database route, all at once');
    const onceRun = await httpBurst(bench, n, 0, 'HTTP, all at once', false, onceBase);
    pass = onceRun.pass && onceBase.pass && pass;
    await modelBaseline(bench, n, 0, 'baseline Model.create, all at once');
    console.log(`\nload average at end: ${loadAverage()}`);
  } finally {
    await connection.close();
    await app.stop();
    await mongo?.stop();
  }
  console.log(pass ? '\nOK: every answer stored exactly once, no 5xx' : '\nFAILED: see above');
  if (!pass) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
