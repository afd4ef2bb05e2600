/**
 * Presenter view benchmark (issue 14): 1,000 recipients answer within one second while the
 * presenter view (/console/broadcasts/{id}/present) is open in headless Chromium. Reports:
 *
 * - visible latency: for each answer, from its HTTP 200 to the first redraw of the page whose
 *   count includes it (the k-th 200 is "in" once the drawn total reaches k), p50/p99;
 * - redraws: how many times the page redrew the chart, and per second of the burst;
 * - baseline, same run, same burst: the same latency to the arrival of the stream event that
 *   carries it (an EventSource listener added to the page), i.e. what the server's stream costs
 *   before the page draws. The ratio says what the page's coalescing adds on top.
 *
 *   npx ts-node --transpile-only bench/presenter.ts [answers=1000] [spreadMs=1000]
 *
 * The app runs in this process (createTestApp: the real AppModule and HTTP stack) on the local
 * MongoDB-wire test server unless MONGO_URI is set; Chromium is its own process. The load
 * generator shares the app's event loop, so figures are upper bounds for a dedicated server.
 */
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { startMongoServer } from '../tools/mongo-server/launch';
import { BENCH_DB_OPTIONS } from './lib/processes';
import { launchBrowser } from '../test/utils/browser';
import { createTestApp, TEST_API_KEY } from '../test/utils/test-app';
import { percentile, postAnswer, scheduled, seedBurstBroadcast } from './answer-burst';

interface Mark {
  /** Epoch milliseconds (the page's and this process's clocks are the same machine's). */
  at: number;
  answered: number;
}

/** For each answer's 200 (epoch ms), in order: ms until the first mark that counts it. */
function latencies(oks: number[], marks: Mark[]): number[] {
  const sorted = [...oks].sort((a, b) => a - b);
  const byTime = [...marks].sort((a, b) => a.at - b.at);
  return sorted.map((okAt, i) => {
    const seen = byTime.find((m) => m.answered >= i + 1 && m.at >= okAt - 1000);
    return seen ? Math.max(0, seen.at - okAt) : NaN;
  });
}

function summary(label: string, values: number[]): string {
  const valid = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  return `${label.padEnd(44)} p50 ${percentile(valid, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(valid, 99).toFixed(1).padStart(7)} ms  (${values.length - valid.length} never seen)`;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1000);
  const spreadMs = Number(process.argv[3] ?? 1000);
  const mongo = process.env.MONGO_URI ? null : await startMongoServer(BENCH_DB_OPTIONS);
  process.env.MONGO_URI ??= mongo?.uri;
  const app = await createTestApp({
    name: `bench_presenter_${randomBytes(3).toString('hex')}`,
    env: { ANSWERS_PER_LINK_PER_ADDRESS: '5' },
  });
  const browser = await launchBrowser();
  try {
    const models = {
      broadcasts: app.app.get<Model<Broadcast>>(getModelToken(Broadcast.name)),
      deliveries: app.app.get<Model<Delivery>>(getModelToken(Delivery.name)),
    };
    const seeded = await seedBurstBroadcast(models, app.config.answers.tokenSecret, n);
    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 720 } })
    ).newPage();
    await page.goto(`${app.url}/console`);
    await page.fill('#api_key', TEST_API_KEY);
    await Promise.all([page.waitForURL(/\/console\/questions/), page.press('#api_key', 'Enter')]);
    await page.goto(`${app.url}/console/broadcasts/${seeded.broadcastId.toHexString()}/present`);
    // Records every redraw (the body's data-drawn-answered) and every stream event's arrival.
    await page.evaluate(`(() => {
      window.__draws = []; window.__events = [];
      new MutationObserver(() => {
        window.__draws.push({ at: performance.timeOrigin + performance.now(),
          answered: Number(document.body.getAttribute('data-drawn-answered')) });
      }).observe(document.body, { attributes: true, attributeFilter: ['data-redraws'] });
      const es = new EventSource('/api/broadcasts/${seeded.broadcastId.toHexString()}/stream');
      const on = (e) => window.__events.push({ at: performance.timeOrigin + performance.now(),
        answered: JSON.parse(e.data).answered });
      es.addEventListener('snapshot', on); es.addEventListener('answer', on);
    })()`);
    const waitFor = async (check: () => Promise<boolean>, what: string): Promise<void> => {
      const until = Date.now() + 60_000;
      while (!(await check())) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitFor(
      async () => (await page.getAttribute('body', 'data-stream')) === 'open',
      'the stream',
    );

    const started = Date.now();
    const { results } = await scheduled(n, spreadMs, async (i) => {
      const sample = await postAnswer(app.url, seeded.tokens[i], i % 4);
      return { ...sample, at: Date.now() };
    });
    const okAt = results.filter((r) => r.status === 200).map((r) => r.at);
    await waitFor(
      async () => Number(await page.getAttribute('body', 'data-drawn-answered')) >= okAt.length,
      'the final count on the page',
    );
    const lastOk = Math.max(...okAt);
    const draws = await page.evaluate<Mark[]>('window.__draws');
    const events = await page.evaluate<Mark[]>('window.__events');
    const finalDraw = draws.find((d) => d.answered >= okAt.length);
    const burstDraws = draws.filter((d) => d.at >= started);
    const burstSeconds = Math.max(1, (finalDraw?.at ?? lastOk) - started) / 1000;

    const visible = latencies(okAt, draws);
    const streamed = latencies(okAt, events);
    const p50 = (v: number[]) =>
      percentile(
        [...v].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b),
        50,
      );
    const p99 = (v: number[]) =>
      percentile(
        [...v].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b),
        99,
      );
    console.log(
      `\nPresenter view: ${n} answers over ${spreadMs} ms, ${okAt.length} answered 200\n`,
    );
    console.log(summary('200 -> count visible on the presenter view', visible));
    console.log(summary('baseline: 200 -> stream event in the page', streamed));
    console.log(
      `${'ratio visible / stream event'.padEnd(44)} p50 ${(p50(visible) / Math.max(1, p50(streamed))).toFixed(2)}x  p99 ${(p99(visible) / Math.max(1, p99(streamed))).toFixed(2)}x`,
    );
    console.log(
      `${'redraws'.padEnd(44)} ${burstDraws.length} for ${okAt.length} answers = ${(burstDraws.length / burstSeconds).toFixed(1)}/s; stream events ${events.filter((e) => e.at >= started).length}`,
    );
    console.log(
      `${'last 200 -> final count visible'.padEnd(44)} ${finalDraw ? (finalDraw.at - lastOk).toFixed(0) : 'n/a'} ms`,
    );
    if (okAt.length !== n) process.exitCode = 1;
  } finally {
    await browser.close();
    await app.close();
    await mongo?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
