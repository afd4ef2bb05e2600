/**
 * The console's chart for every question type, in Chromium: the live room's results page and the
 * presenter view draw an SVG image with a text summary and a table alternative, axe-core finds no
 * serious or critical violation, and each chart is saved as a screenshot under test-results/ at
 * laptop and phone size (test-results/charts/<type>-<size>.png) to be looked at. Answers are
 * seeded in the stored shape (test/utils/seed-results.ts), some questions revealed.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { AnswersService } from '../../src/answers/answers.service';
import { launchBrowser, TEST_RESULTS_DIR, withScreenshotOnFailure } from '../utils/browser';
import { questionOf, seedAnswered, type GivenAnswer } from '../utils/seed-results';
import { createTestApp, TEST_API_KEY, type TestApp } from '../utils/test-app';
import { waitUntil } from '../utils/wait';

jest.setTimeout(180_000);

const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = join(TEST_RESULTS_DIR, 'charts');

const SIZES = {
  laptop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
} as const;

const unscored = { correct: null, credit: null, score: 0 } as const;

/** One broadcast per chart, with what its image's summary must say. */
const CASES: Array<{
  name: string;
  question: ReturnType<typeof questionOf>;
  answers: GivenAnswer[];
  revealed?: boolean;
  anonymous?: boolean;
  label: RegExp;
}> = [
  {
    name: 'single',
    question: questionOf({
      title: 'Capital',
      question_text: 'Capital of France?',
      options: ['Berlin', 'Paris', 'Rome'],
      correct_answer: 1,
    }),
    answers: [1, 1, 1, 0, 2].map((choice) => ({
      choice,
      correct: choice === 1,
      credit: choice === 1 ? 1 : 0,
      score: choice === 1 ? 100 : 0,
    })),
    revealed: true,
    label: /Bar chart of the answers per option/,
  },
  {
    name: 'multiple',
    question: questionOf({
      type: 'multiple',
      title: 'Seas',
      question_text: 'Which of these are seas?',
      options: ['Baltic', 'Sahara', 'Red', 'Gobi'],
      correct_answers: [0, 2],
    }),
    answers: [
      { choices: [0, 2], correct: true, credit: 1, score: 100 },
      { choices: [0], correct: false, credit: 0.5, score: 50 },
      { choices: [0, 1, 2], correct: false, credit: 0.5, score: 50 },
    ],
    label: /each answer may pick several/,
  },
  {
    name: 'true_false',
    question: questionOf({
      type: 'true_false',
      title: 'Water',
      question_text: 'Water boils at 100 °C at sea level.',
      correct_answer: 0,
    }),
    answers: [0, 0, 1].map((choice) => ({
      choice,
      correct: choice === 0,
      credit: choice === 0 ? 1 : 0,
      score: 0,
    })),
    label: /Bar chart/,
  },
  {
    name: 'rating',
    question: questionOf({
      type: 'rating',
      title: 'Pace',
      question_text: 'How was the pace of today’s lesson?',
      scale: { min: 1, max: 5, min_label: 'Too slow', max_label: 'Too fast' },
    }),
    answers: [3, 3, 4, 2, 3, 5, 4, 3].map((value) => ({ value, ...unscored })),
    label: /Histogram of 8 ratings from 1 to 5: mean 3\.375, median 3/,
  },
  {
    name: 'numeric',
    question: questionOf({
      type: 'numeric',
      title: 'Distance',
      question_text: 'How far is the Moon (thousand km)?',
      correct_value: 384,
      tolerance: 10,
      unit: 'thousand km',
    }),
    answers: [384, 380, 150, 400, 390, 384, 1000, 350, 385, 420, 300, 384].map((value) => ({
      value,
      correct: Math.abs(value - 384) <= 10,
      credit: Math.abs(value - 384) <= 10 ? 1 : 0,
      score: 0,
    })),
    revealed: true,
    label: /Histogram of 12 numeric answers: median 384 thousand km/,
  },
  {
    name: 'text',
    question: questionOf({
      type: 'text',
      title: 'One word',
      question_text: 'One word for today’s lesson?',
    }),
    answers: [
      ['Inspiring and fun', 'en'],
      ['fun', 'en'],
      ['Very fun, a bit long', 'en'],
      ['Interesante y divertido', 'es'],
      ['Trop long mais intéressant', 'fr'],
      ['Spannend', 'de'],
      ['Divertido', 'pt'],
      ['The examples were clear', 'en'],
      ['Clear examples', 'en'],
      ['<script>alert(1)</script>', 'en'],
    ].map(([text, lang]) => ({ text, lang, ...unscored })),
    anonymous: true,
    label: /Word cloud of 10 text answers; most used: fun \(3\)/,
  },
  {
    name: 'ranking',
    question: questionOf({
      type: 'ranking',
      title: 'Planets',
      question_text: 'Order by distance from the Sun',
      options: ['Mars', 'Mercury', 'Earth', 'Venus'],
      correct_order: [1, 3, 2, 0],
    }),
    answers: [
      { order: [1, 3, 2, 0], correct: true, credit: 1, score: 100 },
      { order: [1, 2, 3, 0], correct: false, credit: 0.5, score: 50 },
      { order: [3, 1, 2, 0], correct: false, credit: 0.5, score: 50 },
    ],
    revealed: true,
    label: /Ranking chart of 3 answers, by mean place: Mercury 1\.333/,
  },
];

