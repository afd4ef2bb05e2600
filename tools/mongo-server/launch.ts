/**
 * Starts the development/test MongoDB wire-protocol server (MongoServer.java, see README.md) from
 * Node: Jest's global setup uses it, and so can dev scripts. There is no real mongod to install,
 * so this is how anything in the repo gets a database without MONGO_URI.
 *
 * CLI for development (data kept in a file between restarts):
 *   npx ts-node tools/mongo-server/launch.ts --port 27017 --data-file .data/dev.mv
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface StartMongoServerOptions {
  /** TCP port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** H2 file for data that survives restarts; omitted = in-memory (tests). */
  dataFile?: string;
  /** Receives every stdout/stderr line of the Java process (it is quiet unless something is wrong). */
  log?: (line: string) => void;
  /** How long to wait for the LISTENING line. The source launcher compiles on every start. */
  startTimeoutMs?: number;
  /**
   * The JVM's full tiered JIT (C2) instead of the fast-start C1-only flag: slower to start and
   * to warm up, faster once warm. For benchmarks (bench/, see BENCHMARKS.md); development and
   * tests keep the fast start.
   */
  fullJit?: boolean;
}

export interface MongoServerHandle {
  /** mongodb://127.0.0.1:<port> — no database name; callers add their own. */
  uri: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s). Safe to call more than once. */
  stop(): Promise<void>;
}

const LAUNCHER = join('tools', 'mongo-server', 'MongoServer.java');
const POM = join('tools', 'mongo-server', 'pom.xml');
const LIB_DIR = join('tools', 'mongo-server', 'target', 'lib');
/** Written after a successful fetch; holds the pom's hash so a pom edit triggers a re-fetch. */
const STAMP = join('tools', 'mongo-server', 'target', 'lib.stamp');
/** Jars the launcher cannot start without (name prefixes), to detect a half-copied lib dir. */
const REQUIRED_JARS = [
  'mongo-java-server-core-',
  'mongo-java-server-memory-backend-',
  'mongo-java-server-h2-backend-',
  'h2-',
  'netty-transport-',
  'slf4j-api-',
];
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
/** Keep only the tail of stderr for error messages; a Java stack trace fits easily. */
const STDERR_KEEP_CHARS = 16_000;

let cachedRoot: string | undefined;

/**
 * The repository root: the nearest ancestor of this file holding both package.json and the Java
 * launcher. Checking for the launcher too (not just package.json) keeps this right when the file
 * runs compiled from dist/tools/mongo-server/, or if dist/ ever gets a package.json of its own.
 */
export function repoRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, LAUNCHER))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`mongo-server: no package.json with ${LAUNCHER} above ${__dirname}`);
    }
    dir = parent;
  }
}

function pomHash(root: string): string {
  return createHash('sha256')
    .update(readFileSync(join(root, POM)))
    .digest('hex');
}

function jarsComplete(root: string): boolean {
  const lib = join(root, LIB_DIR);
  const stamp = join(root, STAMP);
  if (!existsSync(lib) || !existsSync(stamp)) return false;
  if (readFileSync(stamp, 'utf8').trim() !== pomHash(root)) return false;
  const jars = readdirSync(lib);
  return REQUIRED_JARS.every((prefix) =>
    jars.some((jar) => jar.startsWith(prefix) && jar.endsWith('.jar')),
  );
}

/**
 * Makes sure tools/mongo-server/target/lib holds the server's jars, running Maven once when they
 * are missing, incomplete or fetched for a different pom.xml. Maven's output goes to stderr so it
 * never mixes with anything a caller parses from stdout. Synchronous on purpose: it runs once,
 * before anything else can use the jars.
 */
