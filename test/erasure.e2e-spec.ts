/**
 * DELETE /api/people/{email} after a realistic flow through the Zoom simulator: the person's
 * joins in two meetings, a direct send and their answer, a channel answer typed with their
 * email, and a send through the original API with an Idempotency-Key (whose kept answer lists
 * recipients). Afterwards no document in any collection holds their email or Zoom ids, and the
 * other person's data is all still there.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import type { ZoomSimulator } from '../tools/zoom-simulator';
import { createInstructor } from './utils/instructors';
import { TEST_API_KEY } from './utils/test-app';
import { SENDER_EMAIL, startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };

interface Person {
  email: string;
  zoomUserId: string;
  participantUuids: string[];
}

async function waitForCompletion(url: string, id: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await request(url).get(`/api/broadcasts/${id}`).set(auth).expect(200);
    if (res.body.status === 'completed') return;
    if (Date.now() > deadline) throw new Error(`broadcast ${id} did not complete`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function linksSince(sim: ZoomSimulator, since: number): Map<string, string> {
  const links = new Map<string, string>();
  for (const m of sim.messages().slice(since)) {
    const token = /\/q\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
    if (token) links.set(m.to_contact ?? m.to_channel ?? '?', token);
  }
  return links;
}

/** Every document of every collection, as JSON, with its collection's name. */
async function everyDocument(connection: Connection): Promise<Array<[string, string]>> {
  const db = connection.db;
  if (!db) throw new Error('no database');
  const out: Array<[string, string]> = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      out.push([name, JSON.stringify(doc)]);
    }
  }
  return out;
}

function holding(docs: Array<[string, string]>, values: string[]): Array<[string, string]> {
  const lowered = values.map((v) => v.toLowerCase());
  return docs.filter(([, json]) => lowered.some((v) => json.toLowerCase().includes(v)));
}

