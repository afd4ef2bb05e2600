import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, TEST_API_KEY, TEST_API_KEY_2, TestApp } from './utils/test-app';

const auth = { 'X-API-Key': TEST_API_KEY };
const valid = {
  title: 'Capital of France',
  question_text: 'What is the capital of France?',
  options: ['Berlin', 'Paris', 'Rome'],
  correct_answer: 1,
};

describe('Question bank API (e2e, real database)', () => {
  let t: TestApp;
  const api = () => request(t.url);

  beforeAll(async () => {
    t = await createTestApp({ name: 'questions' });
  });
  afterAll(async () => t.close());

  describe('authentication', () => {
    const routes: Array<[string, string]> = [
      ['post', '/api/questions'],
      ['get', '/api/questions'],
      ['get', '/api/questions/665f1c2e8a1b2c3d4e5f6a7b'],
      ['put', '/api/questions/665f1c2e8a1b2c3d4e5f6a7b'],
      ['patch', '/api/questions/665f1c2e8a1b2c3d4e5f6a7b'],
      ['delete', '/api/questions/665f1c2e8a1b2c3d4e5f6a7b'],
    ];

    it.each(routes)('%s %s without a key is 401 in the error shape', async (method, path) => {
      const res = await (api() as unknown as Record<string, (p: string) => request.Test>)
        [method](path)
        .send(valid);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.stringContaining('API key'),
      });
    });

    it.each(routes)('%s %s with a wrong key is 401', async (method, path) => {
      const res = await (api() as unknown as Record<string, (p: string) => request.Test>)
        [method](path)
        .set('X-API-Key', 'not-the-key-at-all-000000')
        .send(valid);
      expect(res.status).toBe(401);
      expect(res.body.message).toBe('The API key is not valid');
    });

    it('accepts the key as a Bearer token, and every rotated key', async () => {
      await api().get('/api/questions').set('Authorization', `Bearer ${TEST_API_KEY}`).expect(200);
      await api().get('/api/questions').set('X-API-Key', TEST_API_KEY_2).expect(200);
      await api().get('/api/questions').set('Authorization', `Basic ${TEST_API_KEY}`).expect(401);
    });

    it('keeps /, /health, /docs and /docs-json public', async () => {
      await api().get('/').expect(200);
      await api().get('/health').expect(200);
      await api().get('/docs').expect(200);
      await api().get('/docs-json').expect(200);
    });
  });

  describe('create and read', () => {
    it('creates a question with defaults and answers without _id or __v', async () => {
      const res = await api().post('/api/questions').set(auth).send(valid).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        // A body without `type` is a single-choice question, as before types (issue 15).
        type: 'single',
        ...valid,
        time_limit: 30,
        points: 10,
        difficulty: 'medium',
        category: 'general',
        tags: [],
        // A bootstrap key (API_KEYS) has no instructor record: its questions are the admins'.
        owner_id: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const got = await api().get(`/api/questions/${res.body.id}`).set(auth).expect(200);
      expect(got.body).toEqual(res.body);
    });

    it('stores a survey question (correct_answer null) with every field set', async () => {
      const body = {
        ...valid,
        correct_answer: null,
        time_limit: 60,
        points: 0,
        difficulty: 'hard',
        category: 'geo',
        tags: ['europe', 'capitals'],
      };
      const res = await api().post('/api/questions').set(auth).send(body).expect(201);
      expect(res.body).toMatchObject(body);
    });

    it('trims text and rejects fields that are only whitespace', async () => {
      const res = await api()
        .post('/api/questions')
        .set(auth)
        .send({ ...valid, title: '  Padded  ' })
        .expect(201);
      expect(res.body.title).toBe('Padded');
      await api()
        .post('/api/questions')
        .set(auth)
        .send({ ...valid, title: '   ' })
        .expect(400);
    });
  });

  describe('validation: a 400 that names each bad field', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['missing title', { ...valid, title: undefined }, 'title'],
      ['title too long', { ...valid, title: 'x'.repeat(201) }, 'title'],
      ['title too long before trimming', { ...valid, title: ` ${'x'.repeat(200)}` }, 'title'],
      ['title not a string', { ...valid, title: 42 }, 'title'],
      ['missing question_text', { ...valid, question_text: undefined }, 'question_text'],
      ['question_text too long', { ...valid, question_text: 'x'.repeat(2001) }, 'question_text'],
      ['one option', { ...valid, options: ['Only'], correct_answer: 0 }, 'options'],
      [
        'eleven options',
        { ...valid, options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
        'options',
      ],
      ['duplicate options', { ...valid, options: ['A', 'A', 'B'] }, 'options'],
      ['empty option', { ...valid, options: ['A', ''] }, 'options'],
      ['option too long', { ...valid, options: ['A', 'x'.repeat(201)] }, 'options'],
      ['options not an array', { ...valid, options: 'A,B' }, 'options'],
      ['correct_answer outside options', { ...valid, correct_answer: 3 }, 'correct_answer'],
      ['negative correct_answer', { ...valid, correct_answer: -1 }, 'correct_answer'],
      ['fractional correct_answer', { ...valid, correct_answer: 1.5 }, 'correct_answer'],
      ['correct_answer as a string', { ...valid, correct_answer: '1' }, 'correct_answer'],
      ['time_limit below 5', { ...valid, time_limit: 4 }, 'time_limit'],
      ['time_limit above 3600', { ...valid, time_limit: 3601 }, 'time_limit'],
      ['points above 1000', { ...valid, points: 1001 }, 'points'],
      ['negative points', { ...valid, points: -1 }, 'points'],
      ['unknown difficulty', { ...valid, difficulty: 'insane' }, 'difficulty'],
      ['empty category', { ...valid, category: '' }, 'category'],
      ['category too long', { ...valid, category: 'x'.repeat(51) }, 'category'],
      ['too many tags', { ...valid, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      ['tag too long', { ...valid, tags: ['x'.repeat(31)] }, 'tags'],
      ['unknown field', { ...valid, owner: 'me' }, 'owner'],
      ['operator injection in a field', { ...valid, category: { $ne: null } }, 'category'],
      // explicit nulls were once stored and broke every later read (found by test/fuzz/run.sh)
      ['tags null', { ...valid, tags: null }, 'tags'],
      ['points null', { ...valid, points: null }, 'points'],
      ['difficulty null', { ...valid, difficulty: null }, 'difficulty'],
    ];

    it.each(cases)('%s', async (_name, body, field) => {
      const res = await api().post('/api/questions').set(auth).send(body).expect(400);
      expect(res.body.statusCode).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.message).toMatch(/^Validation failed: /);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('lists every bad field at once', async () => {
      const res = await api()
        .post('/api/questions')
        .set(auth)
        .send({ title: '', options: ['A'] })
        .expect(400);
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['title', 'question_text', 'options']));
    });

    it('malformed JSON is 400, an oversized body 413, both in the error shape', async () => {
      const bad = await api()
        .post('/api/questions')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('{"title": "unterminated')
        .expect(400);
      expect(bad.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/JSON/i),
      });
      const big = await api()
        .post('/api/questions')
        .set(auth)
        .send({ ...valid, question_text: 'x'.repeat(110 * 1024) })
        .expect(413);
      expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    });
  });

  describe('update and delete', () => {
    let id: string;
    beforeEach(async () => {
      id = (
        await api()
          .post('/api/questions')
          .set(auth)
          .send({ ...valid, tags: ['a'], points: 50 })
      ).body.id;
    });

    it('PUT replaces the question and resets omitted optional fields to defaults', async () => {
      const res = await api()
        .put(`/api/questions/${id}`)
        .set(auth)
        .send({ title: 'New', question_text: 'New?', options: ['Yes', 'No'] })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        title: 'New',
        correct_answer: null,
        points: 10,
        tags: [],
      });
      expect(new Date(res.body.updated_at).getTime()).toBeGreaterThanOrEqual(
        new Date(res.body.created_at).getTime(),
      );
    });

    it('PUT with an incomplete body is 400 and changes nothing', async () => {
      await api().put(`/api/questions/${id}`).set(auth).send({ title: 'Only a title' }).expect(400);
      const got = await api().get(`/api/questions/${id}`).set(auth).expect(200);
      expect(got.body.title).toBe(valid.title);
    });

    it('PATCH changes only the fields sent', async () => {
      const res = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ points: 99 })
        .expect(200);
      expect(res.body).toMatchObject({ ...valid, points: 99, tags: ['a'] });
    });

    it('PATCH that leaves correct_answer outside options is 400 and stores nothing', async () => {
      const res = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ options: ['Only', 'Two'], correct_answer: 2 })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('correct_answer');
      const shrink = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ options: ['Berlin'] })
        .expect(400);
      expect(shrink.body.message).toMatch(/options/);
      // new options that still contain the stored correct_answer (1) are accepted as they are
      const outside = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ options: ['Paris', 'Rome'] })
        .expect(200);
      expect(outside.body.correct_answer).toBe(1);
      const broken = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ options: ['X', 'Y'], correct_answer: 5 })
        .expect(400);
      expect(broken.body.message).toMatch(/correct_answer/);
      const stillThere = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ correct_answer: 7 })
        .expect(400);
      expect(stillThere.body.message).toMatch(/outside options/);
      const got = await api().get(`/api/questions/${id}`).set(auth).expect(200);
      expect(got.body.options).toEqual(['Paris', 'Rome']);
      expect(got.body.correct_answer).toBe(1);
    });

    it('PATCH with null for a required field is 400, not a stored null', async () => {
      const res = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ title: null, tags: null })
        .expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['title', 'tags']),
      );
    });

    it('a body that is not a JSON object is 400; PATCH without a body changes nothing', async () => {
      for (const body of ['null', '42', '[]', '"text"']) {
        const res = await api()
          .patch(`/api/questions/${id}`)
          .set(auth)
          .set('Content-Type', 'application/json')
          .send(body)
          .expect(400);
        expect(res.body.message).toBe('The request body must be a JSON object');
      }
      await api()
        .post('/api/questions')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send('null')
        .expect(400);
      const same = await api().patch(`/api/questions/${id}`).set(auth).expect(200);
      expect(same.body.title).toBe(valid.title);
    });

    it('PATCH can turn a question into a survey with null', async () => {
      const res = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ correct_answer: null })
        .expect(200);
      expect(res.body.correct_answer).toBeNull();
    });

    it('DELETE answers 204, then the question is 404', async () => {
      await api().delete(`/api/questions/${id}`).set(auth).expect(204);
      await api().get(`/api/questions/${id}`).set(auth).expect(404);
      await api().delete(`/api/questions/${id}`).set(auth).expect(404);
    });

    it.each(['get', 'put', 'patch', 'delete'])(
      '%s with a malformed id is 400, a missing one 404',
      async (method) => {
        const call = (path: string) =>
          (api() as unknown as Record<string, (p: string) => request.Test>)
            [method](path)
            .set(auth)
            .send(valid);
        const bad = await call('/api/questions/not-an-id');
        expect(bad.status).toBe(400);
        expect(bad.body.message).toMatch(/not a valid id/);
        const missing = await call('/api/questions/000000000000000000000000');
        expect(missing.status).toBe(404);
        expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      },
    );
  });

  describe('listing', () => {
    let list: TestApp;
    const ids: string[] = [];
    beforeAll(async () => {
      list = await createTestApp({ name: 'questions_list' });
      for (let i = 0; i < 25; i++) {
        const body = {
          ...valid,
          title: `Q${i}`,
          category: i % 2 === 0 ? 'even' : 'odd',
          difficulty: i % 3 === 0 ? 'hard' : 'easy',
          tags: i % 5 === 0 ? ['five'] : [],
        };
        ids.push(
          (await request(list.url).post('/api/questions').set(auth).send(body).expect(201)).body.id,
        );
      }
    });
    afterAll(async () => list.close());
    const get = (query: string) => request(list.url).get(`/api/questions${query}`).set(auth);

    it('q finds words in the title or text, case-insensitively and literally; pages with a cursor', async () => {
      const res = await get('?q=q1').expect(200);
      // Q1 and Q10 to Q19.
      expect(res.body.total).toBe(11);
      expect(res.body.items.every((q: { title: string }) => /^Q1/.test(q.title))).toBe(true);
      const first = await get('?q=q1&limit=5').expect(200);
      const next = await get(`?q=q1&limit=5&cursor=${first.body.next_cursor}`).expect(200);
      expect(next.body.items.every((q: { title: string }) => /^Q1/.test(q.title))).toBe(true);
      expect(next.body.items[0].title).not.toBe(first.body.items[4].title);
      expect((await get('?q=CAPITAL').expect(200)).body.total).toBe(25);
      // A regex character is only a character.
      expect((await get('?q=.*').expect(200)).body.total).toBe(0);
      await get(`?q=${'x'.repeat(101)}`).expect(400);
    });

    it('lists newest first with the total and a default limit of 20', async () => {
      const res = await get('').expect(200);
      expect(res.body.total).toBe(25);
      expect(res.body.limit).toBe(20);
      expect(res.body.items).toHaveLength(20);
      expect(res.body.items[0].title).toBe('Q24');
      expect(res.body.items[19].title).toBe('Q5');
    });

    it('pages with page and limit', async () => {
      const res = await get('?limit=10&page=3').expect(200);
      expect(res.body.items.map((q: { title: string }) => q.title)).toEqual([
        'Q4',
        'Q3',
        'Q2',
        'Q1',
        'Q0',
      ]);
      expect(res.body.page).toBe(3);
      expect(res.body.next_cursor).toBeNull();
    });

    it('walks every question exactly once with the cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await get(
          `?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        ).expect(200);
        seen.push(...res.body.items.map((q: { id: string }) => q.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by category, difficulty and tag, with the filtered total', async () => {
      expect((await get('?category=even').expect(200)).body.total).toBe(13);
      expect((await get('?difficulty=hard').expect(200)).body.total).toBe(9);
      expect((await get('?tag=five').expect(200)).body.total).toBe(5);
      expect((await get('?category=even&tag=five').expect(200)).body.total).toBe(3);
    });

    it.each([
      '?limit=0',
      '?limit=101',
      '?limit=abc',
      '?page=0',
      '?difficulty=x',
      '?cursor=!!',
      '?cursor=bm9wZQ',
      '?sort=x',
      '?tag[$ne]=x',
    ])('rejects %s with a 400', async (query) => {
      const res = await get(query).expect(400);
      expect(res.body.statusCode).toBe(400);
    });
  });

  describe('HTTP basics', () => {
    it('a path Fastify rejects (over-long parameter, bad escape) is 400 in the error shape', async () => {
      for (const path of [`/api/questions/${'a'.repeat(150)}`, '/api/questions/%zz']) {
        const res = await api().get(path).set(auth).expect(400);
        expect(res.body).toEqual({
          statusCode: 400,
          error: 'Bad Request',
          message: expect.any(String),
        });
      }
    });

    it('a known path with an unsupported method is 405 with Allow, in the error shape', async () => {
      const res = await api().delete('/api/questions').set(auth).expect(405);
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      expect(res.body).toEqual({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: expect.stringContaining('DELETE'),
      });
      await api().post('/health').expect(405);
    });

    it('a fixed path is not taken for the id of a parametric route with the same prefix: 405', async () => {
      // PUT /api/questions/:id would otherwise read "export" as an id and answer 400.
      for (const path of ['/api/questions/export', '/api/questions/export.csv']) {
        const res = await api().put(path).set(auth).send({}).expect(405);
        expect(res.headers.allow).toBe('GET, HEAD');
      }
      const res = await api().delete('/api/questions/import').set(auth).expect(405);
      expect(res.headers.allow).toBe('POST');
      // A method no route has lists the fixed path's methods only, not the parametric route's.
      const options = await api().options('/api/questions/export').set(auth).expect(405);
      expect(options.headers.allow).toBe('GET, HEAD');
      // The parametric routes still answer for real ids.
      await api()
        .delete(`/api/questions/${new Types.ObjectId().toHexString()}`)
        .set(auth)
        .expect(404);
    });

    it('unknown routes are 404 in the error shape', async () => {
      const res = await api().get('/api/nope').set(auth).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('GET / names the service and its docs', async () => {
      const res = await api().get('/').expect(200);
      expect(res.body).toMatchObject({
        name: 'zoom-live-questions',
        version: expect.any(String),
        docs: '/docs',
      });
    });

    it('GET /health reports the database up', async () => {
      const res = await api().get('/health').expect(200);
      expect(res.body).toEqual({ status: 'ok', database: 'up' });
    });

    it('sends security headers and a request id (kept from the caller when sane)', async () => {
      const res = await api().get('/health').set('X-Request-Id', 'trace-abc-123');
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      const other = await api().get('/health').set('X-Request-Id', 'bad id with spaces');
      expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('documents every question route with the API-key scheme', async () => {
      const doc = (await api().get('/docs-json').expect(200)).body;
      expect(doc.components.securitySchemes['api-key']).toMatchObject({
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
      });
      for (const [path, methods] of [
        ['/api/questions', ['get', 'post']],
        ['/api/questions/{id}', ['get', 'put', 'patch', 'delete']],
      ] as const) {
        for (const method of methods) {
          const op = doc.paths[path][method];
          expect(op.security).toEqual(expect.arrayContaining([{ 'api-key': [] }]));
          expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401']));
        }
      }
      type Operation = { responses: Record<string, unknown> };
      for (const path of Object.values<Record<string, Operation>>(doc.paths)) {
        for (const op of Object.values(path)) expect(op.responses['500']).toBeDefined();
      }
      expect(doc.paths['/api/questions'].post.responses['413']).toBeDefined();
      expect(doc.paths['/api/questions/{id}'].get.parameters[0].schema.pattern).toBe(
        '^[0-9a-fA-F]{24}$',
      );
      // The body without `type` is the single-choice variant, which needs these.
      expect(doc.components.schemas.SingleQuestionDto.required).toEqual(
        expect.arrayContaining(['title', 'question_text', 'options']),
      );
    });
  });
});
