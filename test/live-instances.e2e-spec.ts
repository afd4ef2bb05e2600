/**
 * Two instances of the app on one database (issue 17): what one instance learns, the other
 * honours.
 *
 * - Live results: answers stored through B reach a results stream open on A (each once, answers
 *   through A too), within 1 s; many streams of one broadcast on A share one poll.
 * - Credentials: a key revoked through A, and a console session signed out through A, are refused
 *   by B within 5 s (src/common/auth/credential-trust.ts).
 *
 * Arrival and exactly-once are always asserted. The 1 s bound is the feed's behaviour, not the
 * machine's speed: it is asserted while no event-loop stall of this process (both apps and the
 * test share it) exceeded STALL_MS, else the figures are printed (timingJudged), so a loaded
 * machine can be told from a slow feed. The 5 s bounds are hang bounds of waitUntil (no stall can
 * make a stale cache refuse a key it still trusts).
 */
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { Types } from 'mongoose';
import http from 'node:http';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import request from 'supertest';
import { LiveAnswersService } from '../src/answers/live/live-answers.service';
import { COUNT_CHECK_MS, POLL_MS } from '../src/answers/live/polling-answer-feed';
import { answerToken, hashAnswerToken } from '../src/broadcasts/answer-link';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { withCommandMonitoring } from './utils/command-monitor';
import { testMongoUri } from './utils/database';
import { createInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { waitUntil } from './utils/wait';

const admin = { 'X-API-Key': TEST_API_KEY };
/** Issue 17: an answer through one instance on another's stream within this (p99). */
const LIVE_BOUND_MS = 1000;
/** Issue 17: a revocation or sign-out refused everywhere within this. */
const REVOKE_BOUND_MS = 5000;
/** Above this event-loop stall, the 1 s bound is printed, not judged. */
const STALL_MS = 250;
/** Answers in the live test: every fourth through A (its own event and the feed both see it). */
const ANSWERS = 40;

interface StreamEvent {
  at: number;
  name: string;
  answered: number;
}

describe('Two instances on one database: live results and credentials (e2e)', () => {
  let a: TestApp;
  let b: TestApp;
  let broadcasts: Model<Broadcast>;
  let deliveries: Model<Delivery>;
  let meetingSeq = 97000000;
  const open: Array<() => void> = [];
  /** A's queries on the answers collection, as the driver sent them. */
  const answerQueries: Array<{ name: string; filter: Record<string, unknown> }> = [];
  /** Both apps' commands, by `name collection`. */
  const commands = new Map<string, number>();
  const commandCount = (prefix: string): number =>
    [...commands].reduce((sum, [key, n]) => sum + (key.startsWith(prefix) ? n : 0), 0);

  beforeAll(async () => {
    const env = { MONGO_URI: withCommandMonitoring(testMongoUri('live_instances')) };
    a = await createTestApp({ env });
    b = await createTestApp({ env });
    broadcasts = a.app.get(getModelToken(Broadcast.name));
    deliveries = a.app.get(getModelToken(Delivery.name));
    await Promise.all([broadcasts.init(), deliveries.init()]);
    for (const app of [a, b]) {
      app.app
        .get<Connection>(getConnectionToken())
        .getClient()
        .on('commandStarted', (event) => {
          const collection = event.command[event.commandName] as unknown;
          const key = `${event.commandName} ${typeof collection === 'string' ? collection : ''}`;
          commands.set(key, (commands.get(key) ?? 0) + 1);
        });
    }
    a.app
      .get<Connection>(getConnectionToken())
      .getClient()
      .on('commandStarted', (event) => {
        const command = event.command as Record<string, unknown>;
        if (command[event.commandName] !== 'answers') return;
        const filter =
          event.commandName === 'find'
            ? (command.filter as Record<string, unknown>)
            : ((command.pipeline as Array<Record<string, unknown>> | undefined)?.[0]?.$match as
                Record<string, unknown> | undefined);
        answerQueries.push({ name: event.commandName, filter: filter ?? {} });
      });
  }, 60_000);

  /** The feed's polls on A so far (find on answers by broadcast and _id). */
  const polls = () => answerQueries.filter((q) => q.name === 'find' && '_id' in q.filter);
  /** Its count checks (aggregate on answers). */
  const countChecks = () => answerQueries.filter((q) => q.name === 'aggregate');

  afterAll(async () => {
    open.forEach((close) => close());
    await a?.close();
    await b?.close();
  });

  /** A sent question with `people` personal links, stored as the send would have stored it. */
  async function seed(
    people: number,
    mode: 'direct' | 'channel' = 'direct',
  ): Promise<{ id: string; tokens: string[] }> {
    const sentAt = new Date();
    const broadcast = await broadcasts.create({
      meeting_id: String(meetingSeq++),
      kind: 'question',
      question: {
        title: 'Q',
        question_text: 'Which?',
        options: ['A', 'B', 'C'],
        correct_answer: 0,
        time_limit: 600,
        points: 1,
      },
      mode,
      channel_id: mode === 'channel' ? 'chan-1' : null,
      opens_at: sentAt,
    });
    const secret = a.config.answers.tokenSecret;
    const ids = Array.from({ length: people }, () => new Types.ObjectId());
    await deliveries.insertMany(
      ids.map((id, i) => ({
        _id: id,
        broadcast_id: broadcast._id,
        recipient_key: mode === 'channel' ? 'channel:chan-1' : `u-${i}`,
        name: `Student ${i}`,
        email: `student${i}@example.com`,
        status: 'sent',
        available_at: sentAt,
        sent_at: sentAt,
        closes_at: new Date(sentAt.getTime() + 600_000),
        answer_token_hash: hashAnswerToken(answerToken(secret, id)),
      })),
    );
    return { id: broadcast._id.toHexString(), tokens: ids.map((id) => answerToken(secret, id)) };
  }

  /** A results stream on `app`: every event with the answer count it carries. */
  async function stream(app: TestApp, id: string): Promise<{ events: StreamEvent[] }> {
    const state = { events: [] as StreamEvent[] };
    let buffer = '';
    const req = http.get(`${app.url}/api/broadcasts/${id}/stream`, { headers: admin });
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', reject);
    });
    expect(response.statusCode).toBe(200);
    open.push(() => req.destroy());
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!name || !data || name === 'state') continue;
        const answered = (JSON.parse(data) as { answered: number }).answered;
        state.events.push({ at: performance.now(), name, answered });
      }
    });
    await waitUntil(() => state.events.length >= 1, 10_000, 'the first snapshot');
    return state;
  }

  const latest = (s: { events: StreamEvent[] }): number =>
    s.events.length === 0 ? 0 : s.events[s.events.length - 1].answered;

  function timingJudged(loop: IntervalHistogram): boolean {
    const max = loop.max / 1e6;
    if (max < STALL_MS) return true;
    console.warn(
      `event-loop stall of ${max.toFixed(0)} ms > ${STALL_MS} ms: the 1 s bound not judged`,
    );
    return false;
  }

  const quantile = (sorted: number[], q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

  it('answers through B reach a stream on A within 1 s, each once; answers through A too', async () => {
    const { id, tokens } = await seed(ANSWERS);
    const onA = await stream(a, id);
    expect(latest(onA)).toBe(0);

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const delays: number[] = [];
    for (let i = 0; i < ANSWERS; i++) {
      const via = i % 4 === 3 ? a : b;
      await request(via.url)
        .post(`/q/${tokens[i]}/answer`)
        .send({ choice: i % 3 })
        .expect(200);
      // Stored (the answer's response is sent after its insert): from here the feed's clock runs.
      const stored = performance.now();
      await waitUntil(() => latest(onA) >= i + 1, 10_000, `answer ${i + 1} on A's stream`, 5);
      const seen = onA.events.find((e) => e.answered >= i + 1) as StreamEvent;
      if (via === b) delays.push(Math.max(0, seen.at - stored));
    }
    loop.disable();

    // Every answer once: the count never ran ahead of the answers stored and ends at all of them,
    // also after more polls (which re-read recent answers) and a count check of the feed.
    expect(Math.max(...onA.events.map((e) => e.answered))).toBe(ANSWERS);
    const [pollsBefore, checksBefore] = [polls().length, countChecks().length];
    await waitUntil(
      () => polls().length >= pollsBefore + 4 && countChecks().length > checksBefore,
      COUNT_CHECK_MS * 4,
      'more polls and a count check on A',
    );
    expect(Math.max(...onA.events.map((e) => e.answered))).toBe(ANSWERS);
    expect(latest(onA)).toBe(ANSWERS);
    const results = await request(a.url)
      .get(`/api/broadcasts/${id}/results`)
      .set(admin)
      .expect(200);
    expect(results.body.answered).toBe(ANSWERS);

    delays.sort((x, y) => x - y);
    const p50 = quantile(delays, 0.5);
    const p99 = quantile(delays, 0.99);
    console.log(
      `answer through B -> A's stream, ${delays.length} answers: p50 ${p50.toFixed(0)} ms, ` +
        `p99 ${p99.toFixed(0)} ms, max ${delays[delays.length - 1].toFixed(0)} ms ` +
        `(poll every ${POLL_MS} ms; event-loop delay max ${(loop.max / 1e6).toFixed(0)} ms)`,
    );
    expect(delays).toHaveLength((ANSWERS * 3) / 4);
    if (timingJudged(loop)) expect(p99).toBeLessThanOrEqual(LIVE_BOUND_MS);
    open.splice(0).forEach((close) => close());
    await waitUntil(() => a.app.get(LiveAnswersService).followed === 0, 10_000, 'streams closed');
  });

  it('many streams on A share one poll: one query per tick for every broadcast followed', async () => {
    const first = await seed(1);
    const second = await seed(1);
    const streams: Array<{ events: StreamEvent[] }> = [];
    for (let i = 0; i < 3; i++) streams.push(await stream(a, first.id));
    for (let i = 0; i < 3; i++) streams.push(await stream(a, second.id));
    const live = a.app.get(LiveAnswersService);
    expect(live.followed).toBe(2);

    const start = performance.now();
    const before = polls().length;
    await waitUntil(() => polls().length >= before + 8, 10_000, 'eight polls');
    const elapsed = performance.now() - start;
    const recent = polls().slice(before);
    // At most one poll per tick, however many streams (a loaded machine makes fewer, never more).
    expect(recent.length).toBeLessThanOrEqual(Math.ceil(elapsed / POLL_MS) + 1);
    // Each poll asks for both broadcasts at once.
    const last = recent[recent.length - 1].filter as { broadcast_id: { $in: unknown[] } };
    expect(last.broadcast_id.$in.map(String).sort()).toEqual([first.id, second.id].sort());
    console.log(
      `6 streams on 2 broadcasts: ${recent.length} polls in ${elapsed.toFixed(0)} ms ` +
        `(one per ${POLL_MS} ms tick at most)`,
    );

    // An answer through B still reaches all six.
    await request(b.url).post(`/q/${second.tokens[0]}/answer`).send({ choice: 1 }).expect(200);
    await waitUntil(
      () => streams.slice(3).every((s) => latest(s) === 1),
      10_000,
      'the answer on the three streams of its broadcast',
    );
    expect(streams.slice(0, 3).map(latest)).toEqual([0, 0, 0]);

    // The last stream of a broadcast gone: the poll no longer follows it; none left: no poll.
    open.splice(0).forEach((close) => close());
    await waitUntil(() => live.followed === 0, 10_000, 'the feed to follow nothing');
  });

  it('a link takes ANSWERS_PER_LINK_PER_ADDRESS answers from one address across both instances', async () => {
    const limit = a.config.answers.perLinkPerAddress;
    const tries = 3 * limit;
    const answer = (i: number, token: string) =>
      request((i % 2 === 0 ? a : b).url)
        .post(`/q/${token}/answer`)
        .send({ choice: 0, name: `P${i}`, email: `p${i}@example.com` });

    // One after another, alternating A and B (each instance alone would take `limit`).
    const one = await seed(1, 'channel');
    const before = commandCount('');
    const beforeQuota = commandCount('update answer_quotas');
    const statuses: number[] = [];
    for (let i = 0; i < tries; i++) statuses.push((await answer(i, one.tokens[0])).status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(limit);
    expect(statuses.filter((st) => st !== 200).every((st) => st === 429)).toBe(true);
    const quotaCommands = commandCount('update answer_quotas') - beforeQuota;
    console.log(
      `channel link, ${tries} answers one by one through A and B, limit ${limit}: ` +
        `${statuses.filter((st) => st === 200).length} accepted; ` +
        `${(commandCount('') - before) / tries} database commands per answer, of which ` +
        `${quotaCommands / tries} on the shared counters (${quotaCommands} for ${tries})`,
    );

    // All at once: the shared count still holds, the reservations batched.
    const burst = await seed(1, 'channel');
    const burstBefore = commandCount('update answer_quotas');
    const results = await Promise.all(
      Array.from({ length: tries }, (_, i) => answer(i, burst.tokens[0])),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(limit);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 429)).toBe(true);
    console.log(
      `channel link, ${tries} answers at once: ${limit} accepted; ` +
        `${commandCount('update answer_quotas') - burstBefore} commands on the shared counters`,
    );

    // A personal link takes one answer anyway (the unique index): no shared count, no command.
    const direct = await seed(4);
    const directBefore = commandCount('update answer_quotas');
    for (const [i, token] of direct.tokens.entries()) {
      await request((i % 2 === 0 ? a : b).url)
        .post(`/q/${token}/answer`)
        .send({ choice: 0 })
        .expect(200);
    }
    expect(commandCount('update answer_quotas')).toBe(directBefore);
  });

  /** Waits until B refuses what A ended; prints and returns how long that took. */
  async function refusedByB(what: string, refused: () => Promise<boolean>): Promise<number> {
    const ended = performance.now();
    await waitUntil(refused, REVOKE_BOUND_MS, `B to refuse ${what}`, 20);
    const took = performance.now() - ended;
    console.log(`${what} through A refused by B after ${took.toFixed(0)} ms`);
    return took;
  }

  it('a key revoked through A is refused by B within 5 s', async () => {
    const who = await createInstructor(a, { role: 'instructor' });
    const key = { 'X-API-Key': who.key };
    // B has read the key (and caches it).
    await request(b.url).get('/api/me').set(key).expect(200);
    await request(b.url).get('/api/me').set(key).expect(200);
    await request(a.url)
      .delete(`/api/instructors/${who.id}/api-keys/${who.keyId}`)
      .set(admin)
      .expect(204);
    await request(a.url).get('/api/me').set(key).expect(401);
    await refusedByB(
      'a revoked key',
      async () => (await request(b.url).get('/api/me').set(key)).status === 401,
    );
  });

  it('a console session signed out through A is refused by B within 5 s', async () => {
    const who = await createInstructor(a, { role: 'instructor' });
    const cookie = await signIn(a, who.key);
    const page = await request(a.url).get('/console/questions').set('cookie', cookie).expect(200);
    const csrf = /<meta name="csrf-token" content="([^"]*)"/.exec(page.text)?.[1] ?? '';
    await request(b.url).get('/api/me').set('cookie', cookie).expect(200);
    await request(a.url)
      .post('/console/logout')
      .set({ cookie, origin: a.url })
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    await request(a.url).get('/api/me').set('cookie', cookie).expect(401);
    await refusedByB(
      'a signed-out session',
      async () => (await request(b.url).get('/api/me').set('cookie', cookie)).status === 401,
    );
  });

  it("a session whose key was revoked through A is refused by B within 5 s (caches don't stack)", async () => {
    const who = await createInstructor(a, { role: 'instructor' });
    const cookie = await signIn(a, who.key);
    await request(b.url).get('/api/me').set('cookie', cookie).expect(200);
    await request(a.url)
      .delete(`/api/instructors/${who.id}/api-keys/${who.keyId}`)
      .set(admin)
      .expect(204);
    await refusedByB(
      'a session of a revoked key',
      async () => (await request(b.url).get('/api/me').set('cookie', cookie)).status === 401,
    );
  });

  /** Signs in to A's console with `key`; the session cookie ("name=value"). */
  async function signIn(app: TestApp, key: string): Promise<string> {
    const form = await request(app.url).get('/console').expect(200);
    const pre = ((form.headers['set-cookie'] as unknown as string[] | undefined) ?? []).map(
      (c) => c.split(';')[0],
    );
    const token = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const res = await request(app.url)
      .post('/console/session')
      .set({ cookie: pre.join('; '), origin: app.url })
      .type('form')
      .send({ api_key: key, _csrf: token })
      .expect(303);
    const session = (res.headers['set-cookie'] as unknown as string[])
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('zlq_console='));
    if (!session) throw new Error('no session cookie');
    return session;
  }
});
