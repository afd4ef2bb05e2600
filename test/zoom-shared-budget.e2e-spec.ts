/**
 * Three instances of the app on one database share one Zoom budget (docs/architecture.md §20):
 * three Nest apps in this process, each with its own delivery worker, Zoom client and connection
 * pool, against one Zoom simulator enforcing 20 requests a second on Team Chat (Medium).
 *
 * - 600 messages: no 429, no 1-second window of accepted posts above 21, and the whole send
 *   within (600 / 20) / 0.95 s (at least 95 % of the rate kept busy). Each instance sends a share.
 *   The booking round trips per message are counted with the driver's command monitoring.
 * - One instance closed mid-send: the other two finish, nobody is left out, and duplicates are
 *   bounded by what the closed instance had in flight.
 *
 * No 429, nobody lost and bounded duplicates are always asserted. The per-second and 95 % bounds
 * are the limiter's behaviour, not the machine's speed: they are asserted while this process's
 * event-loop delay never exceeded half a slot (25 ms), else printed with the delay
 * (timingJudged), so a loaded machine can be told from a wrong limiter.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { startZoomSimulator, type ZoomSimulator } from '../tools/zoom-simulator';
import { testMongoUri } from './utils/database';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { messagesPerRecipient, seedMeeting, SENDER_EMAIL, simulatorEnv } from './utils/zoom-world';

const RATE = 20;
const FIRST_SEND = 600;
const SECOND_SEND = 200;
const DELIVERY_CONCURRENCY = 20;
const auth = { 'X-API-Key': TEST_API_KEY };

describe('Three instances, one Zoom budget (shared through MongoDB)', () => {
  let sim: ZoomSimulator;
  let apps: TestApp[] = [];
  let closed = new Set<TestApp>();
  /** Commands each app sent, by command name and collection (the driver's command monitoring). */
  const commands = new Map<string, number>();

  beforeAll(async () => {
    sim = await startZoomSimulator({ rateLimits: { medium: RATE, light: 1000, heavy: 1000 } });
    sim.addUser({ email: SENDER_EMAIL, name: 'Quiz Host' });
    const uri = testMongoUri('shared_budget');
    const env = {
      ...simulatorEnv(sim),
      MONGO_URI: uri + (uri.includes('?') ? '&' : '?') + 'monitorCommands=true',
      ZOOM_RATE_LIMIT_MEDIUM: String(RATE),
      DELIVERY_CONCURRENCY: String(DELIVERY_CONCURRENCY),
      // The others find the work at once and take over a closed instance's claims soon.
      DELIVERY_POLL_INTERVAL_MS: '200',
      DELIVERY_LEASE_SECONDS: '3',
    };
    for (let i = 0; i < 3; i++) apps.push(await createTestApp({ env }));
    for (const app of apps) {
      const client = app.app.get<Connection>(getConnectionToken()).getClient();
      client.on('commandStarted', (event) => {
        const collection = event.command[event.commandName] as unknown;
        const key = `${event.commandName} ${typeof collection === 'string' ? collection : ''}`;
        commands.set(key, (commands.get(key) ?? 0) + 1);
      });
    }
    sim.setWebhookTarget(`${apps[0].url}/api/zoom/webhook`);
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) if (!closed.has(app)) await app.close();
    await sim?.close();
    apps = [];
    closed = new Set();
  });

  async function sendQuestion(via: TestApp, meetingId: string, title: string): Promise<void> {
    const question = await request(via.url)
      .post('/api/questions')
      .set(auth)
      .send({ title, question_text: 'Pick one', options: ['A', 'B'], correct_answer: 0 })
      .expect(201);
    await request(via.url)
      .post(`/api/questions/${question.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
  }

  function acceptedPosts(): number[] {
    return sim
      .requests()
      .filter((r) => r.method === 'POST' && r.label === 'medium' && r.acceptedAt !== undefined)
      .map((r) => r.acceptedAt as number)
      .sort((a, b) => a - b);
  }

  function count(prefix: string): number {
    let total = 0;
    for (const [key, n] of commands) if (key.startsWith(prefix)) total += n;
    return total;
  }

  it('600 messages from three instances: no 429, no second above 21, at least 95 % of the rate', async () => {
    const { meetingId } = await seedMeeting(sim, { members: FIRST_SEND });
    sim.reset();
    commands.clear();

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    await sendQuestion(apps[1], meetingId, 'Shared budget');
    await waitUntil(
      () => messagesPerRecipient(sim).size >= FIRST_SEND,
      120_000,
      `${FIRST_SEND} recipients messaged`,
      200,
    );

    loop.disable();
    const loopP99 = loop.percentile(99) / 1e6;
    const posts = acceptedPosts();
    const busiest = sim.busiestWindow('medium', 1000);
    const refused = sim.requests().filter((r) => r.status === 429).length;
    // The send occupies one slot per message: from the first slot to the end of the last.
    const seconds = (posts[posts.length - 1] - posts[0] + 1000 / RATE) / 1000;
    const floor = FIRST_SEND / RATE;
    const bookings = count('findAndModify zoom_budgets');
    const perInstance = await sentByInstance();
    console.log(
      [
        `shared budget, 3 instances, ${FIRST_SEND} messages at ${RATE}/s:`,
        `  ${seconds.toFixed(2)} s against a floor of ${floor.toFixed(2)} s: ${((floor / seconds) * 100).toFixed(1)} % of the rate ceiling`,
        `  busiest 1-second window: ${busiest.count} accepted posts; 429s: ${refused}`,
        `  messages per instance: ${perInstance.join(' / ')}`,
        `  event-loop delay p99 ${loopP99.toFixed(1)} ms (three apps and the simulator share this process)`,
        `  budget bookings: ${bookings} (${(bookings / FIRST_SEND).toFixed(3)} per message); ` +
          `all database commands: ${(count('') / FIRST_SEND).toFixed(2)} per message`,
      ].join('\n'),
    );

    expect(messagesPerRecipient(sim).size).toBe(FIRST_SEND);
    expect(Math.max(...messagesPerRecipient(sim).values())).toBe(1);
    expect(refused).toBe(0);
    if (timingJudged(loop)) {
      expect(busiest.count).toBeLessThanOrEqual(RATE + 1);
      expect(seconds).toBeLessThanOrEqual(floor / 0.95);
    }
    for (const sent of perInstance) expect(sent).toBeGreaterThan(FIRST_SEND / 10);
    expect(bookings / FIRST_SEND).toBeLessThan(0.5);
  }, 180_000);

  it('an instance closed mid-send: the others finish, nobody is lost, duplicates bounded by its sends in flight', async () => {
    const { meetingId } = await seedMeeting(sim, { members: SECOND_SEND });
    sim.reset();

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    await sendQuestion(apps[0], meetingId, 'Closed mid-send');
    await waitUntil(() => sim.messages().length >= SECOND_SEND / 4, 60_000, 'a quarter sent', 50);
    const victim = apps[2];
    await victim.close();
    closed.add(victim);

    await waitUntil(
      () => messagesPerRecipient(sim).size >= SECOND_SEND,
      90_000,
      `all ${SECOND_SEND} recipients messaged after the close`,
      200,
    );
    loop.disable();
    const loopP99 = loop.percentile(99) / 1e6;
    const perRecipient = messagesPerRecipient(sim);
    const duplicates = [...perRecipient.values()].filter((n) => n > 1).length;
    console.log(
      `closed one of three instances mid-send: ${perRecipient.size}/${SECOND_SEND} recipients messaged, ` +
        `${duplicates} duplicates, ${sim.requests().filter((r) => r.status === 429).length} 429s, ` +
        `busiest second ${sim.busiestWindow('medium').count}, event-loop delay p99 ${loopP99.toFixed(1)} ms`,
    );
    expect(perRecipient.size).toBe(SECOND_SEND);
    expect(duplicates).toBeLessThanOrEqual(DELIVERY_CONCURRENCY);
    expect(sim.requests().filter((r) => r.status === 429)).toEqual([]);
    if (timingJudged(loop)) {
      expect(sim.busiestWindow('medium').count).toBeLessThanOrEqual(RATE + 1);
    }
  }, 180_000);

  /**
   * The limiter hands out slots one interval apart, each within one interval in all of its time
   * (lateWindow in src/zoom/shared-rate-limiter.ts), and drops one it reaches later; the
   * per-second bounds hold on the simulator's clock while this process runs its timers closely.
   * The simulator records each post's time in this same process, so one stall longer than half a
   * slot records the posts queued behind it together, however well they were spaced when sent (a
   * full run measured p99 24 ms and a busiest second of 25 from one such stall). So the bounds are
   * judged only when no stall exceeded half a slot; otherwise the figures are printed.
   */
  function timingJudged(loop: { percentile(p: number): number; max: number }): boolean {
    const p99 = loop.percentile(99) / 1e6;
    const max = loop.max / 1e6;
    if (max < 1000 / RATE / 2) return true;
    console.warn(
      `event loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms > half a slot: timing bounds not judged`,
    );
    return false;
  }

  /** Sent deliveries per instance (each instance's worker signs what it sent). */
  async function sentByInstance(): Promise<number[]> {
    const connection = apps[0].app.get<Connection>(getConnectionToken());
    const rows = await connection
      .collection('deliveries')
      .aggregate<{ _id: string; n: number }>([
        { $match: { status: 'sent' } },
        { $group: { _id: '$sent_by', n: { $sum: 1 } } },
      ])
      .toArray();
    return rows.map((r) => r.n).sort((a, b) => b - a);
  }
});
