/**
 * Runs every benchmark one after another (`npm run bench`), each in its own child process so
 * one bench's servers, pools and JIT state never carry into the next, and prints their output
 * under a header, after the machine's figures (results from a 2-core container shared with
 * other work are only comparable with that context). Each bench also runs alone:
 * `npm run bench:startup`, `bench:fan-out`, `bench:fan-out-instances`, `bench:answers`, `bench:webhooks`,
 * `bench:presenter`, `bench:runs`.
 *
 *   npx ts-node --transpile-only bench/run-all.ts
 *
 * Exits non-zero if any bench did, after running all of them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadAverage, ROOT } from './lib/processes';

interface BenchEntry {
  name: string;
  file: string;
  args: string[];
}

const BENCHES: BenchEntry[] = [
  { name: 'startup', file: 'startup.ts', args: [] },
  { name: 'fan-out', file: 'fan-out.ts', args: [] },
  { name: 'fan-out-instances', file: 'fan-out-instances.ts', args: [] },
  { name: 'answer-burst', file: 'answer-burst.ts', args: [] },
  { name: 'webhook-ingest', file: 'webhook-ingest.ts', args: [] },
  { name: 'presenter', file: 'presenter.ts', args: [] },
  { name: 'run-vs-sends', file: 'run-vs-sends.ts', args: [] },
];

function command(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'n/a';
  }
}

function machineInfo(): string[] {
  const meminfo = existsSync('/proc/meminfo') ? readFileSync('/proc/meminfo', 'utf8') : '';
  const available = /^MemAvailable:\s+(\d+) kB$/m.exec(meminfo);
  return [
    `date (UTC):   ${command('date', ['-u'])}`,
    `nproc:        ${command('nproc', [])} (${cpus()[0]?.model ?? 'unknown CPU'})`,
    `memory:       ${(totalmem() / 2 ** 30).toFixed(1)} GiB total` +
      (available ? `, ${(Number(available[1]) / 2 ** 20).toFixed(1)} GiB available` : ''),
    `node:         ${process.version}`,
    `load average: ${loadAverage()}`,
  ];
}

function header(title: string): void {
  const line = '='.repeat(100);
  console.log(`\n${line}\n${title}\n${line}`);
}

/** Runs one bench to completion, its output passed straight through; resolves with its exit code. */
function runBench(entry: BenchEntry): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench', entry.file), ...entry.args],
      { cwd: ROOT, stdio: 'inherit' },
    );
    child.once('error', () => resolve(1));
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  header('Benchmarks: machine');
  for (const line of machineInfo()) console.log(line);
  // The startup bench measures the compiled app in dist/; build it only when missing, since
  // `nest build` empties dist/ first and someone else on this machine may be running from it.
  if (!existsSync(join(ROOT, 'dist', 'src', 'dev', 'main.js'))) {
    console.log('\ndist/ has no build: running nest build for the startup bench');
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  }
  const outcomes: string[] = [];
  for (const entry of BENCHES) {
    header(
      `${entry.name} (bench/${entry.file}) — started ${new Date().toISOString()}, load ${loadAverage()}`,
    );
    const started = Date.now();
    const code = await runBench(entry);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    outcomes.push(`${entry.name.padEnd(16)} exit ${code} after ${seconds} s`);
    if (code !== 0) process.exitCode = 1;
  }
  header('Summary');
  for (const line of outcomes) console.log(line);
  console.log(`load average at end: ${loadAverage()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
