/**
 * Accessibility of the console, the presenter view and the answer page: axe-core (a
 * devDependency) run in Chromium on each page must find no serious or critical violation.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { launchBrowser, withScreenshotOnFailure } from '../utils/browser';
import { TEST_API_KEY } from '../utils/test-app';
import { waitUntil } from '../utils/wait';
import { seedMeeting, startZoomWorld, type ZoomWorld } from '../utils/zoom-world';

jest.setTimeout(120_000);

const auth = { 'X-API-Key': TEST_API_KEY };

/** axe-core's browser bundle, injected into each page. */
const AXE = require.resolve('axe-core/axe.min.js');

describe('Accessibility with axe-core (e2e)', () => {
  let world: ZoomWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startZoomWorld(), launchBrowser()]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await world?.close();
  });

  /** Serious and critical violations on the page now, as "rule: target" lines. */
  async function violations(): Promise<string[]> {
    // The app's CSP allows same-origin scripts only; the context bypasses it to inject axe.
    await page.addScriptTag({ path: AXE });
    return page.evaluate<string[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .flatMap((v) => v.nodes.map((n) => v.id + ': ' + n.target.join(' '))))`);
  }

  it('every console page, the presenter view and the answer page', async () => {
    const url = world.app.url;
    const { meetingId, people } = await seedMeeting(world.sim, { members: 3, guests: 1 });
    const qid = (
      await request(url)
        .post('/api/questions')
        .set(auth)
        .send({
          title: 'Capital',
          question_text: 'Capital of France?',
          options: ['Berlin', 'Paris'],
          correct_answer: 1,
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
    await waitUntil(() => world.sim.messages().length >= before + 3, 20_000, 'the messages');
    const link = /(\/q\/[A-Za-z0-9_-]+)/.exec(
      world.sim.messages().find((m) => m.to_contact === people[0].email)?.message ?? '',
    )?.[1];

    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    const found: Record<string, string[]> = {};
    await withScreenshotOnFailure(page, 'console-a11y', async () => {
      await page.goto(`${url}/console`);
      found['sign-in'] = await violations();
      await page.fill('#api_key', TEST_API_KEY);
      await Promise.all([page.waitForURL(/questions/), page.press('#api_key', 'Enter')]);
      const pages: Record<string, string> = {
        bank: '/console/questions',
        'new question': '/console/questions/new',
        edit: `/console/questions/${qid}/edit`,
        'delete confirmation': `/console/questions/${qid}/delete`,
        meetings: '/console/meetings',
        'live room': `/console/meetings/${meetingId}`,
        results: `/console/broadcasts/${id}`,
        presenter: `/console/broadcasts/${id}/present`,
        'presenter with names': `/console/broadcasts/${id}/present?names=1`,
        'answer page': link ?? '/q/missing',
      };
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${url}${path}`);
        found[name] = await violations();
      }
      // A refused form: the inline errors.
      await page.goto(`${url}/console/questions/new`);
      await page.getByRole('button', { name: 'Create question' }).click();
      found['form with errors'] = await violations();
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    });
  });
});
