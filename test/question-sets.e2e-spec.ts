import request from 'supertest';
import { Types } from 'mongoose';
import { QuestionSetsService } from '../src/question-sets/question-sets.service';
import { actorFor, BOOTSTRAP_ADMIN } from './utils/actors';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';

/**
 * Question sets (issue 16) over HTTP against the real app and database: CRUD owned like
 * questions, every question id checked against the caller's bank, the settings checked as a
 * whole, and the snapshot a run starts from (forRun), which later bank edits do not reach.
 */
describe('Question sets (e2e)', () => {
  let t: TestApp;
  let owner: CreatedInstructor;
  let other: CreatedInstructor;
  let adminRecord: CreatedInstructor;
  let assistant: CreatedInstructor;
  /** The owner's bank questions, in creation order. */
  const q: string[] = [];
  let othersQuestion: string;

  const as = (who: CreatedInstructor | string) => ({
    'X-API-Key': typeof who === 'string' ? who : who.key,
  });
  const api = () => request(t.url);
  const question = (title: string) => ({
    title,
    question_text: `${title}?`,
    options: ['A', 'B', 'C'],
    correct_answer: 1,
  });
  const createSet = async (
    who: CreatedInstructor,
    body: Record<string, unknown> = {
      title: 'Week 1',
      question_ids: q.slice(0, 2),
      pacing: 'instructor',
    },
  ): Promise<string> =>
    (await api().post('/api/question-sets').set(as(who)).send(body).expect(201)).body.id as string;

  beforeAll(async () => {
    t = await createTestApp({ name: 'question_sets' });
    // One at a time: the test server can fail concurrent inserts under a unique index.
    owner = await createInstructor(t, { role: 'instructor' });
    other = await createInstructor(t, { role: 'instructor' });
    adminRecord = await createInstructor(t, { role: 'admin' });
    assistant = await createInstructor(t, { role: 'assistant' });
    for (const title of ['Q1', 'Q2', 'Q3', 'Q4']) {
      const res = await api().post('/api/questions').set(as(owner)).send(question(title));
      q.push(res.body.id as string);
    }
    othersQuestion = (
      await api().post('/api/questions').set(as(other)).send(question('Theirs')).expect(201)
    ).body.id as string;
  }, 120_000);
  afterAll(async () => t?.close());

  describe('CRUD and ownership', () => {
    it('creates a set with the defaults, in the order given, and reads it back', async () => {
      const res = await api()
        .post('/api/question-sets')
        .set(as(owner))
        .send({ title: 'Week 1', question_ids: [q[2], q[0], q[1]], pacing: 'instructor' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        title: 'Week 1',
        question_ids: [q[2], q[0], q[1]],
        pacing: 'instructor',
        show_results_between: true,
        anonymous: false,
        speed_scoring: false,
        auto_advance_seconds: null,
        owner_id: owner.id,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const read = await api().get(`/api/question-sets/${res.body.id}`).set(as(owner)).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('stores every setting given', async () => {
      const res = await api()
        .post('/api/question-sets')
        .set(as(owner))
        .send({
          title: 'Self',
          question_ids: [q[0]],
          pacing: 'self',
          show_results_between: false,
          anonymous: true,
        })
        .expect(201);
      expect(res.body).toMatchObject({
        pacing: 'self',
        show_results_between: false,
        anonymous: true,
        speed_scoring: false,
        auto_advance_seconds: null,
      });
      const timed = await api()
        .post('/api/question-sets')
        .set(as(owner))
        .send({
          title: 'Timed',
          question_ids: [q[0]],
          pacing: 'instructor',
          speed_scoring: true,
          auto_advance_seconds: 0,
        })
        .expect(201);
      expect(timed.body).toMatchObject({ speed_scoring: true, auto_advance_seconds: 0 });
    });

    it('patches the fields sent; question_ids replaces the list', async () => {
      const id = await createSet(owner);
      const res = await api()
        .patch(`/api/question-sets/${id}`)
        .set(as(owner))
        .send({ title: 'Renamed', question_ids: [q[3], q[1]], auto_advance_seconds: 15 })
        .expect(200);
      expect(res.body).toMatchObject({
        title: 'Renamed',
        question_ids: [q[3], q[1]],
        pacing: 'instructor',
        auto_advance_seconds: 15,
      });
      // null turns auto-advance off again, and then self pacing is allowed.
      const off = await api()
        .patch(`/api/question-sets/${id}`)
        .set(as(owner))
        .send({ auto_advance_seconds: null, pacing: 'self' })
        .expect(200);
      expect(off.body).toMatchObject({ auto_advance_seconds: null, pacing: 'self' });
    });

    it('deletes a set (404 afterwards)', async () => {
      const id = await createSet(owner);
      await api().delete(`/api/question-sets/${id}`).set(as(owner)).expect(204);
      await api().get(`/api/question-sets/${id}`).set(as(owner)).expect(404);
      await api().delete(`/api/question-sets/${id}`).set(as(owner)).expect(404);
    });

    it("answers another instructor's set 404 on every route; an admin sees and changes it", async () => {
      const id = await createSet(owner);
      for (const [method, path, body] of [
        ['get', `/api/question-sets/${id}`, undefined],
        ['patch', `/api/question-sets/${id}`, { title: 'Mine now' }],
        ['delete', `/api/question-sets/${id}`, undefined],
      ] as const) {
        const res = await api()[method](path).set(as(other)).send(body);
        expect({ method, status: res.status, message: res.body.message }).toEqual({
          method,
          status: 404,
          message: `Question set ${id} not found`,
        });
      }
      const list = await api().get('/api/question-sets').set(as(other)).expect(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).not.toContain(id);
      for (const key of [adminRecord.key, TEST_API_KEY]) {
        await api().get(`/api/question-sets/${id}`).set(as(key)).expect(200);
      }
      await api()
        .patch(`/api/question-sets/${id}`)
        .set(as(adminRecord))
        .send({ title: 'Admin edit' })
        .expect(200);
      await api().get(`/api/question-sets/${id}`).set(as(owner)).expect(200);
    });

    it('refuses assistants on every route (403: sets are instructors’)', async () => {
      const id = await createSet(owner);
      await api().get('/api/question-sets').set(as(assistant)).expect(403);
      await api().get(`/api/question-sets/${id}`).set(as(assistant)).expect(403);
      await api()
        .post('/api/question-sets')
        .set(as(assistant))
        .send({ title: 'x', question_ids: [q[0]], pacing: 'self' })
        .expect(403);
    });

    it('lists newest first, by page and by cursor, only the caller’s own', async () => {
      const mine = await createInstructor(t, { role: 'instructor' });
      const own = (
        await api().post('/api/questions').set(as(mine)).send(question('Own')).expect(201)
      ).body.id as string;
      const ids: string[] = [];
      for (const title of ['A', 'B', 'C']) {
        ids.push(await createSet(mine, { title, question_ids: [own], pacing: 'self' }));
      }
      const first = await api().get('/api/question-sets?limit=2').set(as(mine)).expect(200);
      expect(first.body).toMatchObject({ total: 3, limit: 2, page: 1 });
      expect(first.body.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
      const next = await api()
        .get(`/api/question-sets?limit=2&cursor=${first.body.next_cursor as string}`)
        .set(as(mine))
        .expect(200);
      expect(next.body.items.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
      expect(next.body.next_cursor).toBeNull();
      const page2 = await api().get('/api/question-sets?limit=2&page=2').set(as(mine)).expect(200);
      expect(page2.body.items.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    });
  });

  describe('validation (400 with the reason)', () => {
    const post = (body: Record<string, unknown>) =>
      api().post('/api/question-sets').set(as(owner)).send(body);
    const base = () => ({ title: 'S', question_ids: [q[0], q[1]], pacing: 'instructor' });

    it('names a question listed twice', async () => {
      const res = await post({ ...base(), question_ids: [q[0], q[1], q[0]] }).expect(400);
      expect(res.body.message).toContain(`question_ids lists ${q[0]} more than once`);
      expect(res.body.details).toEqual([
        { field: 'question_ids', errors: [expect.stringContaining(q[0])] },
      ]);
      // The same id in another case is the same question.
      const upper = await post({ ...base(), question_ids: [q[0], q[0].toUpperCase()] }).expect(400);
      expect(upper.body.message).toContain('more than once');
    });

    it('names each question id the bank lacks or that is another instructor’s', async () => {
      const missing = new Types.ObjectId().toHexString();
      const res = await post({ ...base(), question_ids: [q[0], missing, othersQuestion] }).expect(
        400,
      );
      expect(res.body.details).toEqual([
        {
          field: 'question_ids',
          errors: [
            `question ${missing} is not in your question bank`,
            `question ${othersQuestion} is not in your question bank`,
          ],
        },
      ]);
      // The other instructor's own set may name it; an admin's may name anyone's.
      await createSet(other, { title: 'T', question_ids: [othersQuestion], pacing: 'self' });
      await createSet(adminRecord, {
        title: 'A',
        question_ids: [othersQuestion, q[0]],
        pacing: 'self',
      });
    });

    it('refuses an empty list, more than 50, and ids that are not ids', async () => {
      expect((await post({ ...base(), question_ids: [] }).expect(400)).body.message).toContain(
        'question_ids must contain at least 1 elements',
      );
      const many = Array.from({ length: 51 }, () => new Types.ObjectId().toHexString());
      expect((await post({ ...base(), question_ids: many }).expect(400)).body.message).toContain(
        'question_ids must contain no more than 50 elements',
      );
      expect(
        (await post({ ...base(), question_ids: ['nope'] }).expect(400)).body.message,
      ).toContain('each of question_ids must be a question id');
      expect((await post({ ...base(), question_ids: null }).expect(400)).body.details).toEqual([
        expect.objectContaining({ field: 'question_ids' }),
      ]);
    });

    it('refuses auto_advance_seconds with self pacing, saying why, on POST and PATCH', async () => {
      const res = await post({ ...base(), pacing: 'self', auto_advance_seconds: 10 }).expect(400);
      expect(res.body.details).toEqual([
        {
          field: 'auto_advance_seconds',
          errors: [expect.stringContaining('applies to instructor pacing only')],
        },
      ]);
      const id = await createSet(owner, { ...base(), auto_advance_seconds: 10 });
      const patched = await api()
        .patch(`/api/question-sets/${id}`)
        .set(as(owner))
        .send({ pacing: 'self' })
        .expect(400);
      expect(patched.body.message).toContain('applies to instructor pacing only');
      // Nothing was stored.
      const read = await api().get(`/api/question-sets/${id}`).set(as(owner)).expect(200);
      expect(read.body).toMatchObject({ pacing: 'instructor', auto_advance_seconds: 10 });
    });

    it('refuses auto_advance_seconds out of 0-600 or fractional, and speed scoring with anonymous', async () => {
      for (const value of [-1, 601, 1.5, '10']) {
        const res = await post({ ...base(), auto_advance_seconds: value }).expect(400);
        expect(res.body.details).toEqual([
          expect.objectContaining({ field: 'auto_advance_seconds' }),
        ]);
      }
      const both = await post({ ...base(), anonymous: true, speed_scoring: true }).expect(400);
      expect(both.body.message).toContain('speed_scoring cannot be combined with anonymous');
    });

    it('refuses a missing title or pacing, an unknown pacing, null flags and unknown fields', async () => {
      expect((await post({ ...base(), title: '  ' }).expect(400)).body.message).toContain(
        'title must not be blank',
      );
      expect((await post({ ...base(), pacing: 'teacher' }).expect(400)).body.message).toContain(
        'pacing must be one of: instructor, self',
      );
      const { pacing: _omit, ...noPacing } = base();
      await post(noPacing).expect(400);
      await post({ ...base(), anonymous: null }).expect(400);
      await post({ ...base(), owner_id: other.id }).expect(400);
    });

    it('answers a PATCH naming nothing 400, and a bad id 400', async () => {
      const id = await createSet(owner);
      for (const body of [undefined, {}]) {
        const res = await api().patch(`/api/question-sets/${id}`).set(as(owner)).send(body);
        expect({ status: res.status, message: res.body.message }).toEqual({
          status: 400,
          message: expect.stringContaining('Nothing to change'),
        });
      }
      await api().get('/api/question-sets/not-an-id').set(as(owner)).expect(400);
    });

    it('checks PATCHed question_ids against the bank too', async () => {
      const id = await createSet(owner);
      const missing = new Types.ObjectId().toHexString();
      const res = await api()
        .patch(`/api/question-sets/${id}`)
        .set(as(owner))
        .send({ question_ids: [q[0], missing] })
        .expect(400);
      expect(res.body.message).toContain(`question ${missing} is not in your question bank`);
    });
  });

  describe('forRun: the snapshot a run starts from', () => {
    it('copies each question in the set’s order; later bank edits do not reach the copy', async () => {
      const id = await createSet(owner, {
        title: 'Snap',
        question_ids: [q[1], q[0]],
        pacing: 'instructor',
        speed_scoring: true,
        auto_advance_seconds: 5,
      });
      const sets = t.app.get(QuestionSetsService);
      const snapshot = await sets.forRun(actorFor(owner.id, 'instructor'), new Types.ObjectId(id));
      expect(snapshot).toMatchObject({
        title: 'Snap',
        owner_id: owner.id,
        pacing: 'instructor',
        show_results_between: true,
        anonymous: false,
        speed_scoring: true,
        auto_advance_seconds: 5,
      });
      expect(snapshot.id.toHexString()).toBe(id);
      expect(snapshot.questions.map((s) => s.question_id.toHexString())).toEqual([q[1], q[0]]);
      expect(snapshot.questions[0].question).toMatchObject({
        title: 'Q2',
        question_text: 'Q2?',
        type: 'single',
        options: ['A', 'B', 'C'],
        correct_answer: 1,
      });

      await api()
        .patch(`/api/questions/${q[1]}`)
        .set(as(owner))
        .send({ question_text: 'Edited?', options: ['X', 'Y'], correct_answer: 0 })
        .expect(200);
      expect(snapshot.questions[0].question).toMatchObject({
        question_text: 'Q2?',
        options: ['A', 'B', 'C'],
        correct_answer: 1,
      });
      // A run started now copies the bank as it is now.
      const later = await sets.forRun(actorFor(owner.id, 'instructor'), new Types.ObjectId(id));
      expect(later.questions[0].question).toMatchObject({
        question_text: 'Edited?',
        options: ['X', 'Y'],
        correct_answer: 0,
      });
    });

    it('is 404 for a set the actor may not see, and the admins’ for any', async () => {
      const id = new Types.ObjectId(await createSet(owner));
      await expect(sets().forRun(actorFor(other.id, 'instructor'), id)).rejects.toMatchObject({
        status: 404,
      });
      await expect(sets().forRun(BOOTSTRAP_ADMIN, id)).resolves.toMatchObject({
        owner_id: owner.id,
      });
    });

    it('is 409 naming the questions no longer in the bank', async () => {
      const doomed = (
        await api().post('/api/questions').set(as(owner)).send(question('Doomed')).expect(201)
      ).body.id as string;
      const id = await createSet(owner, {
        title: 'Holes',
        question_ids: [q[0], doomed],
        pacing: 'self',
      });
      await api().delete(`/api/questions/${doomed}`).set(as(owner)).expect(204);
      const error = await sets()
        .forRun(actorFor(owner.id, 'instructor'), new Types.ObjectId(id))
        .then(
          () => null,
          (e: { status?: number; message?: string }) => e,
        );
      expect(error).toMatchObject({ status: 409 });
      expect(error?.message).toContain(doomed);
      expect(error?.message).not.toContain(q[0]);
    });

    const sets = () => t.app.get(QuestionSetsService);
  });
});
