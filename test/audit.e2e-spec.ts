/**
 * The audit log over HTTP: the audited routes record who did what on which target and meeting,
 * with the request id and status; failed requests are not recorded; GET /api/audit filters and
 * pages newest first; no entry holds a key, a token, a body or a participant's email.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { AUDIT_ACTION_NAMES } from '../src/audit/audit-actions';
import { createInstructor } from './utils/instructors';
import { TEST_API_KEY, TEST_API_KEY_2 } from './utils/test-app';
import { seedMeeting, startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
/** A bootstrap key's name in the log: a label from its hash, no character of the key itself. */
const bootLabel = (key: string) =>
  `boot_${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;

interface Entry {
  id: string;
  at: string;
  action: string;
  outcome: string;
  status: number;
  actor_id: string | null;
  actor_role: string;
  key_prefix: string | null;
  target_type: string;
  target_id: string | null;
  meeting_id: string | null;
  request_id: string | null;
  replayed: boolean;
  details: Record<string, number> | null;
}

describe('Audit log (e2e: app + database + Zoom simulator)', () => {
  let world: ZoomWorld;
  let url: string;

  beforeAll(async () => {
    world = await startZoomWorld();
    url = world.app.url;
  });
  afterAll(async () => world.close());

  async function all(query = ''): Promise<Entry[]> {
    const res = await request(url).get(`/api/audit?limit=100${query}`).set(auth).expect(200);
    return res.body.items as Entry[];
  }

  it('records each audited action with actor, target, meeting, request id and status', async () => {
    const created = await request(url)
      .post('/api/questions')
      .set(auth)
      .set('X-Request-Id', 'audit-create-1')
      .send({ title: 'Secret title', question_text: 'Body text?', options: ['a', 'b'] })
      .expect(201);
    const qid = created.body.id as string;
    const body = { title: 'T2', question_text: 'Q2?', options: ['a', 'b'] };
    await request(url).put(`/api/questions/${qid}`).set(auth).send(body).expect(200);
    await request(url).patch(`/api/questions/${qid}`).set(auth).send({ points: 5 }).expect(200);
    // Refused requests change nothing and are not recorded.
    await request(url).post('/api/questions').set(auth).send({ title: '' }).expect(400);
    await request(url).delete('/api/questions/665f1c2e8a1b2c3d4e5f6a7b').set(auth).expect(404);

    const { meetingId, people } = await seedMeeting(world.sim, { members: 2 });
    const sent = await request(url)
      .post(`/api/questions/${qid}/send`)
      .set('X-API-Key', TEST_API_KEY_2)
      .send({ meeting_id: Number(meetingId) })
      .expect(202);
    const broadcastId = sent.body.id as string;
    await request(url).post(`/api/broadcasts/${broadcastId}/retry`).set(auth).expect(202);
    await request(url).post(`/api/broadcasts/${broadcastId}/remind`).set(auth).expect(202);
    await request(url).get(`/api/broadcasts/${broadcastId}/results.csv`).set(auth).expect(200);
    // The original API, twice with one Idempotency-Key: the second only replays.
    const link = { meeting_id: meetingId, question_link: 'https://forms.example.com/q' };
    for (let i = 0; i < 2; i++) {
      await request(url)
        .post('/api/send-question')
        .set(auth)
        .set('Idempotency-Key', 'audit-link-1')
        .send(link)
        .expect((res) => expect([200, 202]).toContain(res.status));
    }
    await request(url).delete(`/api/questions/${qid}`).set(auth).expect(204);

    const entries = (await all()).reverse(); // oldest first
    expect(entries.map((e) => e.action)).toEqual([
      'question.created',
      'question.replaced',
      'question.changed',
      'question.sent',
      'broadcast.retried',
      'broadcast.reminded',
      'results.exported',
      'link.sent',
      'link.sent',
      'question.deleted',
    ]);
    const admin = { actor_id: null, actor_role: 'admin', outcome: 'succeeded', replayed: false };
    expect(entries[0]).toMatchObject({
      ...admin,
      key_prefix: bootLabel(TEST_API_KEY),
      target_type: 'question',
      target_id: qid,
      meeting_id: null,
      request_id: 'audit-create-1',
      status: 201,
    });
    expect(entries[1]).toMatchObject({ ...admin, target_id: qid, status: 200 });
    expect(entries[3]).toMatchObject({
      ...admin,
      key_prefix: bootLabel(TEST_API_KEY_2),
      target_type: 'broadcast',
      target_id: broadcastId,
      meeting_id: meetingId,
      status: 202,
    });
    expect(entries[4]).toMatchObject({ target_id: broadcastId, meeting_id: meetingId });
    expect(entries[4].details).toEqual({ requeued: expect.any(Number) });
    expect(entries[5].details).toEqual({ reminded: expect.any(Number) });
    expect(entries[6]).toMatchObject({ target_type: 'broadcast', target_id: broadcastId });
    expect(entries[7]).toMatchObject({ meeting_id: meetingId, replayed: false });
    expect(entries[8]).toMatchObject({ target_id: entries[7].target_id, replayed: true });
    expect(entries[9]).toMatchObject({ action: 'question.deleted', status: 204 });
    for (const entry of entries) expect(entry.request_id).toMatch(/\S/);

    // Never a key, a body, a token or a participant's email.
    const text = JSON.stringify(entries);
    for (const secret of [TEST_API_KEY, TEST_API_KEY_2, 'Secret title', 'Body text', '/q/']) {
      expect(text).not.toContain(secret);
    }
    // Nor a piece of a bootstrap key: all of it is secret, so its label is no prefix of it.
    for (const key of [TEST_API_KEY, TEST_API_KEY_2]) {
      expect(entries.filter((e) => e.key_prefix && key.includes(e.key_prefix))).toEqual([]);
    }
    for (const person of people) expect(text).not.toContain(person.email);
  });

  it('filters by action, meeting, actor, key prefix and time, and pages newest first', async () => {
    const entries = await all();
    const meetingId = entries.find((e) => e.meeting_id !== null)?.meeting_id ?? '';
    const sends = await all(`&meeting_id=${meetingId}`);
    expect(sends.length).toBeGreaterThan(0);
    expect(sends.every((e) => e.meeting_id === meetingId)).toBe(true);
    expect((await all('&action=link.sent')).map((e) => e.action)).toEqual([
      'link.sent',
      'link.sent',
    ]);
    const byKey2 = await all(`&key_prefix=${bootLabel(TEST_API_KEY_2)}`);
    expect(byKey2.map((e) => e.action)).toEqual(['question.sent']);
    expect(await all('&actor_id=665f1c2e8a1b2c3d4e5f6a7b')).toEqual([]);
    const oldest = entries[entries.length - 1];
    expect(await all(`&until=${oldest.at}`)).toEqual([]);
    expect((await all(`&since=${oldest.at}`)).length).toBe(entries.length);

    // Two at a time, following next_cursor: the same entries in the same order, no repeats.
    const paged: Entry[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const res = await request(url).get(`/api/audit?limit=2${query}`).set(auth).expect(200);
      paged.push(...(res.body.items as Entry[]));
      cursor = res.body.next_cursor as string | null;
    } while (cursor !== null);
    expect(paged.map((e) => e.id)).toEqual(entries.map((e) => e.id));
  });

  it('refuses bad filters with 400 and a reason, and callers without a key with 401', async () => {
    for (const query of [
      'action=question.eaten',
      'meeting_id=abc',
      'since=yesterday',
      'limit=0',
      'cursor=bm90LWEtY3Vyc29y',
      'actor_id=%24ne',
    ]) {
      const res = await request(url).get(`/api/audit?${query}`).set(auth).expect(400);
      expect(res.body.message).toEqual(expect.anything());
    }
    await request(url).get('/api/audit').expect(401);
  });

  it('documents the route as admin-only and names each audited action in OpenAPI', async () => {
    const doc = (await request(url).get('/docs-json').expect(200)).body;
    expect(doc.paths['/api/audit'].get['x-required-role']).toBe('admin');
    expect(doc.paths['/api/people/{email}'].delete['x-required-role']).toBe('admin');
    const actionOf = (path: string, method: string): unknown =>
      doc.paths[path][method]['x-audit-action'];
    expect(actionOf('/api/questions', 'post')).toBe('question.created');
    expect(actionOf('/api/questions/{id}', 'put')).toBe('question.replaced');
    expect(actionOf('/api/questions/{id}', 'patch')).toBe('question.changed');
    expect(actionOf('/api/questions/{id}', 'delete')).toBe('question.deleted');
    expect(actionOf('/api/questions/export', 'get')).toBe('questions.exported');
    expect(actionOf('/api/questions/export.csv', 'get')).toBe('questions.exported');
    expect(actionOf('/api/questions/import', 'post')).toBe('questions.imported');
    expect(actionOf('/api/questions/{id}/send', 'post')).toBe('question.sent');
    expect(actionOf('/api/send-question', 'post')).toBe('link.sent');
    expect(actionOf('/api/broadcasts/{id}/retry', 'post')).toBe('broadcast.retried');
    expect(actionOf('/api/broadcasts/{id}/remind', 'post')).toBe('broadcast.reminded');
    expect(actionOf('/api/broadcasts/{id}/results.csv', 'get')).toBe('results.exported');
    expect(actionOf('/api/people/{email}', 'delete')).toBe('person.erased');
    expect(actionOf('/api/instructors', 'post')).toBe('instructor.created');
    expect(actionOf('/api/instructors/{id}', 'patch')).toBe('instructor.changed');
    expect(actionOf('/api/instructors/{id}/api-keys', 'post')).toBe('api_key.created');
    expect(actionOf('/api/instructors/{id}/api-keys/{key_id}', 'delete')).toBe('api_key.revoked');
    expect(actionOf('/api/questions', 'get')).toBeUndefined();
    const declared = Object.values(doc.paths as Record<string, Record<string, object>>)
      .flatMap((ops) => Object.values(ops))
      .map((op) => (op as { 'x-audit-action'?: string })['x-audit-action'])
      .filter((a): a is string => a !== undefined);
    expect(AUDIT_ACTION_NAMES).toEqual(expect.arrayContaining(declared));
  });

  it('records instructor and key administration by who did it, never the key; only admins read it', async () => {
    const instructor = await createInstructor(world.app, { role: 'instructor' });
    const assistant = await createInstructor(world.app, { role: 'assistant' });
    const own = await request(url)
      .post(`/api/instructors/${instructor.id}/api-keys`)
      .set('X-API-Key', instructor.key)
      .send({})
      .expect(201);
    await request(url)
      .delete(`/api/instructors/${instructor.id}/api-keys/${own.body.id as string}`)
      .set('X-API-Key', instructor.key)
      .expect(204);

    const mine = await all(`&actor_id=${instructor.id}`);
    expect(mine.map((e) => [e.action, e.target_id, e.actor_role])).toEqual([
      ['api_key.revoked', own.body.id, 'instructor'],
      ['api_key.created', own.body.id, 'instructor'],
    ]);
    // The prefix of the key the instructor called with: visible, and only a part of the key.
    for (const entry of mine) {
      expect(instructor.key).toContain(entry.key_prefix);
      expect(entry.key_prefix?.length).toBeLessThan(instructor.key.length / 2);
    }
    const created = await all('&action=instructor.created');
    expect(created.map((e) => e.target_id)).toEqual([assistant.id, instructor.id]);
    const text = JSON.stringify(await all());
    for (const secret of [instructor.key, assistant.key, own.body.key as string]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(instructor.email);

    for (const key of [instructor.key, assistant.key]) {
      await request(url).get('/api/audit').set('X-API-Key', key).expect(403);
      await request(url).delete('/api/people/x%40example.com').set('X-API-Key', key).expect(403);
    }
  });
});