export function ensureMongoServerJars(): void {
  const root = repoRoot();
  if (jarsComplete(root)) return;
  process.stderr.write(
    `mongo-server: fetching mongo-java-server jars into ${LIB_DIR} with Maven (first run only)...\n`,
  );
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      '-f',
      POM,
      'dependency:copy-dependencies',
      // Resolved against the pom's directory, i.e. tools/mongo-server/target/lib.
      '-DoutputDirectory=target/lib',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  // Debian's Maven 3.8 prints bare ANSI resets even with -q and no TTY; drop them. -q leaves only
  // errors, so buffering the output until mvn exits loses nothing useful.
  // eslint-disable-next-line no-control-regex
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
  if (output.trim()) process.stderr.write(`${output.trim()}\n`);
  if (result.error) {
    throw new Error(
      `mongo-server: could not run mvn (is Maven installed?): ${result.error.message}`,
    );
  }
  if (result.status !== 0) {
    throw new Error(
      `mongo-server: mvn dependency:copy-dependencies failed with exit code ${String(result.status)}`,
    );
  }
  writeFileSync(join(root, STAMP), `${pomHash(root)}\n`);
  if (!jarsComplete(root)) {
    throw new Error(
      `mongo-server: Maven finished but ${LIB_DIR} is still missing jars (${REQUIRED_JARS.join(', ')})`,
    );
  }
  process.stderr.write('mongo-server: jars ready.\n');
}

/**
 * Spawns the Java server and resolves once it accepts connections.
 *
 * The child cannot outlive this process: it watches its stdin pipe (closed by the OS whenever we
 * die, even on SIGKILL) and our pid, and we also SIGTERM it from a process 'exit' handler.
 */
export function startMongoServer(opts: StartMongoServerOptions = {}): Promise<MongoServerHandle> {
  ensureMongoServerJars();
  const root = repoRoot();
  const args = [
    // Faster JVM start for a short-lived dev/test server; throughput is plenty with C1 only.
    '-XX:+UseSerialGC',
    ...(opts.fullJit ? [] : ['-XX:TieredStopAtLevel=1']),
    '-cp',
    join(root, LIB_DIR, '*'),
    join(root, LAUNCHER),
    '--port',
    String(opts.port ?? 0),
    '--parent-pid',
    String(process.pid),
  ];
  if (opts.dataFile) args.push('--data-file', resolve(opts.dataFile));

  const child = spawn('java', args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const log = opts.log;
  let stderrTail = '';

  // Last-resort cleanup if the parent exits without calling stop(). Only synchronous work is
  // possible in an 'exit' handler, so just signal; the stdin EOF would stop it anyway.
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);

  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolveExit();
    });
  });

  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail = (stderrTail + line + '\n').slice(-STDERR_KEEP_CHARS);
    log?.(line);
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  return new Promise<MongoServerHandle>((resolveStart, rejectStart) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop();
      const details = stderrTail.trim() ? `\n--- server stderr ---\n${stderrTail.trim()}` : '';
      rejectStart(new Error(`mongo-server: ${message}${details}`));
    };

    const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const timer = setTimeout(() => fail(`no LISTENING line within ${timeoutMs} ms`), timeoutMs);

    child.once('error', (err) =>
      fail(`could not start java (is a JDK 17+ on PATH?): ${err.message}`),
    );
    // 'close' (not 'exit') fires after stdout/stderr are drained, so the stack trace is in stderrTail.
    child.once('close', (code, signal) => {
      fail(`server exited before it was ready (code ${String(code)}, signal ${String(signal)})`);
    });

    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^LISTENING (\d+)$/.exec(line);
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        const port = Number(match[1]);
        resolveStart({ uri: `mongodb://127.0.0.1:${port}`, port, stop });
        return;
      }
      log?.(line);
    });
  });
}

/** CLI: start a server and keep it running until Ctrl-C / SIGTERM. */
function parseCliArgs(argv: string[]): StartMongoServerOptions {
  const opts: StartMongoServerOptions = { log: (line) => process.stderr.write(`${line}\n`) };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--port' && value !== undefined) {
      opts.port = Number(value);
      i++;
    } else if (argv[i] === '--data-file' && value !== undefined) {
      opts.dataFile = value;
      i++;
    } else {
      throw new Error('usage: launch.ts [--port N] [--data-file path/to/db.mv]');
    }
  }
  return opts;
}

if (require.main === module) {
  startMongoServer(parseCliArgs(process.argv.slice(2))).then(
    (server) => {
      process.stdout.write(`${server.uri}\n`);
      const shutdown = (): void => {
        void server.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
