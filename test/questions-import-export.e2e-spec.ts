import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import request from 'supertest';
import { Question } from '../src/questions/schemas/question.schema';
import { parseCsv } from './utils/csv';
import { createInstructor, type CreatedInstructor } from './utils/instructors';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';

/**
 * The question bank in and out (issue 18): export as JSON and CSV (both delimiters) and import
 * back into another instructor's bank, every type, with text that tests the CSV (commas, quotes,
 * semicolons, line breaks, non-ASCII, formula-looking cells); all-or-nothing imports with every
 * problem listed by line or index; duplicates; the size limits; Zoom's poll CSV; ownership.
 */

/** One question of every type, with text that a CSV must carry exactly. */
const BANK: Record<string, unknown>[] = [
  {
    title: 'Capital, "quoted"; semi',
    question_text: 'Which city?\nTwo lines, with "quotes"; and Zoë ✓',
    options: ['Berlin, DE', '"Paris"', 'Rome; IT', '=SUM(A1:A2)'],
    correct_answer: 1,
    tags: ['geo;graphy', 'a,b', '-neg'],
    category: 'Géographie',
  },
  {
    title: '=cmd|"/c calc"',
    question_text: '+1 or -1? @mention',
    type: 'multiple',
    options: ['-1', '+1', "'=quoted already", 'plain'],
    correct_answers: [2, 0],
    max_choices: 3,
    time_limit: 45,
    points: 7,
    difficulty: 'hard',
  },
  { title: 'Survey single', question_text: 'Pick one', options: ['A', 'B'] },
  { title: 'TF', question_text: 'The sky is blue.', type: 'true_false', correct_answer: 0 },
  { title: 'TF survey', question_text: 'Tea > coffee?', type: 'true_false' },
  {
    title: 'Rating',
    question_text: 'How clear was it?',
    type: 'rating',
    scale: { min: -2, max: 2, min_label: 'Not, at all', max_label: '"Very"' },
  },
  { title: 'Rating bare', question_text: 'Rate', type: 'rating', scale: { min: 0, max: 10 } },
  {
    title: 'Numeric',
    question_text: 'Pi?',
    type: 'numeric',
    correct_value: 3.14159,
    tolerance: 0.005,
    unit: 'rad; approx',
  },
  {
    title: 'Numeric exact',
    question_text: 'Below zero',
    type: 'numeric',
    correct_value: -40,
  },
  { title: 'Numeric survey', question_text: 'Guess', type: 'numeric' },
  {
    title: 'Text',
    question_text: 'Largest ocean?',
    type: 'text',
    accepted_answers: ['Pacific', 'Pacific, the', 'Océan "Pacifique"'],
    max_length: 80,
  },
  { title: 'Text survey', question_text: 'Say anything', type: 'text' },
  {
    title: 'Ranking',
    question_text: 'Order by size',
    type: 'ranking',
    options: ['Sun', 'Earth', 'Moon'],
    correct_order: [0, 1, 2],
  },
  { title: 'Ranking survey', question_text: 'Favourites', type: 'ranking', options: ['x', 'y'] },
];

