/**
 * Swagger UI in a real browser, as an instructor would use it: open /docs, authorise with an API
 * key through the Authorize dialog, then "Try it out" -> Execute on "create question" and "list
 * questions". Also proves helmet's Content-Security-Policy leaves Swagger UI working (no console
 * errors, no blocked requests). A failing step leaves a screenshot in test-results/.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { collectPageProblems, launchBrowser, withScreenshotOnFailure } from '../utils/browser';
import { createTestApp, TEST_API_KEY, TestApp } from '../utils/test-app';

jest.setTimeout(180_000);

const STEP_TIMEOUT_MS = 15_000;

describe('Swagger UI in Chromium (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ name: 'swagger_ui' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    problems = collectPageProblems(page);
  });
  afterEach(async () => page.close());

  /** Expands an operation, presses "Try it out", optionally fills the JSON body, and executes. */
  async function execute(operationId: string, body?: object): Promise<Locator> {
    const op = page.locator(`#operations-questions-${operationId}`);
    await op.locator('.opblock-summary').first().click();
    await op.locator('button.try-out__btn').click();
    if (body !== undefined)
      await op.locator('textarea.body-param__text').fill(JSON.stringify(body));
    await op.locator('button.execute').click();
    // The row of the response actually received (the table's first row is its header).
    const live = op.locator('.live-responses-table tbody tr.response');
    await live.waitFor();
    return live;
  }

  it('authorises with an API key, creates and lists questions through "Try it out"', async () => {
    await withScreenshotOnFailure(page, 'swagger-ui-create-and-list', async () => {
      const docs = await page.goto(`${t.url}/docs`);
      expect(docs?.status()).toBe(200);
      expect(docs?.headers()['content-security-policy']).toContain("script-src 'self'");
      await expect(page.locator('.swagger-ui .info .title').textContent()).resolves.toContain(
        'Zoom Live Questions',
      );

      // Authorize dialog: the X-API-Key scheme.
      await page.locator('.auth-wrapper button.authorize').click();
      const apiKeyForm = page.locator('.auth-container', {
        has: page.locator('h4 code', { hasText: /^api-key$/ }),
      });
      await apiKeyForm.locator('#api_key_value').fill(TEST_API_KEY);
      await apiKeyForm.locator('button.authorize').click();
      // Once the key is applied the form says so and offers Logout instead.
      await apiKeyForm.locator('button', { hasText: 'Logout' }).waitFor();
      await expect(apiKeyForm.textContent()).resolves.toContain('Authorized');
      await apiKeyForm.locator('button', { hasText: 'Close' }).click();
      await page.locator('.modal-ux').waitFor({ state: 'detached' });
      // The key lives in the page's memory only: this origin also serves the public answer
      // pages, and anything in localStorage would outlive the tab for any script here to read.
      const stored = await page.evaluate<Record<string, string>>(
        'Object.fromEntries(Object.entries(localStorage))',
      );
      expect(JSON.stringify(stored)).not.toContain(TEST_API_KEY);
      expect(Object.keys(stored).filter((k) => /auth|key|token/i.test(k))).toEqual([]);

      const title = `From the browser ${Date.now()}`;
      const created = await execute('QuestionsController_create', {
        title,
        question_text: 'Which planet is known as the red planet?',
        options: ['Venus', 'Mars', 'Jupiter'],
        correct_answer: 1,
      });
      await expect(created.locator('.response-col_status').textContent()).resolves.toMatch(
        /^\s*201/,
      );
      await expect(created.locator('.response-col_description').textContent()).resolves.toContain(
        title,
      );

      const listed = await execute('QuestionsController_list');
      await expect(listed.locator('.response-col_status').textContent()).resolves.toMatch(
        /^\s*200/,
      );
      await expect(listed.locator('.response-col_description').textContent()).resolves.toContain(
        title,
      );
    });

    // The UI really wrote to the database, with the key it was given.
    const res = await request(t.url)
      .get('/api/questions')
      .set('X-API-Key', TEST_API_KEY)
      .expect(200);
    expect(res.body.items.map((q: { title: string }) => q.title)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^From the browser /)]),
    );
    expect(problems).toEqual([]);
  });

  it('without authorising, Execute shows the 401 the API answers', async () => {
    await withScreenshotOnFailure(page, 'swagger-ui-unauthorised', async () => {
      await page.goto(`${t.url}/docs`);
      const listed = await execute('QuestionsController_list');
      await expect(listed.locator('.response-col_status').textContent()).resolves.toMatch(
        /^\s*401/,
      );
    });
    // A 401 answer is logged by Chromium as a failed resource load; nothing else may be.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });
});