describe('Erasure of one person (e2e: app + database + Zoom simulator)', () => {
  let world: ZoomWorld;
  let url: string;
  let connection: Connection;
  const ada: Person = { email: 'ada.erased@example.com', zoomUserId: '', participantUuids: [] };
  const bob: Person = { email: 'bob.kept@example.com', zoomUserId: '', participantUuids: [] };

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
    connection = world.app.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => world.close());

  it('removes every trace of the person and nothing of anyone else', async () => {
    const { sim } = world;
    const meetings = [1, 2].map((n) => {
      const meeting = sim.createMeeting({
        topic: `Class ${n}`,
        continuousChat: true,
        hostEmail: SENDER_EMAIL,
      });
      sim.startMeeting(String(meeting.id));
      return String(meeting.id);
    });
    for (const person of [ada, bob]) {
      const user = sim.addUser({ email: person.email, name: person.email.split('.')[0] });
      person.zoomUserId = user.id;
      for (const meetingId of meetings) {
        const joined = sim.join(meetingId, {
          name: person.email.split('.')[0],
          email: person.email,
          zoomUserId: user.id,
        });
        person.participantUuids.push(joined.participant_uuid);
      }
    }
    // A third meeting Ada joins where Zoom gives her user id but no email: found by that id.
    const third = sim.createMeeting({ topic: 'Class 3', hostEmail: SENDER_EMAIL });
    sim.startMeeting(String(third.id));
    const anonymous = sim.join(String(third.id), { name: 'Ada', zoomUserId: ada.zoomUserId });
    ada.participantUuids.push(anonymous.participant_uuid);
    await sim.flushWebhooks();

    const question = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({ title: 'Q', question_text: 'Two plus two?', options: ['3', '4'], correct_answer: 1 })
      .expect(201);
    const qid = question.body.id as string;

    // A direct send: each answers on their personal link.
    let before = sim.messages().length;
    const direct = await request(url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetings[0] })
      .expect(202);
    await waitForCompletion(url, direct.body.id as string);
    const links = linksSince(sim, before);
    for (const person of [ada, bob]) {
      await request(url)
        .post(`/q/${links.get(person.email) ?? ''}/answer`)
        .send({ choice: 1 })
        .expect(200);
    }

    // A channel send in the second meeting: Ada types her email (in capitals), Bob his.
    before = sim.messages().length;
    const channel = await request(url)
      .post(`/api/questions/${qid}/send`)
      .set(auth)
      .send({ meeting_id: meetings[1], mode: 'channel' })
      .expect(202);
    await waitForCompletion(url, channel.body.id as string);
    const [shared] = [...linksSince(sim, before).values()];
    await request(url)
      .post(`/q/${shared}/answer`)
      .send({ choice: 0, name: 'Ada', email: ada.email.toUpperCase() })
      .expect(200);
    await request(url)
      .post(`/q/${shared}/answer`)
      .send({ choice: 1, name: 'Bob', email: bob.email })
      .expect(200);

    // The original API with an Idempotency-Key keeps its answer, which lists every recipient.
    await request(url)
      .post('/api/send-question')
      .set(auth)
      .set('Idempotency-Key', 'erasure-test-1')
      .send({ meeting_id: meetings[1], question_link: 'https://forms.example.com/1' })
      .expect((res) => expect([200, 202]).toContain(res.status));

    const adaValues = [ada.email, ada.zoomUserId, ...ada.participantUuids];
    const bobValues = [bob.email, bob.zoomUserId, ...bob.participantUuids];
    const beforeErasure = await everyDocument(connection);
    const adaCollections = new Set(holding(beforeErasure, adaValues).map(([name]) => name));
    // The flow did put her in each collection that keeps people (else the test proves nothing).
    for (const name of ['participants', 'deliveries', 'answers', 'idempotency_keys']) {
      expect(adaCollections).toContain(name);
    }
    const bobBefore = holding(beforeErasure, bobValues);

    const erased = await request(url)
      .delete(`/api/people/${encodeURIComponent('Ada.Erased@Example.com')}`)
      .set(auth)
      .expect(200);
    expect(erased.body).toEqual({
      removed: {
        participants: 3,
        deliveries: 2,
        answers: 2,
        idempotency_keys: 1,
        meeting_hosts: 0,
        roster_entries: 0,
        run_progress: 0,
      },
    });

    const after = await everyDocument(connection);
    expect(holding(after, adaValues)).toEqual([]);
    // Bob's documents are all there, unchanged, except the kept answer Ada was removed from.
    const bobAfter = holding(after, bobValues);
    expect(bobAfter.filter(([name]) => name !== 'idempotency_keys')).toEqual(
      bobBefore.filter(([name]) => name !== 'idempotency_keys'),
    );
    expect(bobAfter.filter(([name]) => name === 'idempotency_keys')).toHaveLength(1);

    // Ada's link no longer opens; Bob's results still count his answers.
    await request(url)
      .get(`/q/${links.get(ada.email) ?? ''}`)
      .expect(404);
    const results = await request(url)
      .get(`/api/broadcasts/${direct.body.id as string}/results`)
      .set(auth)
      .expect(200);
    expect(results.body.answered).toBe(1);

    // The erasure is audited with its counts (and, per the scan above, without the email).
    const audit = await request(url).get('/api/audit?action=person.erased').set(auth).expect(200);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      target_type: 'person',
      target_id: null,
      details: {
        participants: 3,
        deliveries: 2,
        answers: 2,
        idempotency_keys: 1,
        meeting_hosts: 0,
        roster_entries: 0,
        run_progress: 0,
      },
    });
  });

  it('removes what Zoom said about meetings the person hosts (remembered by host checks)', async () => {
    const { sim } = world;
    const email = 'carol.student@example.com';
    const student = sim.addUser({ email, name: 'Carol' });
    // Carol attends a class...
    const lesson = sim.createMeeting({ topic: 'Class', hostEmail: 'prof.h@example.com' });
    sim.startMeeting(String(lesson.id));
    sim.join(String(lesson.id), { name: 'Carol', email, zoomUserId: student.id });
    await sim.flushWebhooks();
    // ...and hosts a study group of her own, which an instructor asked about (and was refused).
    const studyGroup = sim.createMeeting({ topic: 'Study group', hostEmail: email });
    const instructor = await createInstructor(world.app, { role: 'instructor' });
    await request(url)
      .get(`/api/meetings/${String(studyGroup.id)}/participants`)
      .set('X-API-Key', instructor.key)
      .expect(403);
    const values = [email, student.id];
    expect(holding(await everyDocument(connection), values).map(([name]) => name)).toContain(
      'meeting_hosts',
    );

    const erased = await request(url)
      .delete(`/api/people/${encodeURIComponent(email)}`)
      .set(auth)
      .expect(200);
    expect(erased.body.removed).toMatchObject({ participants: 1, meeting_hosts: 1 });
    expect(holding(await everyDocument(connection), values)).toEqual([]);
  });

  it('answers zeros for an email nobody used, and 400 for one that is not an email', async () => {
    const unknown = await request(url)
      .delete('/api/people/nobody%40example.com')
      .set(auth)
      .expect(200);
    expect(unknown.body).toEqual({
      removed: {
        participants: 0,
        deliveries: 0,
        answers: 0,
        idempotency_keys: 0,
        meeting_hosts: 0,
        roster_entries: 0,
        run_progress: 0,
      },
    });
    // Long but valid: up to 254 characters fit in the path.
    const long = `${'x'.repeat(64)}%40${'d'.repeat(60)}.${'e'.repeat(60)}.example.com`;
    await request(url).delete(`/api/people/${long}`).set(auth).expect(200);
    for (const bad of ['not-an-email', 'a%40b', `${'x'.repeat(120)}%40example.com`]) {
      const res = await request(url).delete(`/api/people/${bad}`).set(auth).expect(400);
      expect(res.body.message).toMatch(/email/);
    }
    await request(url).delete('/api/people/nobody%40example.com').expect(401);
  });
});
