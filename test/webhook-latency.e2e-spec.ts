/**
 * How fast a webhook is acknowledged (for the report; nothing is asserted on time). Zoom gives
 * an endpoint 3 s (ZOOM.md §3). Run alone: npx jest test/webhook-latency
 */
import { createTestApp, TestApp } from './utils/test-app';
import { meetingEvent, participantEvent, postWebhook } from './webhook-helpers';

const REQUESTS = 500;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('webhook acknowledgement latency (measured, not asserted)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ name: 'webhook_latency' });
  });
  afterAll(async () => t.close());

  it(`${REQUESTS} sequential signed participant events`, async () => {
    const meetingId = '87000000001';
    let ts = Date.now();
    await postWebhook(
      t.url,
      JSON.stringify(meetingEvent('started', { meetingId, uuid: 'lat-1', ts })),
    );
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const participant = {
        user_id: String(20000000 + (i >> 1)),
        user_name: `Person ${i >> 1}`,
        id: `zu-${i >> 1}`,
        participant_uuid: `pu-${i >> 1}`,
      };
      // Alternate joins and leaves of the same join: both kinds of update are measured.
      const body = participantEvent(i % 2 === 0 ? 'joined' : 'left', {
        meetingId,
        uuid: 'lat-1',
        ts: ++ts,
        participant,
      });
      const raw = JSON.stringify(body);
      const started = performance.now();
      const res = await postWebhook(t.url, raw);
      times.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const line = `[webhook-latency] ${REQUESTS} sequential signed requests over HTTP (fetch, keep-alive): median ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
    process.stdout.write(`\n${line}\n`);
  }, 120_000);
});
