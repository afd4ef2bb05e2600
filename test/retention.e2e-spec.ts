/**
 * DATA_RETENTION_DAYS: two instances on one database, each with a clock the test sets ahead in
 * time, purge a meeting's people, sends, deliveries and answers once they are older than the
 * retention period; one instance runs the purge (the lease), a repeat removes nothing, and the
 * question bank stays.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { RetentionService } from '../src/privacy/retention.service';
import { createInstructor } from './utils/instructors';
import { SettableClock } from './utils/settable-clock';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { seedMeeting, startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const DAY_MS = 24 * 60 * 60 * 1000;
const PERSONAL = [
  'participants',
  'meeting_occurrences',
  'broadcasts',
  'deliveries',
  'answers',
  'meeting_hosts',
];

describe('Retention (e2e: two instances, one database, a settable clock)', () => {
  let world: ZoomWorld;
  let second: TestApp;
  const clocks = [new SettableClock(), new SettableClock()];
  let connection: Connection;

  beforeAll(async () => {
    world = await startZoomWorld({
      app: {
        name: 'retention',
        env: { DATA_RETENTION_DAYS: '30' },
        customize: (b) => clocks[0].install(b),
      },
    });
    second = await createTestApp({
      env: { MONGO_URI: world.app.config.mongoUri, DATA_RETENTION_DAYS: '30' },
      customize: (b) => clocks[1].install(b),
    });
    connection = world.app.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => {
    await second?.close();
    await world?.close();
  });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of [...PERSONAL, 'questions']) {
      out[name] = await connection.collection(name).countDocuments();
    }
    return out;
  }

  it('purges what is older than DATA_RETENTION_DAYS, on one instance at a time', async () => {
    const url = world.app.url;
    const { meetingId } = await seedMeeting(world.sim, { members: 2 });
    const question = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Q', question_text: 'One?', options: ['1', '2'], correct_answer: 0 })
      .expect(201);
    const sent = await request(url)
      .post(`/api/questions/${question.body.id as string}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    const broadcastId = sent.body.id as string;
    const deadline = Date.now() + 30_000;
    let token = '';
    while (token === '') {
      const link = world.sim.messages().find((m) => /\/q\//.test(m.message));
      token = /\/q\/([A-Za-z0-9_-]+)/.exec(link?.message ?? '')?.[1] ?? '';
      if (token === '' && Date.now() > deadline) throw new Error('no message sent');
      if (token === '') await new Promise((r) => setTimeout(r, 100));
    }
    await request(url).post(`/q/${token}/answer`).send({ choice: 0 }).expect(200);
    // A host check remembers what Zoom said about the meeting's host (a person's email and id).
    const instructor = await createInstructor(world.app, { role: 'instructor' });
    await request(url)
      .get(`/api/meetings/${meetingId}/participants`)
      .set('X-API-Key', instructor.key)
      .expect(403);
    const before = await counts();
    for (const name of PERSONAL) expect(before[name]).toBeGreaterThan(0);

    const services = [world.app.app, second.app].map((app) => app.get(RetentionService));

    // 29 days on: a purge runs and nothing is old enough yet.
    for (const clock of clocks) clock.set(Date.now() + 29 * DAY_MS);
    const early = (await Promise.all(services.map((s) => s.runIfDue()))).filter((r) => r !== null);
    expect(early).toHaveLength(1);
    expect(Object.values(early[0] ?? {})).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(await counts()).toEqual(before);

    // 31 days on, both instances find the purge due at once: one runs it.
    for (const clock of clocks) clock.set(Date.now() + 31 * DAY_MS);
    const runs = await Promise.all(services.map((s) => s.runIfDue()));
    const ran = runs.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toEqual({
      participants: before.participants,
      meeting_occurrences: before.meeting_occurrences,
      broadcasts: before.broadcasts,
      deliveries: before.deliveries,
      answers: before.answers,
      meeting_hosts: before.meeting_hosts,
      runs: 0,
    });
    const after = await counts();
    for (const name of PERSONAL) expect(after[name]).toBe(0);
    expect(after.questions).toBe(before.questions);
    await request(url).get(`/api/broadcasts/${broadcastId}`).set(auth).expect(404);

    // Not due again within the hour on either instance; a repeated purge removes nothing.
    expect(await Promise.all(services.map((s) => s.runIfDue()))).toEqual([null, null]);
    expect(Object.values(await services[1].purge(new Date(Date.now() + 30 * DAY_MS)))).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    // An hour later it is due again (and finds nothing).
    for (const clock of clocks) clock.set(Date.now() + 31 * DAY_MS + 61 * 60 * 1000);
    expect((await Promise.all(services.map((s) => s.runIfDue()))).filter(Boolean)).toHaveLength(1);

    // The run that removed something is in the audit log, as the service's own action.
    const audit = await request(url)
      .get('/api/audit?action=retention.purged')
      .set(auth)
      .expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor_id: null,
      actor_role: 'system',
      key_prefix: null,
      details: { retention_days: 30, answers: before.answers },
    });
  });
});
