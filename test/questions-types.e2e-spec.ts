import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import request from 'supertest';
import { createTestApp, TEST_API_KEY, TestApp } from './utils/test-app';

/** Question types in the bank (issue 15): create, PUT, PATCH and the list filter, per type. */

const auth = { 'X-API-Key': TEST_API_KEY };
const common = { title: 'T', question_text: 'Q?' };
const COMMON_OUT = {
  id: expect.stringMatching(/^[0-9a-f]{24}$/),
  ...common,
  time_limit: 30,
  points: 10,
  difficulty: 'medium',
  category: 'general',
  tags: [],
  owner_id: null,
  created_at: expect.any(String),
  updated_at: expect.any(String),
};

/** One valid body per type, and the type fields the response must hold (exactly). */
const EXAMPLES: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  [
    'single',
    { type: 'single', options: ['A', 'B'], correct_answer: 0 },
    { type: 'single', options: ['A', 'B'], correct_answer: 0 },
  ],
  [
    'multiple',
    { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [2, 0], max_choices: 2 },
    { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2], max_choices: 2 },
  ],
  [
    'multiple survey (defaults)',
    { type: 'multiple', options: ['A', 'B'] },
    { type: 'multiple', options: ['A', 'B'], correct_answers: [], max_choices: null },
  ],
  [
    'true_false',
    { type: 'true_false', correct_answer: 1 },
    { type: 'true_false', options: ['True', 'False'], correct_answer: 1 },
  ],
  [
    'rating',
    { type: 'rating', scale: { min: 1, max: 5, min_label: ' Poor ', max_label: 'Great' } },
    { type: 'rating', scale: { min: 1, max: 5, min_label: 'Poor', max_label: 'Great' } },
  ],
  [
    'rating without labels, 11 points',
    { type: 'rating', scale: { min: 0, max: 10 } },
    { type: 'rating', scale: { min: 0, max: 10, min_label: null, max_label: null } },
  ],
  [
    'numeric',
    { type: 'numeric', correct_value: 384400, tolerance: 500.5, unit: 'km' },
    { type: 'numeric', correct_value: 384400, tolerance: 500.5, unit: 'km' },
  ],
  [
    'numeric, tolerance defaults to 0 with a value',
    { type: 'numeric', correct_value: -2.5 },
    { type: 'numeric', correct_value: -2.5, tolerance: 0, unit: null },
  ],
  [
    'numeric survey',
    { type: 'numeric' },
    { type: 'numeric', correct_value: null, tolerance: null, unit: null },
  ],
  [
    'text',
    { type: 'text', accepted_answers: ['Paris', ' Lutèce '], max_length: 50 },
    { type: 'text', accepted_answers: ['Paris', 'Lutèce'], max_length: 50 },
  ],
  ['text survey', { type: 'text' }, { type: 'text', accepted_answers: [], max_length: 200 }],
  [
    'ranking',
    { type: 'ranking', options: ['A', 'B', 'C'], correct_order: [2, 0, 1] },
    { type: 'ranking', options: ['A', 'B', 'C'], correct_order: [2, 0, 1] },
  ],
  [
    'ranking survey',
    { type: 'ranking', options: ['A', 'B'] },
    { type: 'ranking', options: ['A', 'B'], correct_order: null },
  ],
];

