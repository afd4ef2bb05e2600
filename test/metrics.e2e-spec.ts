/**
 * GET /metrics (e2e: app + database + Zoom simulator over HTTP). Each counter is checked against
 * an independent record of the same work: the simulator's own log of the requests it answered,
 * the deliveries the app reports, the statuses the test itself received, and the driver's command
 * events counted by the test (test/utils/command-monitor.ts).
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import http from 'node:http';
import request from 'supertest';
import { MetricsListener } from '../src/metrics/metrics-listener';
import { countCommands } from './utils/command-monitor';
import { createInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { participantEvent, postWebhook } from './utils/webhook-helpers';
import { seedMeeting, startZoomWorld, type ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const CHAT_ROUTE = 'POST /chat/users/{userId}/messages';

/** One sample of the text format: metric name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus' text exposition format (version 0.0.4), comments skipped. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

class Scrape {
  constructor(readonly samples: Sample[]) {}

  /** The sum of the samples named `name` whose labels include `labels` (0 when none). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((s) => s.name === name)
      .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }

  /** Every label value `label` takes on the samples named `name`. */
  labelValues(name: string, label: string): string[] {
    return [...new Set(this.samples.filter((s) => s.name === name).map((s) => s.labels[label]))];
  }
}

async function scrape(url: string): Promise<Scrape> {
  const res = await request(url).get('/metrics').set(auth).expect(200);
  expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return new Scrape(parseMetrics(res.text));
}

