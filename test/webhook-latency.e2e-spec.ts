/**
 * How fast a webhook is acknowledged (for the report; nothing is asserted on time). Zoom gives
 * an endpoint 3 s (docs/zoom.md §3). Run alone: npx jest test/webhook-latency
 */
import { createTestApp, TestApp } from './utils/test-app';
import { meetingEvent, participantEvent, postWebhook } from './utils/webhook-helpers';

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

  async function measure(bodies: string[]): Promise<string> {
    const times: number[] = [];
    for (const raw of bodies) {
      const started = performance.now();
      const res = await postWebhook(t.url, raw);
      times.push(performance.now() - started);
      expect(res.status).toBe(200);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return `median ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`;
  }

  it(`baseline: ${REQUESTS} signed events of a type that is ignored (HTTP + signature, no database)`, async () => {
    const bodies = Array.from({ length: REQUESTS }, (_, i) =>
      JSON.stringify({ event: 'meeting.chat_message_sent', event_ts: Date.now() + i, payload: {} }),
    );
    const line = `[webhook-latency] ${REQUESTS} sequential signed ignored events: ${await measure(bodies)}`;
    process.stdout.write(`\n${line}\n`);
  }, 360_000);

  it(`${REQUESTS} sequential signed participant events`, async () => {
    const meetingId = '87000000001';
    let ts = Date.now();
    await postWebhook(
      t.url,
      JSON.stringify(meetingEvent('started', { meetingId, uuid: 'lat-1', ts })),
    );
    // Alternate joins and leaves of the same join: both kinds of update are measured.
    const bodies = Array.from({ length: REQUESTS }, (_, i) =>
      JSON.stringify(
        participantEvent(i % 2 === 0 ? 'joined' : 'left', {
          meetingId,
          uuid: 'lat-1',
          ts: ++ts,
          participant: {
            user_id: String(20000000 + (i >> 1)),
            user_name: `Person ${i >> 1}`,
            id: `zu-${i >> 1}`,
            participant_uuid: `pu-${i >> 1}`,
          },
        }),
      ),
    );
    const line = `[webhook-latency] ${REQUESTS} sequential signed participant joins/leaves (stored): ${await measure(bodies)}`;
    process.stdout.write(`\n${line}\n`);
  }, 360_000);
});
