/**
 * The answer page in headless Chromium, as a participant would use it: the link from their Zoom
 * message, the countdown, answering by clicking or with the keyboard, the confirmation, and the
 * page closing itself at the deadline. Also at a phone viewport, with a screenshot kept in
 * test-results/ to look at. No console errors allowed: a CSP violation would show up there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import {
  collectPageProblems,
  launchBrowser,
  TEST_RESULTS_DIR,
  withScreenshotOnFailure,
} from '../utils/browser';
import { TEST_API_KEY } from '../utils/test-app';
import { seedMeeting, startZoomWorld, ZoomWorld } from '../utils/zoom-world';

jest.setTimeout(180_000);

const auth = { 'X-API-Key': TEST_API_KEY };
const STEP_TIMEOUT_MS = 15_000;
const PLAIN_HTTP_HOST = 'quiz.test';

describe('The answer page in Chromium (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let meetingId: string;
  let emails: string[];

  beforeAll(async () => {
    [world, browser] = await Promise.all([
      startZoomWorld(),
      // A host name that is not localhost (browsers treat localhost as secure), as a classroom
      // server on a plain-http intranet name would be.
      launchBrowser([`--host-resolver-rules=MAP ${PLAIN_HTTP_HOST} 127.0.0.1`]),
    ]);
    const seeded = await seedMeeting(world.sim, { members: 3 });
    meetingId = seeded.meetingId;
    emails = seeded.people.map((p) => p.email ?? '');
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });
  afterEach(async () => context?.close());

  async function open(viewport?: { width: number; height: number }): Promise<void> {
    context = await browser.newContext(
      viewport ? { viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {},
    );
    page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    problems = collectPageProblems(page);
  }

  /** Sends a question to the meeting and returns each member's link, as Zoom delivered it. */
  async function sendQuestion(question: object): Promise<string[]> {
    const { app, sim } = world;
    const qid = (await request(app.url).post('/api/questions').set(auth).send(question).expect(201))
      .body.id as string;
    const before = sim.messages().length;
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const b = await request(app.url).get(`/api/broadcasts/${sent.body.id}`).set(auth);
      if (b.body.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const messages = sim.messages().slice(before);
    return emails.map((email) => {
      const text = messages.find((m) => m.to_contact === email)?.message ?? '';
      const link = /(https?:\/\/\S+\/q\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
      if (!link) throw new Error(`no link for ${email}`);
      return link;
    });
  }

  const quiz = {
    title: 'Capital of France',
    question_text: 'Which city is the capital of France?',
    options: ['Berlin', 'Paris', 'Rome'],
    correct_answer: 1,
    time_limit: 60,
    points: 100,
  };

  it('counts down, answers by clicking, and confirms', async () => {
    const [link] = await sendQuestion(quiz);
    await open();
    await withScreenshotOnFailure(page, 'answer-page-click', async () => {
      const response = await page.goto(link);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['referrer-policy']).toBe('no-referrer');
      await expect(page.locator('#question-text').textContent()).resolves.toBe(
        'Which city is the capital of France?',
      );
      // "1:00", "59", …: the countdown text, as seconds.
      const secondsLeft = async (): Promise<number> =>
        ((await page.locator('#timer-value').textContent()) ?? '')
          .split(':')
          .reduce((total, part) => total * 60 + Number(part), 0);
      const first = await secondsLeft();
      // The countdown is driven by the script (the server sent the milliseconds left): wait until
      // it has ticked, not for a fixed time.
      const until = Date.now() + 15_000;
      while ((await secondsLeft()) >= first && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await secondsLeft()).toBeLessThan(first);
      expect(first).toBeGreaterThan(50);
      expect(first).toBeLessThanOrEqual(60);

      await page.getByLabel('Paris').check();
      await page.getByRole('button', { name: 'Submit answer' }).click();
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('h2').textContent()).resolves.toBe('Answer received');
      await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct: \d+ points/);
      expect(problems).toEqual([]);
    });
  });

  it('works on a plain-http host other than localhost: assets load, the answer posts', async () => {
    const [link] = await sendQuestion(quiz);
    const onHost = new URL(link);
    expect(onHost.protocol).toBe('http:');
    onHost.hostname = PLAIN_HTTP_HOST;
    await open();
    await withScreenshotOnFailure(page, 'answer-page-plain-http-host', async () => {
      const response = await page.goto(onHost.href);
      expect(response?.status()).toBe(200);
      // The stylesheet applied and the script ran (it drives the countdown).
      await page.locator('#timer-value').waitFor();
      await page.getByLabel('Paris').check();
      await page.getByRole('button', { name: 'Submit answer' }).click();
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('h2').textContent()).resolves.toBe('Answer received');
      expect(new URL(page.url()).host).toBe(onHost.host);
      expect(problems).toEqual([]);
      expect(response?.headers()['content-security-policy']).not.toContain(
        'upgrade-insecure-requests',
      );
    });
  });

  it('works with the keyboard alone', async () => {
    const [, link] = await sendQuestion(quiz);
    await open();
    await withScreenshotOnFailure(page, 'answer-page-keyboard', async () => {
      await page.goto(link);
      await page.keyboard.press('Tab'); // the first option
      await expect(page.locator(':focus').getAttribute('value')).resolves.toBe('0');
      await page.keyboard.press('ArrowDown'); // moves and selects: Paris
      await page.keyboard.press('Tab'); // the submit button
      await expect(page.locator(':focus').textContent()).resolves.toBe('Submit answer');
      await page.keyboard.press('Enter');
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('#your-choice').textContent()).resolves.toBe('B. Paris');
      expect(problems).toEqual([]);
    });
  });

  it('closes the form itself when the time runs out', async () => {
    const [link] = await sendQuestion({ ...quiz, time_limit: 5 });
    await open();
    await withScreenshotOnFailure(page, 'answer-page-timeout', async () => {
      await page.goto(link);
      await page.locator('#closed-note').waitFor({ state: 'visible', timeout: 8_000 });
      await expect(page.locator('#timer-live').textContent()).resolves.toBe(
        'Time is up. Answers are closed.',
      );
      await expect(page.getByRole('button', { name: 'Submit answer' }).isDisabled()).resolves.toBe(
        true,
      );
      await expect(page.getByLabel('Paris').isDisabled()).resolves.toBe(true);
      expect(problems).toEqual([]);
    });
  });

  it('fits a phone (390×844): no sideways scrolling, large targets; screenshot kept', async () => {
    const [, , link] = await sendQuestion({
      ...quiz,
      question_text:
        'Which city is the capital of France? (A longer question text, to see how it wraps on a narrow screen.)',
      options: ['Berlin', 'Paris', 'Rome', 'Madrid, the capital of Spain, which is not in France'],
    });
    await open({ width: 390, height: 844 });
    await withScreenshotOnFailure(page, 'answer-page-phone', async () => {
      await page.goto(link);
      await page.locator('#timer-value').waitFor();
      // A string expression: the test compiles without the DOM library.
      const widths = await page.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const box = await page.locator('label.option').first().boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(48);
      expect(box?.width).toBeGreaterThan(300);
      await page.locator('label.option').nth(1).tap();
      mkdirSync(TEST_RESULTS_DIR, { recursive: true });
      await page.screenshot({
        path: join(TEST_RESULTS_DIR, 'answer-page-phone.png'),
        fullPage: true,
      });
      await page.getByRole('button', { name: 'Submit answer' }).tap();
      await page.locator('#confirmation').waitFor();
      await page.screenshot({
        path: join(TEST_RESULTS_DIR, 'answer-page-phone-confirmation.png'),
        fullPage: true,
      });
      expect(problems).toEqual([]);
    });
  });
});
