/**
 * The closing line of CI (.ci/run): `N passed, M failed[, K skipped]` over every test that ran,
 * read from the runners' own machine-readable reports, never from their console output:
 *
 *   node -r ts-node/register/transpile-only scripts/ci-summary.ts \
 *     --jest test-results/jest-node20.json --jest test-results/jest-node24.json \
 *     --junit test-results/schemathesis
 *
 * A Jest report counts its tests (a test file that could not run counts as one failure, since
 * its tests were never counted); a JUnit report (Schemathesis writes one, a `testcase` per API
 * operation or stateful run) counts its test cases. A report that is missing, because its runner
 * crashed before writing it, counts as one failure. Exits 1 when anything failed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

const none = (): Counts => ({ passed: 0, failed: 0, skipped: 0 });

function add(into: Counts, more: Counts): Counts {
  into.passed += more.passed;
  into.failed += more.failed;
  into.skipped += more.skipped;
  return into;
}

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numRuntimeErrorTestSuites: number;
}

/** Counts of one `jest --json --outputFile` report. */
export function countJest(json: string): Counts {
  const report = JSON.parse(json) as JestReport;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

/** Counts of one JUnit XML document: each `testcase` passed, failed (failure/error) or skipped. */
export function countJunit(xml: string): Counts {
  const counts = none();
  const cases = xml.match(/<testcase\b[^>]*?(?:\/>|>[\s\S]*?<\/testcase>)/g) ?? [];
  for (const testcase of cases) {
    if (/<(failure|error)\b/.test(testcase)) counts.failed++;
    else if (/<skipped\b/.test(testcase)) counts.skipped++;
    else counts.passed++;
  }
  return counts;
}

export function formatCounts(counts: Counts): string {
  const line = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.skipped > 0 ? `${line}, ${counts.skipped} skipped` : line;
}

function junitFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.xml'))
    .map((name) => join(path, name));
}

function main(argv: string[]): number {
  const total = none();
  const notes: string[] = [];
  for (let i = 0; i < argv.length; i += 2) {
    const [kind, path] = [argv[i], argv[i + 1]];
    if ((kind !== '--jest' && kind !== '--junit') || path === undefined) {
      process.stderr.write('usage: ci-summary.ts (--jest report.json | --junit file-or-dir)...\n');
      return 2;
    }
    const files = kind === '--jest' ? (existsSync(path) ? [path] : []) : junitFiles(path);
    if (files.length === 0) {
      notes.push(`no report at ${path}: counted as one failure`);
      total.failed++;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      add(total, kind === '--jest' ? countJest(text) : countJunit(text));
    }
  }
  for (const note of notes) process.stderr.write(`ci-summary: ${note}\n`);
  process.stdout.write(`${formatCounts(total)}\n`);
  return total.failed > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
