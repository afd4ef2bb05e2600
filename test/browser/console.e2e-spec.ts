/**
 * The instructor console in headless Chromium, the way an instructor runs a question: sign in,
 * create a question, open the meeting (30 people in the Zoom simulator), send it with the
 * keyboard alone, watch 20 answers arrive (they are posted over HTTP, as participants' phones
 * would), check the chart and numbers against GET /api/broadcasts/{id}/results, remind the 10
 * who have not answered, close, reveal, present, and sign out. Screenshots are kept in
 * test-results/ (the live room and the presenter view at 1280x720, the console on a phone).
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
import { waitUntil } from '../utils/wait';
import { seedMeeting, startZoomWorld, type ZoomWorld } from '../utils/zoom-world';

jest.setTimeout(120_000);

const auth = { 'X-API-Key': TEST_API_KEY };
const STEP_TIMEOUT_MS = 15_000;
const MEMBERS = 30;
const ANSWERING = 20;

interface Results {
  answered: number;
  options: Array<{ count: number; percent: number; correct: boolean | null }>;
  non_responders: Array<{ name: string; email: string | null; reason: string }>;
  revealed: boolean;
}

describe('The instructor console in Chromium (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let url: string;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startZoomWorld(), launchBrowser()]);
    url = world.app.url;
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });
  afterEach(async () => context?.close());

  async function open(viewport = { width: 1280, height: 720 }): Promise<void> {
    context = await browser.newContext({ viewport });
    page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    problems = collectPageProblems(page);
  }

  /** Problems, less the live stream that each navigation away from a live page aborts. */
  // Leaving a page aborts what its script still has in flight: the live stream, and the live
  // room's re-read of its own page (slow under load). Aborted documents still count.
  const realProblems = (): string[] =>
    problems.filter(
      (p) => !/^request failed: (fetch|eventsource) .* \(net::ERR_ABORTED\)$/.test(p),
    );

  /** Presses Tab until the focused element matches `selector`: proof it is reachable by keyboard. */
  async function tabTo(selector: string, max = 80): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      // A string expression: the test compiles without the DOM library.
      const matches = await page.evaluate<boolean>(
        `document.activeElement ? document.activeElement.matches(${JSON.stringify(selector)}) : false`,
      );
      if (matches) return;
    }
    throw new Error(`${selector} not reached with the Tab key`);
  }

  async function signIn(): Promise<void> {
    await page.goto(`${url}/console`);
    await tabTo('#api_key');
    await page.keyboard.type(TEST_API_KEY);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/console\/questions$/);
  }

  const results = async (id: string): Promise<Results> =>
    (await request(url).get(`/api/broadcasts/${id}/results`).set(auth).expect(200)).body as Results;

  const screenshot = async (name: string): Promise<void> => {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_RESULTS_DIR, `${name}.png`) });
  };

  it('sign in, create, send by keyboard, live results, remind, close, reveal, present, sign out', async () => {
    const { meetingId, people } = await seedMeeting(world.sim, { members: MEMBERS });
    await open();
    await withScreenshotOnFailure(page, 'console-flow', async () => {
      await signIn();

      // Create a question with the bank's form.
      await page.getByRole('link', { name: 'New question' }).click();
      await page.getByLabel('Title').fill('Capital of France');
      await page
        .getByLabel('Question', { exact: true })
        .fill('Which city is the capital of France?');
      await page.getByLabel('Options').fill('Berlin\nParis\nRome');
      await page.getByLabel('Right answer').fill('2');
      await page.getByLabel('Time to answer (seconds)').fill('300');
      await page.getByRole('button', { name: 'Create question' }).click();
      await page.getByText('Question created.').waitFor();

      // The meeting, then the live room; send with the keyboard alone.
      await page.getByRole('link', { name: 'Meetings' }).click();
      await page.getByRole('link', { name: new RegExp(meetingId) }).click();
      await page.getByText(`Present now: ${MEMBERS} (${MEMBERS} reachable)`).waitFor();
      await tabTo('#question_id');
      await tabTo('button[type=submit]:not(.topbar button)');
      await expect(page.locator(':focus').textContent()).resolves.toBe('Send question');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/console\/broadcasts\/[0-9a-f]{24}/);
      const id = /broadcasts\/([0-9a-f]{24})/.exec(page.url())?.[1] ?? '';

      // Everyone's link, as Zoom delivered it; 20 answer (10 right, 10 wrong).
      await waitUntil(
        () => world.sim.messages().filter((m) => m.to_contact).length >= MEMBERS,
        30_000,
        'every message to go out',
      );
      const linkOf = (email: string): string => {
        const text = world.sim.messages().find((m) => m.to_contact === email)?.message ?? '';
        return /(\/q\/[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
      };
      const answering = people.slice(0, ANSWERING);
      const silent = people.slice(ANSWERING);
      await Promise.all(
        answering.map((p, i) =>
          request(url)
            .post(`${linkOf(p.email ?? '')}/answer`)
            .send({ choice: i % 2 === 0 ? 1 : 0 })
            .expect(200),
        ),
      );

      // The chart and numbers equal the API's results.
      await waitUntil(
        async () => (await page.getAttribute('body', 'data-drawn-answered')) === String(ANSWERING),
        15_000,
        'the chart to show 20 answers',
      );
      const api = await results(id);
      expect(api.answered).toBe(ANSWERING);
      for (const [i, option] of api.options.entries()) {
        await expect(page.locator(`[data-cell-count="${i}"]`).textContent()).resolves.toBe(
          String(option.count),
        );
        await expect(page.locator(`[data-count="${i}"]`).textContent()).resolves.toBe(
          `${option.count} (${option.percent}%)`,
        );
        const width = Number(await page.locator(`[data-bar="${i}"]`).getAttribute('width'));
        expect(width).toBe(Math.round((option.count / api.answered) * 760));
      }
      await expect(page.locator('[data-answered]').first().textContent()).resolves.toBe('20');

      // The 10 non-responders, with the reason (the region refreshes itself).
      await page.getByRole('heading', { name: 'Not answered: 10' }).waitFor();
      const rows = page.locator('[data-refresh="missing"] tbody tr');
      await expect(rows.count()).resolves.toBe(10);
      const listed = (await rows.locator('td:first-child').allTextContents()).sort();
      expect(listed).toEqual(api.non_responders.map((n) => n.name).sort());
      expect(listed).toEqual(silent.map((p) => p.name).sort());
      await expect(rows.first().textContent()).resolves.toContain(
        'Got the question, has not answered',
      );

      await screenshot('console-live-room-1280x720');

      // Remind, by keyboard: exactly those 10 get a second message.
      const before = world.sim.messages().length;
      await tabTo('form[action$="/remind"] button');
      await page.keyboard.press('Enter');
      await page.getByText('Reminder sent to 10 people.').waitFor();
      await waitUntil(() => world.sim.messages().length === before + 10, 20_000, 'the reminders');
      const reminded = world.sim
        .messages()
        .slice(before)
        .map((m) => m.to_contact)
        .sort();
      expect(reminded).toEqual(silent.map((p) => p.email).sort());

      // Close now: a late answer is refused.
      await page.getByRole('button', { name: 'Close now' }).click();
      await page.getByText('Answers are closed.').first().waitFor();
      await request(url)
        .post(`${linkOf(silent[0].email ?? '')}/answer`)
        .send({ choice: 1 })
        .expect(410);
      await expect(page.locator('[data-countdown-value]').textContent()).resolves.toBe('Closed');

      // Reveal: the right bar is marked, in colour and in words.
      await page.getByRole('button', { name: 'Reveal answer' }).click();
      await page.getByText('The right answer is revealed.').waitFor();
      expect((await results(id)).revealed).toBe(true);
      await page.locator('.chart-figure.revealed').waitFor();
      const fill = await page.evaluate<string>(
        'getComputedStyle(document.querySelector(\'[data-bar="1"]\')).fill',
      );
      expect(fill).toBe('rgb(20, 108, 46)');
      await expect(page.locator('figure table').textContent()).resolves.toContain('Right answer');

      // The presenter view: chart and countdown only, names hidden until turned on.
      await page.getByRole('link', { name: 'Presenter view' }).click();
      await page.locator('.chart-figure.revealed').waitFor();
      await expect(page.locator('.p-names').count()).resolves.toBe(0);
      await expect(page.locator('.p-timer').textContent()).resolves.toContain('Closed');
      await screenshot('console-presenter-1280x720');
      await page.getByRole('link', { name: 'Show names' }).click();
      await expect(page.locator('.p-names li').count()).resolves.toBeGreaterThan(0);

      // Sign out: the old cookie opens nothing any more.
      await page.goto(`${url}/console/questions`);
      const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API key').waitFor();
      await request(url).get('/api/questions').set('cookie', cookie).expect(401);
      await request(url).get(`/api/broadcasts/${id}/stream`).set('cookie', cookie).expect(401);
      expect(realProblems()).toEqual([]);
    });
  });

  it('the presenter view follows a burst live and ends on the final counts', async () => {
    const { meetingId, people } = await seedMeeting(world.sim, { members: 12 });
    const qid = (
      await request(url)
        .post('/api/questions')
        .set(auth)
        .send({
          title: 'Burst',
          question_text: 'Pick one',
          options: ['One', 'Two'],
          correct_answer: 0,
          time_limit: 300,
        })
        .expect(201)
    ).body.id as string;
    const before = world.sim.messages().length;
    const id = (
      await request(url)
        .post(`/api/questions/${qid}/send`)
        .set(auth)
        .send({ meeting_id: meetingId })
        .expect(202)
    ).body.id as string;
    await waitUntil(
      () => world.sim.messages().length >= before + people.length,
      30_000,
      'the messages',
    );
    await open();
    await withScreenshotOnFailure(page, 'console-presenter-burst', async () => {
      await signIn();
      await page.goto(`${url}/console/broadcasts/${id}/present`);
      await waitUntil(
        async () => (await page.getAttribute('body', 'data-stream')) === 'open',
        15_000,
        'the stream to open',
      );
      const messages = world.sim.messages().slice(before);
      await Promise.all(
        people.map((p) => {
          const text = messages.find((m) => m.to_contact === p.email)?.message ?? '';
          const link = /(\/q\/[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
          return request(url).post(`${link}/answer`).send({ choice: 0 }).expect(200);
        }),
      );
      await waitUntil(
        async () =>
          (await page.getAttribute('body', 'data-drawn-answered')) === String(people.length),
        15_000,
        'the final count on the presenter view',
      );
      // Coalesced: fewer redraws than answers.
      const redraws = Number(await page.getAttribute('body', 'data-redraws'));
      expect(redraws).toBeLessThan(people.length);
      await expect(page.locator('[data-cell-count="0"]').textContent()).resolves.toBe('12');
      expect(realProblems()).toEqual([]);
    });
  });

  it('fits a phone (390x844): no sideways scrolling; screenshot kept', async () => {
    const { meetingId } = await seedMeeting(world.sim, { members: 3, guests: 1 });
    await open({ width: 390, height: 844 });
    await withScreenshotOnFailure(page, 'console-phone', async () => {
      await signIn();
      await page.goto(`${url}/console/meetings/${meetingId}`);
      await page.getByRole('button', { name: 'Send question' }).waitFor();
      const widths = await page.evaluate<{ scroll: number; client: number }>(
        '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
      );
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      mkdirSync(TEST_RESULTS_DIR, { recursive: true });
      await page.screenshot({
        path: join(TEST_RESULTS_DIR, 'console-phone-390x844.png'),
        fullPage: true,
      });
      expect(realProblems()).toEqual([]);
    });
  });
});