describe('Console charts per question type (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ids: Record<string, { id: string; meetingId: string }> = {};

  beforeAll(async () => {
    [t, browser] = await Promise.all([createTestApp({ name: 'console_charts' }), launchBrowser()]);
    for (const c of CASES) {
      ids[c.name] = await seedAnswered(t, c.question, c.answers, {
        revealed: c.revealed,
        anonymous: c.anonymous,
        people: c.answers.length + 2,
      });
    }
    mkdirSync(SHOTS, { recursive: true });
    // The app's CSP allows same-origin scripts only; the context bypasses it to inject axe.
    context = await browser.newContext({ bypassCSP: true, viewport: SIZES.laptop });
    page = await context.newPage();
    await page.goto(`${t.url}/console`);
    await page.fill('#api_key', TEST_API_KEY);
    await Promise.all([page.waitForURL(/questions/), page.press('#api_key', 'Enter')]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  async function violations(): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' '))))`);
  }

  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: an image with a summary and a table, accessible, at laptop and phone size',
    async (name, c) => {
      const { id } = ids[name];
      await withScreenshotOnFailure(page, `chart-${name}`, async () => {
        for (const [size, viewport] of Object.entries(SIZES)) {
          await page.setViewportSize(viewport);
          await page.goto(`${t.url}/console/broadcasts/${id}`);
          const image = page.locator('figure[data-chart] svg[role="img"]:visible');
          await image.waitFor();
          expect(await image.getAttribute('aria-label')).toMatch(c.label);
          // The table alternative says the same in rows and columns.
          await page.locator('figure[data-chart] table caption').first().waitFor();
          const box = await image.boundingBox();
          expect(box?.width).toBeGreaterThan(100);
          expect(box?.height).toBeGreaterThan(50);
          // Nothing of the chart spills out of a phone's width.
          expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(viewport.width);
          expect(await violations()).toEqual([]);
          await page
            .locator('section:has(> #chart-heading)')
            .screenshot({ path: join(SHOTS, `${name}-${size}.png`) });
        }
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.goto(`${t.url}/console/broadcasts/${id}/present`);
        await page.locator('figure[data-chart] svg[role="img"]:visible').waitFor();
        expect(await violations()).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `${name}-presenter.png`) });
      });
    },
  );

  it('text: a hostile answer is shown as text; an anonymous question says so', async () => {
    await page.setViewportSize(SIZES.laptop);
    await page.goto(`${t.url}/console/broadcasts/${ids.text.id}`);
    await page.getByText('<script>alert(1)</script>').first().waitFor();
    await page.getByText(/Anonymous: answers are not linked to people/).waitFor();
  });

  it('revealed: the right bucket, order and option are marked in words, not by colour alone', async () => {
    await page.goto(`${t.url}/console/broadcasts/${ids.numeric.id}`);
    const note = (await page.locator('figure .right-note').textContent()) ?? '';
    expect(note.replace(/\s+/g, ' ').trim()).toBe('✓ Right answer: 384 ± 10 thousand km');
    expect(await page.locator('figure table').first().textContent()).toMatch(
      /200 to under 400 \(right answer\)/,
    );
    await page.goto(`${t.url}/console/broadcasts/${ids.ranking.id}`);
    expect(await page.locator('svg .mark').first().textContent()).toMatch(/right place 1/);
  });

  it('a word cloud follows new answers live (the page re-reads its chart)', async () => {
    await page.setViewportSize(SIZES.laptop);
    const { id } = await seedAnswered(t, questionOf({ type: 'text' }), [
      { text: 'first thought', ...unscored },
    ]);
    await page.goto(`${t.url}/console/broadcasts/${id}`);
    await waitUntil(
      async () => (await page.getAttribute('body', 'data-stream')) === 'open',
      15_000,
      'the live stream to open',
    );
    const connection = t.app.get<Connection>(getConnectionToken());
    const stored = await connection.collection('answers').insertOne({
      broadcast_id: new Types.ObjectId(id),
      meeting_id: 'x',
      recipient_key: 'late',
      name: 'Late',
      email: null,
      delivery_id: new Types.ObjectId(),
      text: 'Zebra crossing',
      correct: null,
      credit: null,
      score: 0,
      lang: 'en',
      answered_at: new Date(),
      latency_ms: 5,
    });
    // As AnswersService emits it: with the answer's id, so the live feed's copy counts once.
    t.app.get(AnswersService).events.emit('answer', {
      broadcastId: id,
      answerId: stored.insertedId.toHexString(),
      text: 'Zebra crossing',
      correct: null,
      credit: null,
      score: 0,
      anonymous: false,
    });
    await page.locator('svg.cloud.wide text', { hasText: 'zebra' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-answered]').first().textContent()).toBe('2');
  });

  it('the send form has an Anonymous checkbox, described', async () => {
    // The form lists the bank's questions: one is needed for it to show.
    await request(t.url)
      .post('/api/questions')
      .set('X-API-Key', TEST_API_KEY)
      .send({ title: 'Q', question_text: 'Q?', options: ['A', 'B'], correct_answer: 0 })
      .expect(201);
    await page.goto(`${t.url}/console/meetings/${ids.single.meetingId}`);
    const box = page.getByRole('checkbox', { name: 'Anonymous' });
    expect(await box.isChecked()).toBe(false);
    expect(await box.getAttribute('aria-describedby')).toBe('anonymous_hint');
    expect(await violations()).toEqual([]);
  });
});
