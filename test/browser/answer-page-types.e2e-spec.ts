/**
 * Every kind of question on the answer page, answered with the keyboard alone at phone size
 * (390×844) in headless Chromium, against the real app and the Zoom simulator: the question page
 * and the confirmation are axe-core clean, the confirmation repeats the answer given, and each
 * state's screenshot is kept in test-results/ (answer-<type>-question.png, -confirmation.png).
 * Ranking is also reordered with JavaScript off: its buttons submit by GET and the page comes
 * back in the new order with the moved item's button focused.
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
import { TEST_API_KEY } from '../utils/test-app';
import { waitUntil } from '../utils/wait';
import { seedMeeting, startZoomWorld, ZoomWorld } from '../utils/zoom-world';

jest.setTimeout(180_000);

const auth = { 'X-API-Key': TEST_API_KEY };
const STEP_TIMEOUT_MS = 15_000;
const PHONE = { width: 390, height: 844 };

describe('Every question type on the answer page, keyboard only, at phone size (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let meetingId: string;
  let email: string;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startZoomWorld(), launchBrowser()]);
    const seeded = await seedMeeting(world.sim, { members: 1 });
    meetingId = seeded.meetingId;
    email = seeded.people[0].email ?? '';
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });
  afterEach(async () => context?.close());

  async function open(options: { javaScript?: boolean } = {}): Promise<void> {
    context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'en-US',
      // axe-core is injected as a script: the app's CSP would refuse it.
      bypassCSP: true,
      javaScriptEnabled: options.javaScript ?? true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    problems = collectPageProblems(page);
  }

  /** Creates the question, sends it (optionally anonymous) and returns the member's link. */
  async function send(question: object, sendBody: object = {}): Promise<string> {
    const { app, sim } = world;
    const created = await request(app.url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Quiz', time_limit: 300, points: 100, ...question });
    expect([created.status, created.body]).toEqual([201, expect.anything()]);
    const before = sim.messages().length;
    await request(app.url)
      .post(`/api/questions/${created.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, ...sendBody })
      .expect(202);
    await waitUntil(() => sim.messages().length > before, 20_000, 'the Team Chat message');
    const text =
      sim
        .messages()
        .slice(before)
        .find((m) => m.to_contact === email)?.message ?? '';
    const link = /(https?:\/\/\S+\/q\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (!link) throw new Error(`no link in ${text}`);
    return link;
  }

  async function focused(): Promise<{ tag: string; name: string; value: string; text: string }> {
    return page.evaluate(`(() => {
      const e = document.activeElement;
      return { tag: e.tagName.toLowerCase(), name: e.getAttribute('name') || '',
        value: e.value || '', text: (e.textContent || '').trim() };
    })()`);
  }

  async function shot(name: string): Promise<void> {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_RESULTS_DIR, `${name}.png`), fullPage: true });
  }

  /** No sideways scrolling at phone width. */
  async function fitsThePhone(): Promise<void> {
    const widths = await page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    );
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  }

  /**
   * Opens the link, checks the question page (axe, fits, screenshot), runs `answer` (keys only;
   * it ends with the focus on the submit button or submits itself), then checks the confirmation.
   */
  async function answerByKeyboard(
    name: string,
    link: string,
    answer: () => Promise<void>,
    expected: string,
  ): Promise<void> {
    await withScreenshotOnFailure(page, `answer-${name}`, async () => {
      const response = await page.goto(link);
      expect(response?.status()).toBe(200);
      await page.locator('#timer-value').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await fitsThePhone();
      await shot(`answer-${name}-question`);
      await answer();
      if (await page.locator('#answer-form').count()) {
        expect((await focused()).text).toBe('Submit answer');
        await page.keyboard.press('Enter');
      }
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('#your-choice').textContent()).resolves.toBe(expected);
      expect(await axeViolations(page)).toEqual([]);
      await fitsThePhone();
      await shot(`answer-${name}-confirmation`);
      expect(problems).toEqual([]);
    });
  }

  it('single: arrow keys pick an option', async () => {
    const link = await send({
      question_text: 'Capital of France?',
      options: ['Berlin', 'Paris', 'Rome'],
      correct_answer: 1,
    });
    await open();
    await answerByKeyboard(
      'single',
      link,
      async () => {
        await page.keyboard.press('Tab');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Tab');
      },
      'B. Paris',
    );
    await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct: \d+ points/);
  });

  it('true_false: the fixed options, Space picks the focused one', async () => {
    const link = await send({
      type: 'true_false',
      question_text: 'The Seine flows through Paris.',
      correct_answer: 0,
    });
    await open();
    await answerByKeyboard(
      'true-false',
      link,
      async () => {
        await page.keyboard.press('Tab');
        expect(await focused()).toMatchObject({ name: 'choice', value: '0' });
        await page.keyboard.press('Space');
        await page.keyboard.press('Tab');
      },
      'True',
    );
  });

  it('multiple: checkboxes with a limit said in the legend', async () => {
    const link = await send({
      type: 'multiple',
      question_text: 'Which are capitals?',
      options: ['Paris', 'Lyon', 'Oslo'],
      correct_answers: [0, 2],
      max_choices: 2,
    });
    await open();
    await answerByKeyboard(
      'multiple',
      link,
      async () => {
        await expect(page.locator('legend').first().textContent()).resolves.toBe(
          'Choose up to 2 answers',
        );
        await page.keyboard.press('Tab'); // Paris
        await page.keyboard.press('Space');
        await page.keyboard.press('Tab'); // Lyon
        await page.keyboard.press('Tab'); // Oslo
        await page.keyboard.press('Space');
        await page.keyboard.press('Tab');
      },
      'Paris; Oslo',
    );
    await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct/);
  });

  it('rating: a radio scale with its end labels', async () => {
    const link = await send({
      type: 'rating',
      question_text: 'How clear was this lesson?',
      scale: { min: 1, max: 5, min_label: 'Not at all', max_label: 'Very clear' },
    });
    await open();
    await answerByKeyboard(
      'rating',
      link,
      async () => {
        await expect(page.getByRole('radio', { name: '1 (Not at all)' }).count()).resolves.toBe(1);
        await expect(page.getByRole('radio', { name: '5 (Very clear)' }).count()).resolves.toBe(1);
        await page.keyboard.press('Tab');
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
        expect(await focused()).toMatchObject({ name: 'value', value: '4' });
        await page.keyboard.press('Tab');
      },
      '4',
    );
    await expect(page.locator('.result').textContent()).resolves.toBe(
      'Thanks, your answer is recorded.',
    );
  });

  it('numeric: a decimal comma is accepted; Enter submits', async () => {
    const link = await send({
      type: 'numeric',
      question_text: 'How long is the Seine in Paris?',
      correct_value: 13,
      tolerance: 0.5,
      unit: 'km',
    });
    await open();
    await answerByKeyboard(
      'numeric',
      link,
      async () => {
        await page.keyboard.press('Tab');
        expect(await focused()).toMatchObject({ tag: 'input', name: 'value' });
        await page.keyboard.type('12,75');
        await page.keyboard.press('Enter'); // the only text field: Enter submits the form
        await page.locator('#confirmation').waitFor();
      },
      '12.75 km',
    );
    await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct/);
  });

  it('text: a textarea with a live count; the maxlength holds', async () => {
    const link = await send({
      type: 'text',
      question_text: 'Name the river of Paris.',
      accepted_answers: ['Seine'],
      max_length: 20,
    });
    await open();
    await answerByKeyboard(
      'text',
      link,
      async () => {
        await page.keyboard.press('Tab');
        expect(await focused()).toMatchObject({ tag: 'textarea', name: 'text' });
        await page.keyboard.type('la Seine');
        await expect(page.locator('#text-count').textContent()).resolves.toBe('8 of 20 characters');
        await page.keyboard.type(' is the river of Paris');
        // maxlength: the browser stops at 20.
        await expect(page.locator('#text').inputValue()).resolves.toHaveLength(20);
        for (let i = 0; i < 22; i++) await page.keyboard.press('Backspace');
        await page.keyboard.type('Seine');
        await page.keyboard.press('Tab');
      },
      'Seine',
    );
    await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct/);
  });

  it('ranking: up/down buttons move in place and keep the focus on the moved item', async () => {
    const link = await send({
      type: 'ranking',
      question_text: 'Order by population, largest first',
      options: ['Lyon', 'Paris', 'Marseille'],
      correct_order: [1, 2, 0],
    });
    await open();
    await answerByKeyboard(
      'ranking',
      link,
      async () => {
        const url = page.url();
        await page.keyboard.press('Tab'); // Lyon's up button is disabled: its down button
        expect(await focused()).toMatchObject({ name: 'move', value: 'down:0' });
        await page.keyboard.press('Enter');
        expect(await focused()).toMatchObject({ name: 'move', value: 'down:0' });
        await expect(page.locator('#rank-live').textContent()).resolves.toBe(
          '“Lyon” is now number 2.',
        );
        await page.keyboard.press('Enter'); // to the bottom: its down button is disabled now
        expect(await focused()).toMatchObject({ name: 'move', value: 'up:0' });
        await expect(page.locator('.rank-text').allTextContents()).resolves.toEqual([
          'Paris',
          'Marseille',
          'Lyon',
        ]);
        expect(page.url()).toBe(url); // moved in place, no reload
        await page.keyboard.press('Tab');
      },
      '1. Paris, 2. Marseille, 3. Lyon',
    );
    await expect(page.locator('.result').textContent()).resolves.toMatch(/Correct/);
  });

  it('ranking without JavaScript: each move is a GET of the page in the new order', async () => {
    const link = await send({
      type: 'ranking',
      question_text: 'Order by population, largest first',
      options: ['Lyon', 'Paris', 'Marseille'],
      correct_order: [1, 2, 0],
    });
    await open({ javaScript: false });
    await withScreenshotOnFailure(page, 'answer-ranking-no-js', async () => {
      await page.goto(link);
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ name: 'move', value: 'down:0' });
      await Promise.all([page.waitForURL(/move=down%3A0/), page.keyboard.press('Enter')]);
      await expect(page.locator('.rank-text').allTextContents()).resolves.toEqual([
        'Paris',
        'Lyon',
        'Marseille',
      ]);
      // The new page focuses the moved item's button (autofocus: no script needed).
      expect(await focused()).toMatchObject({ name: 'move', value: 'down:0' });
      await page.keyboard.press('Enter');
      // The pressed button's own field sits among the order fields, in form order.
      await page.waitForURL(/order=1&order=0&move=down%3A0&order=2/);
      expect(await focused()).toMatchObject({ name: 'move', value: 'up:0' });
      await shot('answer-ranking-no-js-moved');
      // axe needs a script: the same URL, checked in a context with JavaScript.
      const checker = await browser.newContext({ viewport: PHONE, bypassCSP: true });
      const check = await checker.newPage();
      await check.goto(page.url());
      expect(await axeViolations(check)).toEqual([]);
      await checker.close();
      await page.keyboard.press('Tab');
      expect((await focused()).text).toBe('Submit answer');
      await page.keyboard.press('Enter');
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('#your-choice').textContent()).resolves.toBe(
        '1. Paris, 2. Marseille, 3. Lyon',
      );
      expect(problems).toEqual([]);
    });
  });

  it('anonymous: the page says so before the answer, and still confirms it', async () => {
    const link = await send(
      {
        question_text: 'Did the homework take you more than an hour?',
        options: ['Yes', 'No'],
        correct_answer: null,
      },
      { anonymous: true },
    );
    await open();
    await answerByKeyboard(
      'anonymous',
      link,
      async () => {
        await expect(page.locator('#anonymous-note').textContent()).resolves.toBe(
          'This question is anonymous: your instructor sees the answers, but not who gave which answer.',
        );
        await page.keyboard.press('Tab');
        await page.keyboard.press('Space');
        await page.keyboard.press('Tab');
      },
      'A. Yes',
    );
  });
});