describe('Question bank import and export (e2e)', () => {
  let t: TestApp;
  let owner: CreatedInstructor;
  const as = (who: CreatedInstructor) => ({ 'X-API-Key': who.key });
  const admin = { 'X-API-Key': TEST_API_KEY };

  const exportJson = async (who: CreatedInstructor) =>
    (await request(t.url).get('/api/questions/export').set(as(who)).expect(200)).body;
  const newInstructor = () => createInstructor(t, { role: 'instructor' });
  const importCsv = (who: CreatedInstructor, csv: string, query = '') =>
    request(t.url)
      .post(`/api/questions/import${query}`)
      .set(as(who))
      .set('content-type', 'text/csv')
      .send(csv);
  const bankSize = async (who: CreatedInstructor): Promise<number> =>
    (await exportJson(who)).questions.length;

  beforeAll(async () => {
    t = await createTestApp({ name: 'bank_io' });
    owner = await newInstructor();
    for (const body of BANK) {
      await request(t.url).post('/api/questions').set(as(owner)).send(body).expect(201);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exports a versioned document of create bodies, every type, oldest first', async () => {
    const doc = await exportJson(owner);
    expect(doc).toMatchObject({
      format: 'zoom-live-questions/questions',
      version: 1,
      exported_at: expect.any(String),
    });
    expect(doc.questions.map((q: { title: string }) => q.title)).toEqual(BANK.map((b) => b.title));
    expect(new Set(doc.questions.map((q: { type: string }) => q.type))).toEqual(
      new Set(['single', 'multiple', 'true_false', 'rating', 'numeric', 'text', 'ranking']),
    );
    // No ids, owners or times; true_false's fixed options are not a field one writes.
    expect(doc.questions[0]).not.toHaveProperty('id');
    expect(doc.questions[0]).not.toHaveProperty('owner_id');
    expect(doc.questions[3]).not.toHaveProperty('options');
  });

  it('JSON round trip: the export imported into another bank exports identically', async () => {
    const original = await exportJson(owner);
    const other = await newInstructor();
    const res = await request(t.url)
      .post('/api/questions/import')
      .set(as(other))
      .send(original)
      .expect(201);
    expect(res.body).toMatchObject({ source: 'bank_json', created: BANK.length, skipped: [] });
    expect(res.body.ids).toHaveLength(BANK.length);
    expect((await exportJson(other)).questions).toEqual(original.questions);
    // And the stored questions read the same through the list (ids, owners, times aside).
    const strip = (items: Record<string, unknown>[]) =>
      items.map(({ id: _i, owner_id: _o, created_at: _c, updated_at: _u, ...rest }) => rest);
    const list = async (who: CreatedInstructor) =>
      (await request(t.url).get('/api/questions?limit=100').set(as(who)).expect(200)).body.items;
    expect(strip(await list(other))).toEqual(strip(await list(owner)));
  });

  it.each([
    ['comma', ''],
    ['semicolon', '?delimiter=semicolon'],
  ])(
    'CSV round trip (%s): every type and every awkward character comes back exactly',
    async (_name, query) => {
      const original = await exportJson(owner);
      const csv = await request(t.url)
        .get(`/api/questions/export.csv${query}`)
        .set(as(owner))
        .expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="questions.csv"');
      expect(csv.text.startsWith('\uFEFF')).toBe(true);
      const delimiter = query ? ';' : ',';
      const [header, ...rows] = parseCsv(csv.text, delimiter);
      expect(header.slice(0, 3)).toEqual(['title', 'question_text', 'type']);
      expect(rows).toHaveLength(BANK.length);
      // Formula-looking text is neutralised for spreadsheets...
      expect(rows[1][0]).toBe(`'=cmd|"/c calc"`);

      const other = await newInstructor();
      const res = await importCsv(other, csv.text, query).expect(201);
      expect(res.body).toMatchObject({ source: 'bank_csv', created: BANK.length });
      // ...and the import takes the apostrophe off again: identical questions.
      expect((await exportJson(other)).questions).toEqual(original.questions);
    },
  );

  it('imports a plain JSON array of POST /api/questions bodies', async () => {
    const other = await newInstructor();
    const res = await request(t.url)
      .post('/api/questions/import')
      .set(as(other))
      .send(BANK.slice(0, 3))
      .expect(201);
    expect(res.body).toMatchObject({ source: 'json_array', created: 3 });
    const got = await request(t.url)
      .get(`/api/questions/${res.body.ids[0]}`)
      .set(as(other))
      .expect(200);
    expect(got.body).toMatchObject({ title: BANK[0].title, owner_id: other.id });

    // Another version of the document, or another document, is refused with the reason.
    const document = { format: 'zoom-live-questions/questions', version: 2, questions: [] };
    const newer = await request(t.url).post('/api/questions/import').set(as(other)).send(document);
    expect(newer.status).toBe(400);
    expect(newer.body.message).toContain('version 2');
    const stranger = await request(t.url)
      .post('/api/questions/import')
      .set(as(other))
      .send({ questions: [BANK[0]] });
    expect(stranger.status).toBe(400);
    expect(await bankSize(other)).toBe(3);
  });

  it('a malformed CSV line is reported with its number, and nothing is imported', async () => {
    const other = await newInstructor();
    const csv = 'title,question_text,option_1,option_2\r\nA,Q?,x,y\r\nB,"Q?,x,y\r\nC,Q?,x,y\r\n';
    const res = await importCsv(other, csv).expect(400);
    expect(res.body.message).toContain('line 3');
    expect(res.body.details).toEqual([{ line: 3, field: '', reason: expect.any(String) }]);
    expect(await bankSize(other)).toBe(0);
  });

  it('every bad line and field is reported at once, and nothing is imported', async () => {
    const other = await newInstructor();
    const csv = [
      'title,question_text,type,option_1,option_2,correct_answer,time_limit',
      'Good,Fine?,single,a,b,1,30',
      'One option,Q?,single,only,,,30',
      'Good 2,Fine?,single,a,b,,30',
      ',No title?,rating,,,,2',
      'Bad type,Q?,essay,a,b,,',
      '',
    ].join('\r\n');
    const res = await importCsv(other, csv).expect(400);
    const where = (res.body.details as { line: number; field: string }[]).map(
      (d) => `${d.line}:${d.field}`,
    );
    expect(where).toEqual(
      expect.arrayContaining(['3:options', '5:title', '5:scale', '5:time_limit', '6:type']),
    );
    expect(where.some((w) => w.startsWith('2:') || w.startsWith('4:'))).toBe(false);
    expect(await bankSize(other)).toBe(0);

    // JSON items are named by their index.
    const json = await request(t.url)
      .post('/api/questions/import')
      .set(as(other))
      .send([BANK[0], { title: 'x' }, 'not an object'])
      .expect(400);
    expect(json.body.details).toEqual(
      expect.arrayContaining([
        { index: 1, field: 'question_text', reason: expect.any(String) },
        { index: 2, field: '', reason: 'a question must be a JSON object' },
      ]),
    );
    expect(await bankSize(other)).toBe(0);
  });

  it('an insert that fails part-way leaves nothing behind', async () => {
    const other = await newInstructor();
    const model = t.app.get<Model<Question>>(getModelToken(Question.name));
    const insertMany = model.insertMany.bind(model);
    // The database stores the first two, then the connection "drops": what got in is taken out.
    const spy = jest.spyOn(model, 'insertMany').mockImplementationOnce((async (docs: unknown[]) => {
      await insertMany(docs.slice(0, 2));
      throw new Error('connection lost mid-insert');
    }) as never);
    try {
      const res = await request(t.url).post('/api/questions/import').set(as(other)).send(BANK);
      expect(res.status).toBe(500);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect(await bankSize(other)).toBe(0);
  });

  it('an unknown CSV column is refused with the header line', async () => {
    const other = await newInstructor();
    const res = await importCsv(other, 'title,question_text,colour\r\nA,B,red\r\n').expect(400);
    expect(res.body.details).toEqual([{ line: 1, field: 'colour', reason: 'unknown column' }]);
  });

  it('duplicates (same title and text) are refused with their list, or skipped on request', async () => {
    const other = await newInstructor();
    const doc = await exportJson(owner);
    await request(t.url).post('/api/questions/import').set(as(other)).send(doc).expect(201);

    const again = await request(t.url).post('/api/questions/import').set(as(other)).send(doc);
    expect(again.status).toBe(409);
    expect(again.body.details).toHaveLength(BANK.length);
    expect(again.body.details[0]).toMatchObject({ index: 0, field: 'title' });
    expect(await bankSize(other)).toBe(BANK.length);

    // Within one file: the second copy is the duplicate (surrounding spaces do not hide it).
    const fresh = await newInstructor();
    const twice = [BANK[2], { ...BANK[2], title: `  ${String(BANK[2].title)} ` }, BANK[3]];
    const within = await request(t.url).post('/api/questions/import').set(as(fresh)).send(twice);
    expect(within.status).toBe(409);
    expect(within.body.details).toEqual([
      { index: 1, field: 'title', reason: 'duplicate: same title and text as questions[0]' },
    ]);
    expect(await bankSize(fresh)).toBe(0);

    const skipped = await request(t.url)
      .post('/api/questions/import?on_duplicate=skip')
      .set(as(fresh))
      .send(twice)
      .expect(201);
    expect(skipped.body).toMatchObject({
      created: 2,
      skipped: [{ index: 1, title: BANK[2].title }],
    });
    expect(await bankSize(fresh)).toBe(2);
  });

  it('more than 1000 questions is a 413 with the reason; a large JSON body within it is read', async () => {
    const other = await newInstructor();
    const many = Array.from({ length: 1001 }, (_, i) => ({
      title: `Q${i}`,
      question_text: 'Q?',
      options: ['a', 'b'],
    }));
    const res = await request(t.url).post('/api/questions/import').set(as(other)).send(many);
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('at most 1000 questions');

    // Over the 100 kB JSON limit of other routes, within this route's own limit.
    const large = Array.from({ length: 60 }, (_, i) => ({
      title: `Long ${i}`,
      question_text: 'x'.repeat(1990),
      options: ['a', 'b'],
    }));
    expect(JSON.stringify(large).length).toBeGreaterThan(100 * 1024);
    await request(t.url).post('/api/questions/import').set(as(other)).send(large).expect(201);
    await request(t.url).post('/api/questions').set(as(other)).send(large).expect(413);
  });

  it("imports Zoom's poll CSV layout with its mapping", async () => {
    const other = await newInstructor();
    const csv = readFileSync(join(__dirname, 'fixtures/zoom-poll-import.csv'), 'utf8');
    const res = await importCsv(other, csv).expect(201);
    expect(res.body).toMatchObject({ source: 'zoom_poll_csv', created: 5 });
    const { questions } = await exportJson(other);
    const base = {
      time_limit: 30,
      points: 10,
      difficulty: 'medium',
      category: 'Week 3 check-in',
      tags: [],
    };
    expect(questions).toEqual([
      {
        ...base,
        title: 'Which planet is closest to the Sun?',
        question_text: 'Which planet is closest to the Sun?',
        type: 'single',
        options: ['Venus', 'Mercury', 'Mars'],
        correct_answer: 1,
      },
      {
        ...base,
        title: 'Which of these are prime numbers?',
        question_text: 'Which of these are prime numbers?',
        type: 'multiple',
        options: ['2', '4', '5', '9'],
        correct_answers: [0, 2],
      },
      {
        ...base,
        title: "How was today's pace?",
        question_text: "How was today's pace?",
        type: 'single',
        options: ['Too slow', 'Just right, thanks', 'Too fast'],
      },
      {
        ...base,
        title: 'Name the largest ocean.',
        question_text: 'Name the largest ocean.',
        type: 'text',
        accepted_answers: ['Pacific', 'Pacific Ocean'],
        max_length: 200,
      },
      {
        ...base,
        title: 'Put these in order of size (largest first)',
        question_text: 'Put these in order of size (largest first)',
        type: 'ranking',
        options: ['Jupiter', 'Earth', 'Moon'],
      },
    ]);
  });

  it("refuses what Zoom's layout cannot map, line by line", async () => {
    const other = await newInstructor();
    const csv = [
      'Question,Question Type,Answer 1,Answer 2,Correct Answer',
      'Match them,Matching,a,b,',
      'Pick,Single Choice,a,b,c',
      '',
    ].join('\r\n');
    const res = await importCsv(other, csv).expect(400);
    expect(res.body.details).toEqual([
      { line: 2, field: 'type', reason: expect.stringContaining('Matching') },
      { line: 3, field: 'correct_answer', reason: '"c" is not one of the answers' },
    ]);
    expect(await bankSize(other)).toBe(0);
  });

  it("exports only the caller's own questions (an admin's: all); assistants may not", async () => {
    const other = await newInstructor();
    await request(t.url).post('/api/questions').set(as(other)).send(BANK[2]).expect(201);
    const mine = await exportJson(other);
    expect(mine.questions).toHaveLength(1);
    const csv = await request(t.url).get('/api/questions/export.csv').set(as(other)).expect(200);
    expect(parseCsv(csv.text)).toHaveLength(2);
    const all = (await request(t.url).get('/api/questions/export').set(admin).expect(200)).body;
    expect(all.questions.length).toBeGreaterThan(BANK.length);
    // Filters as the list's.
    const ranking = await request(t.url)
      .get('/api/questions/export?type=ranking')
      .set(as(owner))
      .expect(200);
    expect(ranking.body.questions.map((q: { title: string }) => q.title)).toEqual([
      'Ranking',
      'Ranking survey',
    ]);

    const assistant = await createInstructor(t, { role: 'assistant' });
    await request(t.url).get('/api/questions/export').set(as(assistant)).expect(403);
    await request(t.url).get('/api/questions/export.csv').set(as(assistant)).expect(403);
    await request(t.url).post('/api/questions/import').set(as(assistant)).send([]).expect(403);
  });
});
