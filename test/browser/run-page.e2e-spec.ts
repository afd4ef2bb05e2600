/**
 * The run page (issue 16) in headless Chromium at phone size (390×844), as a participant goes
 * through an instructor-paced run: the link from their one Zoom message, the first question,
 * answering by tapping, the waiting screen, and the page moving on by itself (no reload by the
 * person) when the instructor advances through the API; then the last question by keyboard and
 * the final screen. axe-core finds nothing on any screen; screenshots of each screen are kept
 * in test-results/ to look at. No console errors allowed (a CSP violation would show there).
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
import { SettableClock } from '../utils/settable-clock';
import { TEST_API_KEY } from '../utils/test-app';
import { waitUntil } from '../utils/wait';
import { seedMeeting, startZoomWorld, ZoomWorld } from '../utils/zoom-world';

jest.setTimeout(180_000);

const auth = { 'X-API-Key': TEST_API_KEY };
const STEP_TIMEOUT_MS = 15_000;

describe('The run page in Chromium at phone size (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const clock = new SettableClock();

  beforeAll(async () => {
    [world, browser] = await Promise.all([
      startZoomWorld({ app: { customize: (builder) => clock.install(builder) } }),
      launchBrowser(),
    ]);
  });
  afterEach(async () => context?.close());
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  async function shot(name: string): Promise<void> {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_RESULTS_DIR, `${name}.png`), fullPage: true });
  }

  async function axeClean(): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
  }

  /** A 2-question instructor-paced run started in a new meeting; one person's run link. */
  async function startRun(): Promise<{ runId: string; link: string }> {
    const { app, sim } = world;
    const { meetingId, people } = await seedMeeting(sim, { members: 2 });
    const questionIds: string[] = [];
    for (const body of [
      {
        title: 'Capitals',
        question_text: 'Which city is the capital of France?',
        options: ['Berlin', 'Paris', 'Rome', 'Madrid'],
        correct_answer: 1,
      },
      {
        title: 'Arithmetic',
        question_text: 'How much is 6 × 7?',
        type: 'numeric',
        correct_value: 42,
      },
    ]) {
      const res = await request(app.url)
        .post('/api/questions')
        .set(auth)
        .send({ time_limit: 90, ...body })
        .expect(201);
      questionIds.push(res.body.id as string);
    }
    const set = await request(app.url)
      .post('/api/question-sets')
      .set(auth)
      .send({ title: 'Friday quiz', question_ids: questionIds, pacing: 'instructor' })
      .expect(201);
    // Only this run's message: the same simulator users take part in every test's meeting.
    const before = sim.messages().length;
    const run = await request(app.url)
      .post(`/api/question-sets/${set.body.id}/runs`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(201);
    const runId = run.body.id as string;
    let link = '';
    await waitUntil(
      () => {
        const text =
          sim
            .messages()
            .slice(before)
            .find((m) => m.to_contact === people[0].email)?.message ?? '';
        link = /(https?:\/\/\S+\/r\/[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
        return link !== '';
      },
      30_000,
      'the run message with its link',
    );

    return { runId, link };
  }

  async function openPhone(init?: string): Promise<void> {
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      // axe-core is injected into the page: the app's CSP would refuse it otherwise.
      bypassCSP: true,
    });
    if (init) await context.addInitScript(init);
    page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    problems = collectPageProblems(page);
  }

  it('walks one participant through a run: answer, wait, moved on by the instructor, final screen', async () => {
    const { app } = world;
    const { runId, link } = await startRun();
    await openPhone();

    await withScreenshotOnFailure(page, 'run-page-walk', async () => {
      const response = await page.goto(link);
      expect(response?.status()).toBe(200);
      await expect(page.locator('#run-progress').textContent()).resolves.toMatch(/Question 1 of 2/);
      await page.locator('#timer-value').waitFor();
      await shot('run-page-phone-question');
      await axeClean();
      // No sideways scrolling at phone width (a string expression: no DOM types needed).
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);

      await page.getByText('Paris').tap();
      await page.getByRole('button', { name: 'Submit answer' }).tap();
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct/);
      await shot('run-page-phone-answered');
      await axeClean();

      // Opened again: the waiting screen, following the run by itself.
      await page.goto(link);
      await expect(page.locator('h2').first().textContent()).resolves.toBe(
        'Waiting for the next question',
      );
      await shot('run-page-phone-waiting');
      await axeClean();

      // Once the question's time is up (the app's clock set past it), the class's results show.
      clock.set(Date.now() + 95_000);
      await page.goto(link);
      await page.locator('#class-results-title').waitFor();
      await expect(page.locator('.class-results').textContent()).resolves.toMatch(/1 answer/);
      await shot('run-page-phone-results');
      await axeClean();
      await page.setViewportSize({ width: 1280, height: 800 });
      await shot('run-page-laptop-results');
      await page.setViewportSize({ width: 390, height: 844 });
      clock.reset();

      // The instructor moves on through the API: the page follows with no action of ours.
      await request(app.url)
        .post(`/api/runs/${runId}/next`)
        .set(auth)
        .send({ current_index: 0 })
        .expect(200);
      await page.locator('#run-progress').filter({ hasText: 'Question 2 of 2' }).waitFor();
      await expect(page.locator('#question-text').textContent()).resolves.toBe(
        'How much is 6 × 7?',
      );
      await shot('run-page-phone-question-2');
      await axeClean();

      // The keyboard alone: to the answer field, type, Enter.
      await page.keyboard.press('Tab');
      await expect(page.locator(':focus').getAttribute('id')).resolves.toBe('value');
      await page.keyboard.type('42');
      await page.keyboard.press('Enter');
      await page.locator('#confirmation').waitFor();

      // The instructor ends the run: the confirmation page (the answer's POST) follows by itself.
      await request(app.url)
        .post(`/api/runs/${runId}/next`)
        .set(auth)
        .send({ current_index: 1 })
        .expect(200);
      await page.locator('#run-final').waitFor();
      await expect(page.locator('#run-total').textContent()).resolves.toMatch(
        /Your total: \d+ points/,
      );
      await expect(page.locator('#run-rank').textContent()).resolves.toMatch(/You are number 1/);
      await shot('run-page-phone-final');
      await axeClean();
      // Leaving a page cancels its open event stream: that is no problem (as in the console's).
      expect(
        problems.filter((p) => !/^request failed: eventsource .* \(net::ERR_ABORTED\)$/.test(p)),
      ).toEqual([]);
    });
  });

  it('without EventSource, follows the run by polling its state', async () => {
    const { app } = world;
    const { runId, link } = await startRun();
    await openPhone('delete window.EventSource;');
    await withScreenshotOnFailure(page, 'run-page-polling', async () => {
      await page.goto(link);
      await page.locator('#run-progress').filter({ hasText: 'Question 1 of 2' }).waitFor();
      await request(app.url)
        .post(`/api/runs/${runId}/next`)
        .set(auth)
        .send({ current_index: 0 })
        .expect(200);
      await page.locator('#run-progress').filter({ hasText: 'Question 2 of 2' }).waitFor();
      expect(problems).toEqual([]);
    });
  });
});
