/**
 * Headless Debian Chromium driven by playwright-core, for browser tests (Swagger UI, the answer
 * page). No browser download: playwright-core uses the system browser (`apt-get install
 * chromium`; .ci/run installs it). CHROMIUM_PATH overrides the path.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where failure screenshots go (git-ignored). */
export const TEST_RESULTS_DIR = join(__dirname, '..', '..', 'test-results');

/** Flags for a quiet, offline, container-friendly headless run (no sandbox: CI runs as root). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** `extraArgs`: more Chromium flags, e.g. `--host-resolver-rules=MAP quiz.test 127.0.0.1`. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * Collects what a person would see in the DevTools console as a problem: console errors
 * (Content-Security-Policy violations are reported there), uncaught page errors and failed
 * requests. Read the array at the end of a test and expect it empty.
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(
      `request failed: ${request.resourceType()} ${request.url()} (${request.failure()?.errorText ?? '?'})`,
    ),
  );
  return problems;
}

/**
 * Runs `body`; if it throws, saves a full-page screenshot as test-results/<name>.png (and says
 * where) before rethrowing, so a CI failure can be looked at.
 */
export async function withScreenshotOnFailure<T>(
  page: Page,
  name: string,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    const file = join(TEST_RESULTS_DIR, `${name.replace(/[^A-Za-z0-9_-]+/g, '_')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    if (error instanceof Error) error.message = `${error.message}\n(screenshot: ${file})`;
    throw error;
  }
}

/** axe-core's browser bundle (a devDependency). */
const AXE_BUNDLE = require.resolve('axe-core/axe.min.js');

/**
 * axe-core's violations on the page as it is now, as "impact rule: target" lines, at or above
 * `minImpact`. The app's CSP allows same-origin scripts only: the page's context must be created
 * with `bypassCSP: true` for axe to be injected.
 */
export async function axeViolations(
  page: Page,
  minImpact: 'minor' | 'moderate' | 'serious' | 'critical' = 'minor',
): Promise<string[]> {
  await page.addScriptTag({ path: AXE_BUNDLE });
  const levels = ['minor', 'moderate', 'serious', 'critical'];
  const wanted = JSON.stringify(levels.slice(levels.indexOf(minImpact)));
  return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations
      .filter((v) => ${wanted}.includes(v.impact))
      .flatMap((v) => v.nodes.map((n) => v.impact + ' ' + v.id + ': ' + n.target.join(' '))))`);
}