/** A body, the field the 400 must name, and (optionally) words its reason must have. */
const BAD: Array<[string, Record<string, unknown>, string, RegExp?]> = [
  ['unknown type', { type: 'essay', options: ['A', 'B'] }, 'type', /one of: single, multiple/],
  ['type null', { type: null, options: ['A', 'B'] }, 'type'],
  ['type as a number', { type: 7 }, 'type'],
  // a field of another type, named with whose it is
  [
    'single with correct_answers',
    { options: ['A', 'B'], correct_answers: [0] },
    'correct_answers',
    /field of multiple questions, not of a single/,
  ],
  [
    'single with scale',
    { type: 'single', options: ['A', 'B'], scale: { min: 1, max: 5 } },
    'scale',
    /rating/,
  ],
  [
    'rating with options',
    { type: 'rating', scale: { min: 1, max: 5 }, options: ['A', 'B'] },
    'options',
    /not of a rating question/,
  ],
  ['numeric with correct_answer', { type: 'numeric', correct_answer: 1 }, 'correct_answer'],
  ['text with unit', { type: 'text', unit: 'km' }, 'unit', /numeric/],
  [
    'ranking with correct_answer',
    { type: 'ranking', options: ['A', 'B'], correct_answer: 0 },
    'correct_answer',
  ],
  [
    'multiple with correct_order',
    { type: 'multiple', options: ['A', 'B'], correct_order: [0, 1] },
    'correct_order',
  ],
  ['a foreign field even when null', { type: 'text', correct_value: null }, 'correct_value'],
  // multiple
  ['multiple without options', { type: 'multiple', correct_answers: [] }, 'options'],
  [
    'multiple: correct_answers outside options',
    { type: 'multiple', options: ['A', 'B'], correct_answers: [2] },
    'correct_answers',
    /indexes into options \(0 to 1\)/,
  ],
  [
    'multiple: repeated correct_answers',
    { type: 'multiple', options: ['A', 'B'], correct_answers: [1, 1] },
    'correct_answers',
    /distinct/,
  ],
  [
    'multiple: negative index',
    { type: 'multiple', options: ['A', 'B'], correct_answers: [-1] },
    'correct_answers',
  ],
  [
    'multiple: correct_answers not an array',
    { type: 'multiple', options: ['A', 'B'], correct_answers: 1 },
    'correct_answers',
  ],
  [
    'multiple: correct_answers null',
    { type: 'multiple', options: ['A', 'B'], correct_answers: null },
    'correct_answers',
  ],
  [
    'multiple: max_choices 0',
    { type: 'multiple', options: ['A', 'B'], max_choices: 0 },
    'max_choices',
  ],
  [
    'multiple: max_choices above the options',
    { type: 'multiple', options: ['A', 'B'], max_choices: 3 },
    'max_choices',
    /to 2/,
  ],
  [
    'multiple: max_choices below the right answers',
    { type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 1], max_choices: 1 },
    'max_choices',
    /from 2/,
  ],
  [
    'multiple: fractional max_choices',
    { type: 'multiple', options: ['A', 'B'], max_choices: 1.5 },
    'max_choices',
  ],
  // true_false
  [
    'true_false with options',
    { type: 'true_false', options: ['Yes', 'No'] },
    'options',
    /always True and False/,
  ],
  [
    'true_false: correct_answer 2',
    { type: 'true_false', correct_answer: 2 },
    'correct_answer',
    /0 \(true\), 1 \(false\) or null/,
  ],
  [
    'true_false: correct_answer true',
    { type: 'true_false', correct_answer: true },
    'correct_answer',
  ],
  // rating
  ['rating without scale', { type: 'rating' }, 'scale', /required/],
  ['rating: scale not an object', { type: 'rating', scale: '1-5' }, 'scale'],
  [
    'rating: one point',
    { type: 'rating', scale: { min: 3, max: 3 } },
    'scale.max',
    /2 to 11 points/,
  ],
  ['rating: max below min', { type: 'rating', scale: { min: 5, max: 1 } }, 'scale.max'],
  [
    'rating: twelve points',
    { type: 'rating', scale: { min: 0, max: 11 } },
    'scale.max',
    /2 to 11 points/,
  ],
  ['rating: fractional end', { type: 'rating', scale: { min: 1.5, max: 5 } }, 'scale.min'],
  ['rating: end out of range', { type: 'rating', scale: { min: -101, max: -95 } }, 'scale.min'],
  [
    'rating: label too long',
    { type: 'rating', scale: { min: 1, max: 5, max_label: 'x'.repeat(51) } },
    'scale.max_label',
  ],
  [
    'rating: empty label',
    { type: 'rating', scale: { min: 1, max: 5, min_label: '  ' } },
    'scale.min_label',
  ],
  [
    'rating: unknown scale field',
    { type: 'rating', scale: { min: 1, max: 5, step: 1 } },
    'scale.step',
  ],
  // numeric
  [
    'numeric: tolerance without a value',
    { type: 'numeric', tolerance: 1 },
    'tolerance',
    /only allowed with a correct_value/,
  ],
  [
    'numeric: negative tolerance',
    { type: 'numeric', correct_value: 1, tolerance: -1 },
    'tolerance',
  ],
  ['numeric: value too large', { type: 'numeric', correct_value: 1e13 }, 'correct_value'],
  ['numeric: value as a string', { type: 'numeric', correct_value: '3' }, 'correct_value'],
  ['numeric: empty unit', { type: 'numeric', unit: '' }, 'unit'],
  ['numeric: unit too long', { type: 'numeric', unit: 'x'.repeat(21) }, 'unit'],
  // text
  [
    'text: accepted answers equal ignoring case and accents',
    { type: 'text', accepted_answers: ['Pâris', 'paris'] },
    'accepted_answers',
    /distinct ignoring case, accents and spacing/,
  ],
  [
    'text: accepted answers equal ignoring spacing',
    { type: 'text', accepted_answers: ['New York', 'new  york'] },
    'accepted_answers',
  ],
  ['text: empty accepted answer', { type: 'text', accepted_answers: [''] }, 'accepted_answers'],
  [
    'text: too many accepted answers',
    { type: 'text', accepted_answers: Array.from({ length: 21 }, (_, i) => `a${i}`) },
    'accepted_answers',
  ],
  [
    'text: accepted answer longer than max_length',
    { type: 'text', accepted_answers: ['abcdef'], max_length: 5 },
    'accepted_answers',
    /fit max_length \(5/,
  ],
  ['text: max_length 0', { type: 'text', max_length: 0 }, 'max_length'],
  ['text: max_length 501', { type: 'text', max_length: 501 }, 'max_length'],
  ['text: max_length null', { type: 'text', max_length: null }, 'max_length'],
  // ranking
  ['ranking without options', { type: 'ranking' }, 'options'],
  ['ranking: one option', { type: 'ranking', options: ['A'] }, 'options'],
  [
    'ranking: correct_order too short',
    { type: 'ranking', options: ['A', 'B', 'C'], correct_order: [0, 1] },
    'correct_order',
    /every option index \(0 to 2\) exactly once/,
  ],
  [
    'ranking: correct_order repeats',
    { type: 'ranking', options: ['A', 'B'], correct_order: [0, 0] },
    'correct_order',
  ],
  [
    'ranking: correct_order outside options',
    { type: 'ranking', options: ['A', 'B'], correct_order: [1, 2] },
    'correct_order',
  ],
  [
    'ranking: correct_order of strings',
    { type: 'ranking', options: ['A', 'B'], correct_order: ['0', '1'] },
    'correct_order',
  ],
];

