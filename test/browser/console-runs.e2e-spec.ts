/**
 * A run's control page in the console (docs/architecture.md §15) in Chromium: started from the
 * live room's form, axe-core finds nothing at laptop and phone sizes, no sideways scrolling on the
 * phone, and the page follows the run by itself (a move made elsewhere, and the end, show up and
 * are announced). Screenshots are kept in test-results/ (console-run-laptop.png, -phone.png, -room-phone.png).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import {
  axeViolations,
  collectPageProblems,
  launchBrowser,
  TEST_RESULTS_DIR,
  withScreenshotOnFailure,
} from '../utils/browser';
import { auth, createSet, waitForMessages } from '../utils/runs';
import { TEST_API_KEY } from '../utils/test-app';
import { seedMeeting, startZoomWorld, type ZoomWorld } from '../utils/zoom-world';

jest.setTimeout(120_000);

const SIZES = {
  laptop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

describe('A run in the console, in a browser (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [world, browser] = await Promise.all([
      startZoomWorld({ app: { name: 'console_runs_browser' } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await world?.close();
  });

  async function shot(name: string): Promise<void> {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_RESULTS_DIR, `${name}.png`), fullPage: true });
  }

  it('starts from the live room, passes axe at laptop and phone sizes, follows the run by itself', async () => {
    const url = world.app.url;
    const { meetingId } = await seedMeeting(world.sim, { members: 4, guests: 1 });
    await createSet(url, 5);

    // bypassCSP: axe is injected into the page (the app's CSP allows same-origin scripts only).
    context = await browser.newContext({ bypassCSP: true, viewport: SIZES.laptop });
    page = await context.newPage();
    const problems = collectPageProblems(page);
    await withScreenshotOnFailure(page, 'console-run', async () => {
      await page.goto(`${url}/console`);
      await page.fill('#api_key', TEST_API_KEY);
      await Promise.all([page.waitForURL(/questions/), page.press('#api_key', 'Enter')]);
      await page.goto(`${url}/console/meetings/${meetingId}`);
      await page.getByLabel('Question set').selectOption({ label: 'Week 3 quiz' });
      await Promise.all([
        page.waitForURL(/\/console\/runs\/[0-9a-f]{24}/),
        page.getByRole('button', { name: 'Start run' }).click(),
      ]);
      const runId = /\/console\/runs\/([0-9a-f]{24})/.exec(page.url())![1];
      await waitForMessages(url, runId);
      await page.goto(`${url}/console/runs/${runId}`);
      await page.getByRole('button', { name: 'Next question' }).click();
      await page.waitForURL(/done=next&n=2/);
      await page.waitForSelector('h2:has-text("Question 2 of 5")');

      const found: Record<string, string[]> = {};
      for (const [size, viewport] of Object.entries(SIZES)) {
        await page.setViewportSize(viewport);
        await page.goto(`${url}/console/runs/${runId}`);
        found[size] = await axeViolations(page, 'moderate');
        await shot(`console-run-${size}`);
      }
      // The live room with its run form and its runs.
      await page.goto(`${url}/console/meetings/${meetingId}`);
      found['live room, phone'] = await axeViolations(page, 'moderate');
      await shot('console-run-room-phone');
      expect(found).toEqual({ laptop: [], phone: [], 'live room, phone': [] });
      await page.goto(`${url}/console/runs/${runId}`);
      const widths = await page.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);

      // A move made elsewhere (the API, another window): the page shows it by itself.
      await request(url)
        .post(`/api/runs/${runId}/next`)
        .set(auth)
        .send({ current_index: 1 })
        .expect(200);
      await page.waitForSelector('h2:has-text("Question 3 of 5")', { timeout: 20_000 });
      await page.waitForFunction(
        `document.getElementById('live-status').textContent.includes('Question 3 of 5')`,
      );
      expect(await page.inputValue('input[name="current_index"]')).toBe('2');
      // Ended elsewhere: the page says so (and its fresh copy has nothing left to re-read).
      await request(url).post(`/api/runs/${runId}/end`).set(auth).expect(200);
      await page.waitForSelector('text=ended by the instructor', { timeout: 20_000 });
      expect(await page.locator('button', { hasText: 'Next question' }).count()).toBe(0);
      await page.waitForFunction(
        `document.getElementById('live-status').textContent.includes('The run has ended')`,
      );
      expect(problems).toEqual([]);
    });
  });
});
