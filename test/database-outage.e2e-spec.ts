/**
 * Database outage (issue 11, defect 8): while the database is unreachable every route answers 503
 * with Retry-After at once (Zoom retries a failed webhook; its budget is 3 s, docs/zoom.md §3),
 * the log says so once when the outage starts and once when it ends, and the service recovers by
 * itself. Uses a database server of its own (the shared Jest one must keep running).
 */
import request from 'supertest';
import { startMongoServer, type MongoServerHandle } from '../tools/mongo-server/launch';
import { startAppProcess, type AppProcess } from './fixtures/app-process';
import { postWebhook, participantEvent, TEST_WEBHOOK_SECRET } from './utils/webhook-helpers';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';

const auth = { 'X-API-Key': TEST_API_KEY };
/** Well apart from the 5 s the service used to take; the status is what the test asserts. */
const GENEROUS_MS = 2500;

function linesMatching(log: string, pattern: RegExp): string[] {
  return log.split('\n').filter((line) => pattern.test(line));
}

async function timed<T>(what: string, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await call();
  const ms = Date.now() - started;
  process.stdout.write(`outage: ${what} answered in ${ms} ms\n`);
  expect(ms).toBeLessThan(GENEROUS_MS);
  return result;
}

describe('Database outage (e2e)', () => {
  let mongo: MongoServerHandle | undefined;
  let app: AppProcess | undefined;
  afterEach(async () => {
    await app?.kill('SIGKILL');
    await mongo?.stop();
  });

  it('answers 503 with Retry-After on API, answer page and webhook, logs the outage once, recovers', async () => {
    mongo = await startMongoServer();
    const port = mongo.port;
    app = await startAppProcess({
      MONGO_URI: `${mongo.uri}/zlq_outage`,
      API_KEYS: TEST_API_KEY,
      ZOOM_WEBHOOK_SECRET_TOKEN: TEST_WEBHOOK_SECRET,
      LOG_LEVEL: 'log',
      DELIVERY_POLL_INTERVAL_MS: '200',
    });
    const url = app.url;
    // Once (Node 24, loaded machine) the first read after start answered 500; it never came
    // back in reruns. Wait for a healthy read, and show the app's log if one was not, so the
    // cause can be found next time instead of failing the outage test on the app's start.
    let firstStatus: number | undefined;
    await waitUntil(
      async () => {
        const { status } = await request(url).get('/api/questions').set(auth);
        firstStatus ??= status;
        return status === 200;
      },
      10_000,
      'a healthy read before the outage',
      200,
    );
    if (firstStatus !== 200) {
      process.stdout.write(`first read answered ${firstStatus}; app output:\n${app.output()}\n`);
    }

    await mongo.stop();
    // The outage has begun for the app once it says so (the 503s below follow from that). Sender
    // lanes that ran into the dead database before it noticed have ended, one way or the other, by
    // the time the log is read after the recovery: that check needs no pause of its own.
    await waitUntil(
      () => linesMatching(app?.output() ?? '', /database unreachable/i).length > 0,
      30_000,
      'the app to notice the database is gone',
    );

    for (let round = 0; round < 2; round++) {
      const api = await timed('GET /api/questions', () =>
        request(url).get('/api/questions').set(auth),
      );
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toMatch(/^\d+$/);
      expect(api.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });

      const page = await timed('GET /q/{token}', () =>
        request(url)
          .get(`/q/${'a'.repeat(43)}`)
          .set('accept', 'text/html'),
      );
      expect(page.status).toBe(503);
      expect(page.headers['retry-after']).toMatch(/^\d+$/);
      expect(page.headers['content-type']).toMatch(/text\/html/);

      const hook = await timed('POST /api/zoom/webhook', () =>
        postWebhook(
          url,
          JSON.stringify(
            participantEvent('joined', {
              meetingId: '85746352413',
              uuid: 'outage-uuid==',
              ts: Date.now(),
              participant: { user_id: '16778240', user_name: 'Ada', email: 'ada@example.com' },
            }),
          ),
        ),
      );
      expect(hook.status).toBe(503);
    }
    // URL validation needs no database, and Zoom stops sending events to an endpoint that fails it.
    const validation = await timed('POST /api/zoom/webhook (url_validation)', () =>
      postWebhook(
        url,
        JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'abc123' } }),
      ),
    );
    expect(validation.status).toBe(200);
    expect(validation.body).toMatchObject({ plainToken: 'abc123' });
    const health = await timed('GET /health', () => request(url).get('/health'));
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'error', database: 'down' });
    const hookHeaders = await fetch(`${url}/api/questions`, { headers: auth });
    expect(hookHeaders.status).toBe(503);
    expect(hookHeaders.headers.get('retry-after')).toMatch(/^\d+$/);
    // The metrics answer through the outage (a bootstrap key needs no database) and show it.
    const metrics = await timed('GET /metrics', () => request(url).get('/metrics').set(auth));
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^zlq_database_up 0$/m);

    mongo = await startMongoServer({ port });
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await request(url).get('/api/questions').set(auth)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
    await request(url).get('/health').expect(200);
    expect((await request(url).get('/metrics').set(auth).expect(200)).text).toMatch(
      /^zlq_database_up 1$/m,
    );

    const log = app.output();
    if (process.env.OUTAGE_LOG) process.stdout.write(log);
    const down = linesMatching(log, /database unreachable/i);
    const up = linesMatching(log, /database reachable again/i);
    const lanes = linesMatching(log, /sender lane stopped/i);
    process.stdout.write(
      `outage log lines: unreachable=${down.length} reachable-again=${up.length} sender-lane-stopped=${lanes.length}\n`,
    );
    expect(down).toHaveLength(1);
    expect(up).toHaveLength(1);
    expect(lanes).toHaveLength(0);
  }, 360_000);
});