describe('Question types in the bank (e2e, real database)', () => {
  let t: TestApp;
  let db: Connection;
  const api = () => request(t.url);
  const create = (body: Record<string, unknown>) =>
    api()
      .post('/api/questions')
      .set(auth)
      .send({ ...common, ...body });
  const raw = (id: string) => db.collection('questions').findOne({ _id: new Types.ObjectId(id) });

  beforeAll(async () => {
    t = await createTestApp({ name: 'question_types' });
    db = t.app.get<Connection>(getConnectionToken());
  });
  afterAll(async () => t.close());

  describe('create and read each type', () => {
    it.each(EXAMPLES)('%s', async (_name, body, out) => {
      const res = await create(body).expect(201);
      // Exactly the type's fields: another type's are omitted, not null.
      expect(res.body).toEqual({ ...COMMON_OUT, ...out });
      const got = await api().get(`/api/questions/${res.body.id}`).set(auth).expect(200);
      expect(got.body).toEqual(res.body);
    });

    it('stores every field flat, the other types’ fields null', async () => {
      const res = await create({ type: 'rating', scale: { min: 1, max: 3 } }).expect(201);
      expect(await raw(res.body.id)).toMatchObject({
        type: 'rating',
        options: [],
        correct_answer: null,
        correct_answers: null,
        max_choices: null,
        scale: { min: 1, max: 3, min_label: null, max_label: null },
        correct_value: null,
        tolerance: null,
        unit: null,
        accepted_answers: null,
        max_length: null,
        correct_order: null,
      });
      const tf = await create({ type: 'true_false' }).expect(201);
      expect(await raw(tf.body.id)).toMatchObject({
        type: 'true_false',
        options: ['True', 'False'],
        correct_answer: null,
      });
    });

    it('reads a question stored before types (no type, no new fields) as single', async () => {
      const now = new Date();
      const { insertedId } = await db.collection('questions').insertOne({
        title: 'Old',
        question_text: 'Stored before types?',
        options: ['Yes', 'No'],
        correct_answer: 0,
        time_limit: 30,
        points: 10,
        difficulty: 'easy',
        category: 'general',
        tags: [],
        owner_id: null,
        created_at: now,
        updated_at: now,
      });
      const id = insertedId.toHexString();
      const res = await api().get(`/api/questions/${id}`).set(auth).expect(200);
      expect(res.body).toEqual({
        ...COMMON_OUT,
        id,
        title: 'Old',
        question_text: 'Stored before types?',
        difficulty: 'easy',
        type: 'single',
        options: ['Yes', 'No'],
        correct_answer: 0,
      });
      // A PATCH of another field keeps it single and writes its type down.
      const patched = await api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send({ points: 5 })
        .expect(200);
      expect(patched.body).toMatchObject({ type: 'single', correct_answer: 0, points: 5 });
      expect(await raw(id)).toMatchObject({ type: 'single' });
    });
  });

  describe('validation: one 400 per bad field, naming it', () => {
    // Rest parameters: rows without a reason must not make Jest take a 4th parameter for `done`.
    it.each(BAD)('%s', async (...[, body, field, reason]) => {
      const res = await create(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(/^Validation failed: /);
      const entry = res.body.details.find((d: { field: string }) => d.field === field);
      expect(entry).toBeDefined();
      if (reason) expect(entry.errors.join('; ')).toMatch(reason);
    });

    it('PUT checks the same rules', async () => {
      const id = (await create({ options: ['A', 'B'] }).expect(201)).body.id;
      const res = await api()
        .put(`/api/questions/${id}`)
        .set(auth)
        .send({ ...common, type: 'true_false', options: ['A', 'B'] })
        .expect(400);
      expect(res.body.details).toEqual([
        { field: 'options', errors: [expect.stringMatching(/always True and False/)] },
      ]);
    });
  });

  describe('PUT', () => {
    it('changes the type and clears the old type’s fields', async () => {
      const id = (
        await create({ type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [1] }).expect(
          201,
        )
      ).body.id;
      const res = await api()
        .put(`/api/questions/${id}`)
        .set(auth)
        .send({ ...common, type: 'numeric', correct_value: 7, unit: 'kg' })
        .expect(200);
      expect(res.body).toEqual({
        ...COMMON_OUT,
        id,
        type: 'numeric',
        correct_value: 7,
        tolerance: 0,
        unit: 'kg',
      });
      expect(await raw(id)).toMatchObject({ options: [], correct_answers: null });
    });

    it('without a type is single again, as before types', async () => {
      const id = (await create({ type: 'text' }).expect(201)).body.id;
      const res = await api()
        .put(`/api/questions/${id}`)
        .set(auth)
        .send({ ...common, options: ['X', 'Y'] })
        .expect(200);
      expect(res.body).toMatchObject({ type: 'single', options: ['X', 'Y'], correct_answer: null });
      expect(res.body).not.toHaveProperty('max_length');
      expect(await raw(id)).toMatchObject({ accepted_answers: null, max_length: null });
    });
  });

  describe('PATCH: merged onto the stored question, checked as the type it ends up as', () => {
    const patch = (id: string, body: unknown) =>
      api()
        .patch(`/api/questions/${id}`)
        .set(auth)
        .send(body as object);

    it('changes a field of the same type, checked against the stored ones', async () => {
      const id = (
        await create({
          type: 'multiple',
          options: ['A', 'B', 'C'],
          correct_answers: [0, 1],
        }).expect(201)
      ).body.id;
      const ok = await patch(id, { max_choices: 2 }).expect(200);
      expect(ok.body).toMatchObject({ correct_answers: [0, 1], max_choices: 2 });
      // The stored correct_answers need two choices.
      const bad = await patch(id, { max_choices: 1 }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['max_choices']);
      // Fewer options leave a stored right answer outside them.
      const shrink = await patch(id, { options: ['A'] }).expect(400);
      expect(shrink.body.details.map((d: { field: string }) => d.field)).toContain('options');
      const same = await api().get(`/api/questions/${id}`).set(auth).expect(200);
      expect(same.body).toMatchObject({ options: ['A', 'B', 'C'], max_choices: 2 });
    });

    it('a field of another type is a 400 naming it', async () => {
      const id = (await create({ type: 'numeric', correct_value: 1 }).expect(201)).body.id;
      const res = await patch(id, { options: ['A', 'B'] }).expect(400);
      expect(res.body.details).toEqual([
        { field: 'options', errors: [expect.stringMatching(/not of a numeric question/)] },
      ]);
    });

    it('a new type keeps options between choice types and clears the rest', async () => {
      const id = (await create({ options: ['A', 'B', 'C'], correct_answer: 2 }).expect(201)).body
        .id;
      const res = await patch(id, { type: 'ranking', correct_order: [1, 2, 0] }).expect(200);
      expect(res.body).toEqual({
        ...COMMON_OUT,
        id,
        type: 'ranking',
        options: ['A', 'B', 'C'],
        correct_order: [1, 2, 0],
      });
      expect(await raw(id)).toMatchObject({ correct_answer: null });
    });

    it('a new type needs its required fields in the merge', async () => {
      const id = (await create({ options: ['A', 'B'], correct_answer: 1 }).expect(201)).body.id;
      const missing = await patch(id, { type: 'rating' }).expect(400);
      expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(['scale']);
      // options do not carry to a type without options; sent with it, they are refused.
      const foreign = await patch(id, {
        type: 'rating',
        scale: { min: 1, max: 5 },
        options: ['A', 'B'],
      }).expect(400);
      expect(foreign.body.details.map((d: { field: string }) => d.field)).toEqual(['options']);
      const res = await patch(id, { type: 'rating', scale: { min: 1, max: 5 } }).expect(200);
      expect(res.body).toEqual({
        ...COMMON_OUT,
        id,
        type: 'rating',
        scale: { min: 1, max: 5, min_label: null, max_label: null },
      });
      expect(await raw(id)).toMatchObject({ options: [], correct_answer: null });
      // ... and back: a choice type needs options again.
      await patch(id, { type: 'multiple' }).expect(400);
      const back = await patch(id, { type: 'true_false', correct_answer: 0 }).expect(200);
      expect(back.body).toMatchObject({ options: ['True', 'False'], correct_answer: 0 });
      expect(await raw(id)).toMatchObject({ scale: null });
    });

    it('true_false to single needs options (its fixed ones do not carry)', async () => {
      const id = (await create({ type: 'true_false', correct_answer: 1 }).expect(201)).body.id;
      const res = await patch(id, { type: 'single' }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['options']);
    });

    it('correct_value null clears the tolerance too, unless one is sent', async () => {
      const id = (await create({ type: 'numeric', correct_value: 10, tolerance: 2 }).expect(201))
        .body.id;
      const kept = await patch(id, { unit: 'm' }).expect(200);
      expect(kept.body).toMatchObject({ correct_value: 10, tolerance: 2, unit: 'm' });
      const bad = await patch(id, { correct_value: null, tolerance: 1 }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['tolerance']);
      const survey = await patch(id, { correct_value: null }).expect(200);
      expect(survey.body).toMatchObject({ correct_value: null, tolerance: null, unit: 'm' });
    });

    it('an unknown type, or a type of null, is a 400 and changes nothing', async () => {
      const id = (await create({ type: 'text' }).expect(201)).body.id;
      for (const type of ['essay', null, 3]) {
        const res = await patch(id, { type }).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['type']);
      }
      const got = await api().get(`/api/questions/${id}`).set(auth).expect(200);
      expect(got.body.type).toBe('text');
    });
  });

  describe('GET /api/questions?type=', () => {
    let list: TestApp;
    const get = (query: string) => request(list.url).get(`/api/questions${query}`).set(auth);

    beforeAll(async () => {
      list = await createTestApp({ name: 'question_types_list' });
      for (const [, body] of EXAMPLES) {
        await request(list.url)
          .post('/api/questions')
          .set(auth)
          .send({ ...common, ...body })
          .expect(201);
      }
      const now = new Date();
      await list.app
        .get<Connection>(getConnectionToken())
        .collection('questions')
        .insertOne({
          title: 'Old',
          question_text: 'Before types',
          options: ['A', 'B'],
          correct_answer: null,
          time_limit: 30,
          points: 10,
          difficulty: 'medium',
          category: 'general',
          tags: [],
          created_at: now,
          updated_at: now,
        });
    });
    afterAll(async () => list.close());

    it.each([
      ['single', 2],
      ['multiple', 2],
      ['true_false', 1],
      ['rating', 2],
      ['numeric', 3],
      ['text', 2],
      ['ranking', 2],
    ])('type=%s lists only those (%i)', async (type, count) => {
      const res = await get(`?type=${type}`).expect(200);
      expect(res.body.total).toBe(count);
      expect(res.body.items).toHaveLength(count);
      expect(res.body.items.every((q: { type: string }) => q.type === type)).toBe(true);
    });

    it('single includes the question stored before types', async () => {
      const res = await get('?type=single').expect(200);
      expect(res.body.items.map((q: { title: string }) => q.title)).toContain('Old');
      expect((await get('').expect(200)).body.total).toBe(EXAMPLES.length + 1);
    });

    it.each(['?type=essay', '?type=', '?type[$ne]=single'])('rejects %s with a 400', async (q) => {
      const res = await get(q).expect(400);
      expect(res.body.statusCode).toBe(400);
    });
  });

  it('documents the bodies as oneOf the types with a discriminator on type', async () => {
    const doc = (await api().get('/docs-json').expect(200)).body;
    const post = doc.paths['/api/questions'].post;
    const body = post.requestBody.content['application/json'].schema;
    expect(body.discriminator.propertyName).toBe('type');
    expect(Object.keys(body.discriminator.mapping)).toEqual([
      'single',
      'multiple',
      'true_false',
      'rating',
      'numeric',
      'text',
      'ranking',
    ]);
    expect(body.oneOf).toHaveLength(7);
    expect(
      doc.paths['/api/questions/{id}'].put.requestBody.content['application/json'].schema,
    ).toEqual(body);
    const created = post.responses['201'].content['application/json'].schema;
    expect(created.discriminator.mapping.rating).toBe(
      '#/components/schemas/RatingQuestionResponseDto',
    );
    const schemas = doc.components.schemas;
    // Only single may leave out `type`; each variant lists its own fields only.
    expect(schemas.SingleQuestionDto.required ?? []).not.toContain('type');
    expect(schemas.RatingQuestionDto.required).toEqual(expect.arrayContaining(['type', 'scale']));
    expect(Object.keys(schemas.RatingQuestionDto.properties)).not.toContain('options');
    expect(Object.keys(schemas.TrueFalseQuestionDto.properties)).not.toContain('options');
    expect(schemas.TrueFalseQuestionResponseDto.properties.options.readOnly).toBe(true);
    expect(Object.keys(schemas.NumericQuestionResponseDto.properties)).not.toContain('options');
    expect(schemas.QuestionListResponseDto.properties.items.items.oneOf).toHaveLength(7);
    expect(
      doc.paths['/api/questions'].get.parameters.map((p: { name: string }) => p.name),
    ).toContain('type');
  });
});
