/**
 * Startup benchmark of the compiled app (`npm run build` first, then `npm run bench:startup`):
 * time from spawning `node dist/src/dev/main.js` (the development entry, which starts what is not
 * configured) to the first 200 from /health, and resident memory
 * (RSS) once it has idled for 5 s, in two setups:
 *
 * - external database: a MongoDB-wire server started here first and passed as MONGO_URI, so its
 *   start is not counted (what a deployment with a running MongoDB sees; the Zoom simulator still
 *   starts in-process, as it does in development without ZOOM_* credentials);
 * - everything local: no MONGO_URI, so the app starts the development database itself (the Java
 *   MongoDB-wire server, data in .data/) as `npm run dev` does.
 *
 * Each setup runs BENCH_RUNS times (default 3); min and median are printed. Only loopback traffic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'src', 'dev', 'main.js');
const MONGO_LAUNCHER = join(ROOT, 'dist', 'tools', 'mongo-server', 'launch.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDLE_MS = 5_000;
const START_TIMEOUT_MS = 120_000;
const POLL_MS = 20;

interface Sample {
  healthyMs: number;
  appRssMiB: number;
  /** RSS of child processes (the Java database server in the local setup). */
  childrenRssMiB: number;
  shutdownMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** VmRSS of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** All descendants of a process (children, grandchildren, ...), from /proc. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS);
  }
  throw new Error(`app not healthy within ${START_TIMEOUT_MS} ms:\n${log()}`);
}

async function measure(env: NodeJS.ProcessEnv): Promise<Sample> {
  const port = await freePort();
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...env,
      NODE_ENV: 'development',
      PORT: String(port),
      API_KEYS: 'bench-instructor-key-0123456789',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitHealthy(`http://127.0.0.1:${port}/health`, child, () => output);
    const healthyMs = performance.now() - started;
    await sleep(IDLE_MS);
    const pid = child.pid ?? 0;
    const appRssMiB = rssMiB(pid);
    const childrenRssMiB = descendants(pid).reduce((sum, p) => sum + rssMiB(p), 0);
    const stopping = performance.now();
    child.kill('SIGTERM');
    await Promise.race([exited(child), sleep(30_000)]);
    return { healthyMs, appRssMiB, childrenRssMiB, shutdownMs: performance.now() - stopping };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

async function startMongo(): Promise<{ uri: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [MONGO_LAUNCHER], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(mongodb:\/\/\S+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`mongo launcher exited with ${code}`)));
  });
  return {
    uri,
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited(child), sleep(15_000)]);
    },
  };
}

function summarise(name: string, samples: Sample[]): void {
  const stat = (pick: (s: Sample) => number) => {
    const sorted = samples.map(pick).sort((a, b) => a - b);
    return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
  };
  const row = (label: string, pick: (s: Sample) => number, unit: string, digits = 0) => {
    const { min, median } = stat(pick);
    console.log(
      `  ${label.padEnd(34)} min ${min.toFixed(digits).padStart(6)} ${unit}   median ${median
        .toFixed(digits)
        .padStart(6)} ${unit}`,
    );
  };
  console.log(`\n${name} (${samples.length} runs)`);
  row('spawn -> /health 200', (s) => s.healthyMs, 'ms');
  row('RSS of the app after 5 s idle', (s) => s.appRssMiB, 'MiB', 1);
  if (samples.some((s) => s.childrenRssMiB > 0)) {
    row('RSS of its child processes', (s) => s.childrenRssMiB, 'MiB', 1);
  }
  row('SIGTERM -> exit', (s) => s.shutdownMs, 'ms');
}

async function main(): Promise<void> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} not found: run npm run build first`);
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['MONGO_URI', 'ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET']) {
    delete base[name];
  }
  console.log(
    `Startup benchmark: node ${process.version}, ${RUNS} runs per setup, ${IDLE_MS / 1000} s idle before RSS`,
  );

  const mongo = await startMongo();
  const external: Sample[] = [];
  try {
    for (let i = 0; i < RUNS; i++)
      external.push(await measure({ ...base, MONGO_URI: `${mongo.uri}/bench` }));
  } finally {
    await mongo.stop();
  }
  summarise('External database (MONGO_URI given; Zoom simulator in-process)', external);

  const local: Sample[] = [];
  for (let i = 0; i < RUNS; i++) local.push(await measure(base));
  summarise('Everything local (app starts the MongoDB-wire server and the Zoom simulator)', local);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