describe('GET /metrics', () => {
  let world: ZoomWorld;
  let connection: Connection;

  beforeAll(async () => {
    world = await startZoomWorld({ app: { env: { SEND_WAIT_SECONDS: '20' } } });
    connection = world.app.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => world.close());

  it('is for admins: no key 401, an instructor or assistant key 403, and no second listener unless METRICS_PORT is set', async () => {
    const { app } = world;
    await request(app.url).get('/metrics').expect(401);
    for (const role of ['instructor', 'assistant'] as const) {
      const who = await createInstructor(app, { role });
      await request(app.url).get('/metrics').set('X-API-Key', who.key).expect(403);
    }
    const admin = await createInstructor(app, { role: 'admin' });
    const res = await request(app.url).get('/metrics').set('X-API-Key', admin.key).expect(200);
    expect(res.text).toContain('# TYPE zlq_zoom_requests_total counter');
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(app.app.get(MetricsListener).port()).toBeNull();
  });

  it('counts a webhook, a send through Zoom (a 429 included) and an answer by the right amounts', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 2 });
    const qid = (
      await request(app.url)
        .post('/api/questions')
        .set(auth)
        .send({ title: 'Q', question_text: 'Which?', options: ['A', 'B'], correct_answer: 1 })
        .expect(201)
    ).body.id as string;
    const since = Date.now();
    const commands = countCommands([connection.getClient()]);
    const before = await scrape(app.url);
    const commandsAtStart = commands.total();

    // A webhook acknowledged (200) and an unsigned one refused (401); another meeting, so the
    // send below still goes to the seeded one's people.
    const event = participantEvent('joined', {
      meetingId: '93000000017',
      uuid: 'metrics-uuid==',
      ts: Date.now(),
      participant: { user_id: '9001', user_name: 'Late Comer', participant_uuid: 'late-1' },
    });
    const signed = await postWebhook(app.url, JSON.stringify(event), {
      secret: sim.webhookSecretToken,
    });
    expect(signed.status).toBe(200);
    expect((await postWebhook(app.url, '{}', { signature: null })).status).toBe(401);

    // A send to the two members; Zoom refuses the first post once with a 429.
    sim.setFaults({ burst429: 1 });
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    await waitUntil(
      async () =>
        (await request(app.url).get(`/api/broadcasts/${sent.body.id}`).set(auth)).body.status ===
        'completed',
      60_000,
      'the send to complete',
    );
    const chatStatuses = sim
      .requests()
      .filter((r) => r.at >= since && r.method === 'POST' && r.path.includes('/chat/users/'))
      .map((r) => r.status);
    expect(chatStatuses.filter((s) => s === 201)).toHaveLength(2);
    expect(chatStatuses.filter((s) => s === 429)).toHaveLength(1);

    // One answer stored (200) and a second one refused (409).
    const token = /\/q\/([A-Za-z0-9_-]+)/.exec(sim.messages().at(-1)?.message ?? '')?.[1] ?? '';
    await request(app.url).post(`/q/${token}/answer`).send({ choice: 1 }).expect(200);
    await request(app.url).post(`/q/${token}/answer`).send({ choice: 0 }).expect(409);

    const commandsBeforeScrape = commands.total();
    const after = await scrape(app.url);
    const commandsAfterScrape = commands.total();
    commands.stop();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels);

    expect(delta('zlq_webhook_ack_seconds_count', { status: '200' })).toBe(1);
    expect(delta('zlq_webhook_ack_seconds_count', { status: '401' })).toBe(1);
    expect(delta('zlq_operations_total', { operation: 'webhook_event' })).toBe(1);

    const chat = { label: 'medium', route: CHAT_ROUTE };
    expect(delta('zlq_zoom_requests_total', { ...chat, status: '201' })).toBe(2);
    expect(delta('zlq_zoom_requests_total', { ...chat, status: '429' })).toBe(1);
    expect(delta('zlq_zoom_request_seconds_count', chat)).toBe(3);
    expect(delta('zlq_zoom_rate_limited_total', { label: 'medium', kind: 'per_second' })).toBe(1);
    expect(delta('zlq_zoom_budget_wait_seconds_count', { label: 'medium' })).toBe(3);
    expect(delta('zlq_deliveries_total', { outcome: 'sent' })).toBe(2);
    expect(delta('zlq_deliveries_total', { outcome: 'failed' })).toBe(0);
    expect(delta('zlq_operations_total', { operation: 'delivery' })).toBe(2);

    expect(delta('zlq_answer_seconds_count', { status: '200' })).toBe(1);
    expect(delta('zlq_answer_seconds_count', { status: '409' })).toBe(1);
    expect(delta('zlq_operations_total', { operation: 'answer' })).toBe(1);
    expect(after.value('zlq_answer_seconds_bucket', { status: '200', le: '+Inf' })).toBe(
      after.value('zlq_answer_seconds_count', { status: '200' }),
    );

    // Every command the driver started in between was counted (the scrape itself needs none).
    const counted = delta('zlq_db_commands_total');
    expect(counted).toBeGreaterThanOrEqual(commandsBeforeScrape - commandsAtStart);
    expect(counted).toBeLessThanOrEqual(commandsAfterScrape - commandsAtStart);
    expect(delta('zlq_db_commands_total', { command: 'insert' })).toBeGreaterThan(0);
    expect(after.value('zlq_database_up')).toBe(1);

    // Bounded labels only: route templates, never a user id, an email or a meeting number.
    for (const route of after.labelValues('zlq_zoom_requests_total', 'route')) {
      expect(route).toMatch(/^(GET|POST|PATCH|PUT|DELETE) (\/([a-z_-]+|\{\w+\}))+$/);
    }
    expect(JSON.stringify(after.samples)).not.toMatch(/@example\.com|late-1|metrics-uuid/);
    expect(JSON.stringify(after.samples)).not.toContain(meetingId);
  });

  it('counts the live result streams open on this instance', async () => {
    const { sim, app } = world;
    const { meetingId } = await seedMeeting(sim, { members: 1 });
    const qid = (
      await request(app.url)
        .post('/api/questions')
        .set(auth)
        .send({ title: 'S', question_text: 'Stream?', options: ['A', 'B'], correct_answer: 0 })
        .expect(201)
    ).body.id as string;
    const sent = await request(app.url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    const open = async () => (await scrape(app.url)).value('zlq_live_streams');
    expect(await open()).toBe(0);

    const stream = http.get(`${app.url}/api/broadcasts/${sent.body.id}/stream`, { headers: auth });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      stream.on('response', resolve);
      stream.on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    await waitUntil(async () => (await open()) === 1, 10_000, 'the stream to be counted');
    stream.destroy();
    await waitUntil(async () => (await open()) === 0, 10_000, 'the closed stream to be uncounted');
  });
});

describe('METRICS_PORT: a listener of its own for the scraper', () => {
  let app: TestApp;
  let base: string;

  beforeAll(async () => {
    app = await createTestApp({
      name: 'metrics-port',
      env: { METRICS_PORT: '0', HOST: '127.0.0.1' },
    });
    base = `http://127.0.0.1:${app.app.get(MetricsListener).port()}`;
  });
  afterAll(async () => app.close());

  it('serves /metrics without a key, and nothing else', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const scraped = new Scrape(parseMetrics(await res.text()));
    expect(scraped.labelValues('zlq_operations_total', 'operation').sort()).toEqual([
      'answer',
      'delivery',
      'webhook_event',
    ]);

    for (const path of ['/api/questions', '/health', '/', '/docs-json', '/metrics/x']) {
      const other = await fetch(`${base}${path}`, { headers: auth });
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');

    // The main port still asks for a key.
    await request(app.url).get('/metrics').expect(401);
    await request(app.url).get('/metrics').set(auth).expect(200);
  });

  it('stops listening when the app closes', async () => {
    const other = await createTestApp({
      name: 'metrics-port-close',
      env: { METRICS_PORT: '0', HOST: '127.0.0.1' },
    });
    const port = other.app.get(MetricsListener).port();
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
