/**
 * Shared bench helpers: the compiled app in its own process, and CPU/load figures from /proc.
 *
 * startCompiledApp follows bench/answer-burst.ts (which keeps a private copy): compile with tsc
 * into a cache directory, run `node <dir>/src/main.js`, wait for /health. Compiled JavaScript,
 * not ts-node, because ts-node's source-map support makes every captured stack trace far more
 * expensive than in production, and a separate process so the load generator does not share
 * the app's event loop. The build directory is per bench, so two benches run at once (other
 * engineers share this machine) never overwrite each other's output mid-start.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/fixtures/app-process';

export const ROOT = join(__dirname, '..', '..');

export interface AppProcess {
  url: string;
  pid: number | undefined;
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * Compiles the app into node_modules/.cache/<name> (under the repository so the config finds
 * package.json by walking up, out of git and of dist/) and starts it with `env` on a free port.
 * The app's stderr is passed through, so warnings and crashes show in the bench output.
 */
export async function startCompiledApp(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  /** Extra node flags, e.g. `--cpu-prof` to profile the app. */
  nodeArgs: string[] = [],
  /** `src/dev/main.js` to let the development entry start the Zoom simulator (no ZOOM_* set). */
  entry = 'src/main.js',
): Promise<AppProcess> {
  return startBuiltApp(compileApp(name), env, timeoutMs, nodeArgs, entry);
}

/** Compiles the app into node_modules/.cache/<name> and answers that directory. */
export function compileApp(name: string): string {
  const buildDir = join(ROOT, 'node_modules', '.cache', name);
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      buildDir,
      '--incremental',
      'false',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return buildDir;
}

/** Starts one more process of an app compileApp built (several instances share one build). */
export async function startBuiltApp(
  buildDir: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
  entry = 'src/main.js',
): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, join(buildDir, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`app not healthy after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid, cpuMs: () => processCpuMs(child.pid), stop };
}

/** The test database server this process started (startMongoServer passes our pid as --parent-pid). */
export function childDatabasePid(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = args.indexOf('--parent-pid');
      if (i >= 0 && args[i + 1] === String(process.pid)) return Number(entry);
    }
  } catch {
    // not Linux, or a process vanished while listing: no figure
  }
  return undefined;
}

/** User + system CPU time of a process so far (Linux /proc), or NaN elsewhere. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** This process's CPU time so far (the load generator's share). */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** `/proc/loadavg`'s 1, 5 and 15 minute figures: other work on this shared machine skews results. */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

/**
 * How the benches start the MongoDB-wire test server: with the JVM's full JIT (a bench runs long
 * enough for C2 to pay off), unless BENCH_DB_FAST_START=1 asks for the fast start that
 * development and the tests use (tools/mongo-server/launch.ts), e.g. to compare with older runs.
 */
export const BENCH_DB_OPTIONS = { fullJit: process.env.BENCH_DB_FAST_START !== '1' };

/** One line for a bench's output: which JIT the test server ran with. */
export function benchDbJit(): string {
  return BENCH_DB_OPTIONS.fullJit
    ? 'test database server: full JIT (BENCH_DB_FAST_START=1 for the fast start)'
    : 'test database server: fast start (C1 only)';
}
