/**
 * The answer page in the participant's language, in headless Chromium against the real app: the
 * browser's language (its Accept-Language) picks the page's words, `<html lang>` and the number
 * format; the error pages speak it too and are axe-core clean. Screenshots of each language's
 * question page and of the error pages are kept in test-results/.
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
const PHONE = { width: 390, height: 844 };

/** Per language: the browser locale, the submit button, and the words after answering. */
const LANGUAGES = [
  { lang: 'en', locale: 'en-GB', submit: 'Submit answer', received: 'Answer received' },
  { lang: 'es', locale: 'es-MX', submit: 'Enviar respuesta', received: 'Respuesta recibida' },
  { lang: 'fr', locale: 'fr-CA', submit: 'Envoyer la réponse', received: 'Réponse reçue' },
  { lang: 'de', locale: 'de-AT', submit: 'Antwort senden', received: 'Antwort erhalten' },
  { lang: 'pt', locale: 'pt-BR', submit: 'Enviar resposta', received: 'Resposta recebida' },
] as const;

describe('The answer page in the participant’s language (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let meetingId: string;
  let emails: string[];

  beforeAll(async () => {
    [world, browser] = await Promise.all([startZoomWorld(), launchBrowser()]);
    const seeded = await seedMeeting(world.sim, { members: 2 });
    meetingId = seeded.meetingId;
    emails = seeded.people.map((p) => p.email ?? '');
  });
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });
  afterEach(async () => context?.close());

  async function open(locale: string): Promise<void> {
    context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale,
      bypassCSP: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    problems = collectPageProblems(page);
  }

  /** Creates and sends a question; each member's link, in seeding order. */
  async function send(question: object): Promise<string[]> {
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
      .send({ meeting_id: meetingId })
      .expect(202);
    await waitUntil(
      () => sim.messages().length >= before + emails.length,
      20_000,
      'the Team Chat messages',
    );
    const messages = sim.messages().slice(before);
    return emails.map((email) => {
      const text = messages.find((m) => m.to_contact === email)?.message ?? '';
      const link = /(https?:\/\/\S+\/q\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
      if (!link) throw new Error(`no link for ${email}`);
      return link;
    });
  }

  async function shot(name: string): Promise<void> {
    mkdirSync(TEST_RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_RESULTS_DIR, `${name}.png`), fullPage: true });
  }

  it.each(LANGUAGES)(
    '$lang: the browser language picks the words, lang and the points format',
    async ({ lang, locale, submit, received }) => {
      const [link] = await send({
        question_text: 'Capital of France?',
        options: ['Berlin', 'Paris'],
        correct_answer: 1,
        points: 1000,
      });
      await open(locale);
      await withScreenshotOnFailure(page, `answer-page-${lang}`, async () => {
        const response = await page.goto(link);
        expect(response?.headers()['content-language']).toBe(lang);
        expect(response?.headers()['vary']).toMatch(/accept-language/i);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
        await expect(page.locator('#submit-answer').textContent()).resolves.toBe(submit);
        // 1000 points the locale's way ("1,000", "1.000", "1 000"; Spanish groups from 10 000).
        const note = (await page.locator('form p.muted').textContent()) ?? '';
        expect(note).toContain(new Intl.NumberFormat(lang).format(1000));
        // The instructor's own words are shown as written.
        await expect(page.locator('#question-text').textContent()).resolves.toBe(
          'Capital of France?',
        );
        expect(await axeViolations(page)).toEqual([]);
        await shot(`answer-page-${lang}-question`);
        await page.keyboard.press('Tab');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await page.locator('#confirmation').waitFor();
        await expect(page.locator('h2').textContent()).resolves.toBe(received);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
        expect(await axeViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      });
    },
  );

  it('falls back to English for a language the page does not speak', async () => {
    const [link] = await send({ question_text: 'Q?', options: ['A', 'B'], correct_answer: 0 });
    await open('ja-JP');
    await page.goto(link);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('#submit-answer').textContent()).resolves.toBe('Submit answer');
  });

  it('error pages speak the language and are axe-core clean: 404, 409, 400', async () => {
    const [first, second] = await send({
      question_text: 'Capital of France?',
      options: ['Berlin', 'Paris'],
      correct_answer: 1,
    });
    await open('de-DE');
    await withScreenshotOnFailure(page, 'answer-page-errors-de', async () => {
      const found: Record<string, string[]> = {};
      const missing = await page.goto(`${new URL(first).origin}/q/${'x'.repeat(43)}`);
      expect(missing?.status()).toBe(404);
      expect(missing?.headers()['content-language']).toBe('de');
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Dieser Link funktioniert nicht',
      );
      found['404'] = await axeViolations(page);
      await shot('answer-page-de-404');

      // Two tabs on one link: the second answer is refused (409).
      await page.goto(first);
      const other = await context.newPage();
      await other.goto(first);
      await other.getByLabel('Paris').check();
      await other.getByRole('button', { name: 'Antwort senden' }).click();
      await other.locator('#confirmation').waitFor();
      await other.close();
      await page.getByLabel('Berlin').check();
      await page.getByRole('button', { name: 'Antwort senden' }).click();
      await page.locator('#message').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe('Sie haben bereits geantwortet');
      await expect(page.getByRole('link', { name: 'Zurück zur Frage' }).count()).resolves.toBe(1);
      found['409'] = await axeViolations(page);
      await shot('answer-page-de-409');

      // An option that is not there (a tampered form): 400, naming what to fix.
      await page.goto(second);
      await page.evaluate(`document.querySelector('input[name="choice"]').value = '7'`);
      await page.getByLabel('Berlin').check();
      await page.getByRole('button', { name: 'Antwort senden' }).click();
      await page.locator('#message').waitFor();
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Ihre Antwort konnte nicht gelesen werden',
      );
      await expect(page.locator('#message p').first().textContent()).resolves.toContain(
        'Wählen Sie eine der Optionen.',
      );
      found['400'] = await axeViolations(page);
      await shot('answer-page-de-400');
      expect(found).toEqual({ '404': [], '409': [], '400': [] });
    });
  });

  it('de: a numeric answer is confirmed with a decimal comma', async () => {
    const [link] = await send({
      type: 'numeric',
      question_text: 'Wie lang ist die Seine in Paris?',
      correct_value: 13,
      tolerance: 0.5,
      unit: 'km',
    });
    await open('de-DE');
    await withScreenshotOnFailure(page, 'answer-page-de-numeric', async () => {
      await page.goto(link);
      await page.getByLabel('Ihre Antwort (eine Zahl)').fill('12,75');
      await page.keyboard.press('Enter');
      await page.locator('#confirmation').waitFor();
      await expect(page.locator('#your-choice').textContent()).resolves.toBe('12,75 km');
      await shot('answer-page-de-numeric-confirmation');
      expect(problems).toEqual([]);
    });
  });
});
