/**
 * Anonymous questions end to end (issue 15): sent through the Zoom simulator, answered on each
 * person's own link, and then THE search: every document of every collection is read, and
 * nothing links a person (name, email, Zoom ids, person key, delivery, answer token) to an
 * answer, while the answers are there and the deliveries say that they were answered.
 */
import { Logger, type LoggerService } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { isDeepStrictEqual } from 'node:util';
import { Types, type Connection } from 'mongoose';
import request from 'supertest';
import type { ZoomSimulator } from '../tools/zoom-simulator';
import { hashAnswerToken } from '../src/broadcasts/answer-link';
import type { AnswerEvent } from '../src/answers/answer.types';
import { AnswersRepository } from '../src/answers/answers.repository';
import { AnswersService } from '../src/answers/answers.service';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { SENDER_EMAIL, startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const FORM = 'application/x-www-form-urlencoded';

interface Member {
  name: string;
  email: string;
  zoomUserId: string;
  participantUuid: string;
  joinUserId: string;
  /** From the Team Chat message, once sent. */
  token: string;
}

type Doc = Record<string, unknown>;

/** Every document of every collection, by collection. */
async function everyDocument(connection: Connection): Promise<Map<string, Doc[]>> {
  const db = connection.db;
  if (!db) throw new Error('no database');
  const out = new Map<string, Doc[]>();
  for (const { name } of await db.listCollections().toArray()) {
    out.set(name, await db.collection(name).find({}).sort({ _id: 1 }).toArray());
  }
  return out;
}

/** Every leaf value of a document, as text (ObjectIds as hex, dates as ISO). */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (isObjectId(value)) out.push(value.toHexString());
  else if (value instanceof Date) out.push(value.toISOString());
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) leaves(v, out);
  } else out.push(JSON.stringify(value));
  return out;
}

/** The driver's ObjectId, whichever copy of the bson package made it. */
function isObjectId(value: unknown): value is Types.ObjectId {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _bsontype?: unknown })._bsontype === 'ObjectId'
  );
}

/** The values in `doc` that contain one of `needles` (case-insensitive). */
function found(doc: unknown, needles: string[]): string[] {
  const lowered = needles.map((n) => n.toLowerCase());
  return leaves(doc).filter((leaf) => lowered.some((n) => leaf.toLowerCase().includes(n)));
}

function linksSince(sim: ZoomSimulator, since: number): Map<string, string> {
  const links = new Map<string, string>();
  for (const m of sim.messages().slice(since)) {
    const token = /\/q\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
    if (token) links.set(m.to_contact ?? m.to_channel ?? '?', token);
  }
  return links;
}

/** Collects every log line the app writes, at every level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private capture = (...parts: unknown[]) => this.lines.push(JSON.stringify(parts));
  log = this.capture;
  error = this.capture;
  warn = this.capture;
  debug = this.capture;
  verbose = this.capture;
  fatal = this.capture;
}

describe('Anonymous questions (e2e: app + database + Zoom simulator)', () => {
  let world: ZoomWorld;
  let url: string;
  let connection: Connection;
  let meetingId: string;
  let questionId: string;
  const members: Member[] = [];

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
    connection = world.app.app.get<Connection>(getConnectionToken());
    const { sim } = world;
    const meeting = sim.createMeeting({
      topic: 'Anonymous poll',
      continuousChat: true,
      hostEmail: SENDER_EMAIL,
    });
    meetingId = String(meeting.id);
    sim.startMeeting(meetingId);
    // Distinctive values, so a search for them cannot hit unrelated text.
    for (const [i, name] of [
      'Adalind Quorwick',
      'Bertram Vellacott',
      'Cyrilla Hawksmoor',
      'Desmond Farthingale',
    ].entries()) {
      const email = `${name.split(' ')[0].toLowerCase()}.anon-test@example.com`;
      const user = sim.addUser({
        id: `zu-anon-${i}-${name.split(' ')[1].toLowerCase()}`,
        email,
        name,
      });
      const joined = sim.join(meetingId, { name, email, zoomUserId: user.id });
      members.push({
        name,
        email,
        zoomUserId: user.id,
        participantUuid: joined.participant_uuid,
        joinUserId: joined.user_id,
        token: '',
      });
    }
    sim.join(meetingId, { name: 'Guest Without Account', zoomUserId: '' });
    await sim.flushWebhooks();
    const created = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({
        title: 'Mood',
        question_text: 'Which city would you rather visit?',
        options: ['Berlin', 'Paris', 'Rome'],
        correct_answer: 1,
        time_limit: 120,
        points: 100,
      })
      .expect(201);
    questionId = created.body.id as string;
  });
  afterAll(async () => world.close());

  async function waitForCompletion(id: string): Promise<void> {
    await waitUntil(
      async () => {
        const res = await request(url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
        return res.body.status === 'completed';
      },
      30_000,
      `broadcast ${id} to complete`,
    );
  }

  it('refuses anonymous with mode "channel" (400 with the reason); the link route stores it', async () => {
    const refused = await request(url)
      .post(`/api/questions/${questionId}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, mode: 'channel', anonymous: true })
      .expect(400);
    expect(refused.body.message).toMatch(/anonymous.*"channel".*identity/);
    expect(refused.body.details).toEqual([
      { field: 'anonymous', errors: ['anonymous is not possible with mode "channel"'] },
    ]);
    const list = await request(url).get(`/api/meetings/${meetingId}/broadcasts`).set(auth);
    expect(list.body.items ?? []).toHaveLength(0);

    await request(url)
      .post(`/api/questions/${questionId}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, anonymous: 'yes' })
      .expect(400);

    const link = await request(url).post('/api/send-question').set(auth).send({
      question_link: 'https://forms.example.com/anon',
      meeting_id: meetingId,
      anonymous: true,
    });
    expect([200, 202]).toContain(link.status);
    const stored = await request(url)
      .get(`/api/broadcasts/${link.body.broadcast_id as string}`)
      .set(auth)
      .expect(200);
    expect(stored.body).toMatchObject({ kind: 'link', anonymous: true });
    await waitForCompletion(link.body.broadcast_id as string);
  });

  it('after an anonymous run, no document in any collection links a person to an answer', async () => {
    const { sim } = world;
    const since = sim.messages().length;
    const sent = await request(url)
      .post(`/api/questions/${questionId}/send`)
      .set(auth)
      .set('Idempotency-Key', 'anonymous-run-1')
      .send({ meeting_id: meetingId, anonymous: true })
      .expect(202);
    const broadcastId = sent.body.id as string;
    expect(sent.body.anonymous).toBe(true);
    await waitForCompletion(broadcastId);
    const links = linksSince(sim, since);
    for (const m of members) m.token = links.get(m.email) ?? '';
    expect(members.every((m) => m.token !== '')).toBe(true);
    const [ada, bert, cyrilla, desmond] = members;

    const before = await everyDocument(connection);
    const deliveriesBefore = (before.get('deliveries') ?? []).filter(
      (d) => String(d.broadcast_id) === broadcastId,
    );
    const deliveryOf = new Map(
      members.map((m) => [
        m.email,
        deliveriesBefore.find((d) => d.email === m.email) as Doc & { _id: Types.ObjectId },
      ]),
    );

    // The answer phase: its log lines and live events are searched too.
    const logger = new CapturingLogger();
    world.app.app.useLogger(logger);
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
    new Logger('Probe').warn('log capture works');
    const events: AnswerEvent[] = [];
    const answersService = world.app.app.get(AnswersService);
    const onAnswer = (event: AnswerEvent) => events.push(event);
    answersService.events.on('answer', onAnswer);
    try {
      const right = await request(url)
        .post(`/q/${ada.token}/answer`)
        .set('accept-language', 'fr-CH, fr;q=0.9')
        .send({ choice: 1 })
        .expect(200);
      // No speed factor on an anonymous answer (it would encode the latency): full points.
      expect(right.body).toMatchObject({ choice: 1, correct: true, score: 100, latency_ms: null });
      await request(url).post(`/q/${bert.token}/answer`).type(FORM).send('choice=2').expect(200);
      await request(url).post(`/q/${cyrilla.token}/answer`).send({ choice: 1 }).expect(200);
      // Counted once per link, though the answer names no one.
      const again = await request(url)
        .post(`/q/${ada.token}/answer`)
        .send({ choice: 0 })
        .expect(409);
      expect(again.body.message).toMatch(/already answered/);
      const page = await request(url).get(`/q/${ada.token}`).expect(200);
      expect(page.text).toContain('already answered');
      await request(url).get(`/q/${desmond.token}`).expect(200);
    } finally {
      answersService.events.off('answer', onAnswer);
    }
    expect(logger.lines.some((l) => l.includes('log capture works'))).toBe(true);

    const after = await everyDocument(connection);
    const answers = (after.get('answers') ?? []).filter(
      (a) => String(a.broadcast_id) === broadcastId,
    );

    // The answers are there, with their values and nothing of the person.
    expect(answers).toHaveLength(3);
    expect(answers.map((a) => a.choice).sort()).toEqual([1, 1, 2]);
    for (const a of answers) {
      expect(a).toMatchObject({
        anonymous: true,
        name: '',
        email: null,
        self_reported: false,
        delivery_id: null,
        latency_ms: null,
      });
      expect(a.recipient_key).toMatch(/^anon:[0-9a-f]{32}$/);
    }
    expect(answers.map((a) => a.lang).sort()).toEqual(['en', 'en', 'fr']);

    // Everything that identifies a person, or opens their link.
    const identities = members.flatMap((m) => {
      const delivery = deliveryOf.get(m.email);
      return [
        m.name,
        m.email,
        m.zoomUserId,
        m.participantUuid,
        m.joinUserId,
        m.token,
        hashAnswerToken(m.token),
        delivery ? delivery._id.toHexString() : 'missing delivery',
      ];
    });
    for (const a of answers) expect(found(a, identities)).toEqual([]);

    // No other document mentions an answer (its id or key)...
    const answerRefs = answers.flatMap((a) => [
      (a._id as Types.ObjectId).toHexString(),
      a.recipient_key as string,
    ]);
    for (const [name, docs] of after) {
      if (name === 'answers') continue;
      for (const doc of docs)
        expect({ name, refs: found(doc, answerRefs) }).toEqual({ name, refs: [] });
    }
    // ...and answering changed nothing anywhere but the new answers and the answered flags: no
    // time, status or counter on the delivery (or anything else) pairs it with an answer.
    for (const [name, docs] of after) {
      if (name === 'answers') continue;
      const was = before.get(name) ?? [];
      const expected =
        name === 'deliveries'
          ? was.map((d) =>
              [ada, bert, cyrilla].some((m) =>
                deliveryOf.get(m.email)?._id.equals(d._id as Types.ObjectId),
              )
                ? { ...d, answered: true }
                : d,
            )
          : was;
      expect({ name, same: isDeepStrictEqual(docs, expected) }).toEqual({ name, same: true });
    }
    // The join an answer's time would allow: answered_at − latency = the recipient's sent_at.
    const sentAts = deliveriesBefore.map((d) => (d.sent_at as Date | null)?.getTime());
    for (const a of answers) {
      const latency = a.latency_ms as number | null;
      if (latency !== null) {
        expect(sentAts).not.toContain((a.answered_at as Date).getTime() - latency);
      }
    }

    // The deliveries say who answered (for reminders), never what.
    const deliveries = (after.get('deliveries') ?? []).filter(
      (d) => String(d.broadcast_id) === broadcastId,
    );
    const answered = deliveries.filter((d) => d.answered === true).map((d) => d.email);
    expect(answered.sort()).toEqual([ada.email, bert.email, cyrilla.email].sort());

    // Live events and log lines carry nothing of the person either.
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(found(e, identities)).toEqual([]);
      expect(e).toMatchObject({ broadcastId, anonymous: true });
    }
    expect(logger.lines.flatMap((l) => found(l, identities))).toEqual([]);

    // The results tell who has not answered from the deliveries' flags (reminders go to them).
    const results = await request(url)
      .get(`/api/broadcasts/${broadcastId}/results`)
      .set(auth)
      .expect(200);
    expect(results.body.responses).toEqual([]);
    expect(results.body.non_responders.map((n: { name: string }) => n.name).sort()).toEqual(
      [desmond.name, 'Guest Without Account'].sort(),
    );
  });

  it("the console's send form sends anonymously when its anonymous box is ticked", async () => {
    const cookies = new Map<string, string>();
    const jar = (res: request.Response) => {
      const set = res.headers['set-cookie'] as unknown as string[] | undefined;
      for (const c of set ?? []) {
        const [name, value] = c.split(';')[0].split('=');
        cookies.set(name, value);
      }
      return res;
    };
    const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const origin = new URL(url).origin;
    const post = async (path: string, form: Record<string, string>) =>
      jar(
        await request(url)
          .post(path)
          .set({ cookie: cookie(), origin })
          .type(FORM)
          .send(new URLSearchParams(form).toString()),
      );
    const signIn = jar(await request(url).get('/console'));
    const token = /name="_csrf" value="([^"]+)"/.exec(signIn.text)?.[1] ?? '';
    expect((await post('/console/session', { api_key: TEST_API_KEY, _csrf: token })).status).toBe(
      303,
    );
    const room = jar(
      await request(url).get(`/console/meetings/${meetingId}`).set('cookie', cookie()),
    );
    const csrf = /<meta name="csrf-token" content="([^"]*)"/.exec(room.text)?.[1] ?? '';
    const created = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Console', question_text: 'Sent from the console?', options: ['Yes', 'No'] })
      .expect(201);
    const form = { _csrf: csrf, question_id: created.body.id as string, anonymous: 'on' };

    const channel = await post(`/console/meetings/${meetingId}/send`, { ...form, mode: 'channel' });
    expect(channel.status).toBe(400);
    expect(channel.text).toContain('cannot be sent with mode');

    const direct = await post(`/console/meetings/${meetingId}/send`, { ...form, mode: 'direct' });
    expect(direct.status).toBe(303);
    const id = /\/console\/broadcasts\/([0-9a-f]{24})/.exec(String(direct.headers.location))?.[1];
    const sent = await request(url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
    expect(sent.body.anonymous).toBe(true);
    await waitForCompletion(id ?? '');
  });

  it('concurrent answers on one anonymous link: exactly one is stored, the others get 409', async () => {
    const created = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Race', question_text: 'Quick?', options: ['Yes', 'No'] })
      .expect(201);
    const since = world.sim.messages().length;
    const sent = await request(url)
      .post(`/api/questions/${created.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, anonymous: true })
      .expect(202);
    const broadcastId = sent.body.id as string;
    await waitForCompletion(broadcastId);
    const token = linksSince(world.sim, since).get(members[3].email) ?? '';
    const statuses = await Promise.all(
      [0, 1, 0, 1].map(async (choice) => {
        const res = await request(url).post(`/q/${token}/answer`).send({ choice });
        return res.status;
      }),
    );
    expect(statuses.sort()).toEqual([200, 409, 409, 409]);
    const stored = await connection
      .collection('answers')
      .countDocuments({ broadcast_id: new Types.ObjectId(broadcastId) });
    expect(stored).toBe(1);
  });

  it('an anonymous answer that could not be stored frees its link for another try', async () => {
    const created = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Retry', question_text: 'Again?', options: ['Yes', 'No'] })
      .expect(201);
    const since = world.sim.messages().length;
    const sent = await request(url)
      .post(`/api/questions/${created.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId, anonymous: true })
      .expect(202);
    const broadcastId = sent.body.id as string;
    await waitForCompletion(broadcastId);
    const token = linksSince(world.sim, since).get(members[3].email) ?? '';
    // One failed write (the database refusing it), injected where the answer is written.
    const repository = world.app.app.get(AnswersRepository, { strict: false });
    jest.spyOn(repository, 'insertFirst').mockRejectedValueOnce(new Error('write refused'));
    await request(url).post(`/q/${token}/answer`).send({ choice: 0 }).expect(500);
    const delivery = await connection
      .collection('deliveries')
      .findOne({ broadcast_id: new Types.ObjectId(broadcastId), email: members[3].email });
    expect(delivery?.answered).toBe(false);
    await request(url).post(`/q/${token}/answer`).send({ choice: 1 }).expect(200);
    await request(url).post(`/q/${token}/answer`).send({ choice: 1 }).expect(409);
  });
});
