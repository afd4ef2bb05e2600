/**
 * Every question type (issue 15) end to end over real HTTP: created in the bank through the API,
 * sent through the Zoom simulator, answered on the personal links by JSON and by the page's form
 * (urlencoded, repeated fields for lists), with the stored value, credit and score checked, a 400
 * naming the field for each kind of bad value, and then the instructor's results, CSV and the
 * meeting leaderboard read back from those real answers. Speed scoring is off so scores are exact.
 */
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import request from 'supertest';
import type { QuestionBody } from '../src/question-types/question-types';
import { parseCsv } from './utils/csv';
import { TEST_API_KEY } from './utils/test-app';
import { waitUntil } from './utils/wait';
import { SENDER_EMAIL, startZoomWorld, ZoomWorld } from './utils/zoom-world';

const auth = { 'X-API-Key': TEST_API_KEY };
const FORM = 'application/x-www-form-urlencoded';
const POINTS = 100;

type Body = Record<string, unknown> | string;

interface Case {
  question: Partial<QuestionBody> & { type: QuestionBody['type'] };
  /** Answered by member 0 as JSON. */
  json: { body: Body; stored: Record<string, unknown>; credit: number | null; text: string };
  /** Answered by member 1 through the form. */
  form: { body: string; stored: Record<string, unknown>; credit: number | null };
  /** Refused with 400 naming `field`, spread over members 2 and 3 (each link takes a burst of 5). */
  bad: Body[];
  field: string;
}

const CASES: Case[] = [
  {
    question: { type: 'single', options: ['Berlin', 'Paris', 'Rome'], correct_answer: 1 },
    json: { body: { choice: 1 }, stored: { choice: 1 }, credit: 1, text: 'Paris' },
    form: { body: 'choice=2', stored: { choice: 2 }, credit: 0 },
    bad: [{ choice: 3 }, { choice: -1 }, 'choice=x', { choice: [1] }],
    field: 'choice',
  },
  {
    question: { type: 'true_false', correct_answer: 0 },
    json: { body: { choice: '0' }, stored: { choice: 0 }, credit: 1, text: 'True' },
    form: { body: 'choice=1', stored: { choice: 1 }, credit: 0 },
    bad: [{ choice: 2 }, {}],
    field: 'choice',
  },
  {
    question: {
      type: 'multiple',
      options: ['H2O', 'NaCl', 'CO2', 'Gold'],
      correct_answers: [0, 2],
      max_choices: 3,
    },
    json: { body: { choices: [2, 0] }, stored: { choices: [0, 2] }, credit: 1, text: 'H2O; CO2' },
    // Two right, one wrong, of two right in all: (2 - 1) / 2.
    form: { body: 'choices=0&choices=1&choices=2', stored: { choices: [0, 1, 2] }, credit: 0.5 },
    bad: [
      { choices: [1, 1] },
      { choices: [0, 1, 2, 3] },
      { choices: [7] },
      'choices=0&choices=0',
      {},
      { choices: 'a,b' },
    ],
    field: 'choices',
  },
  {
    question: { type: 'rating', scale: { min: 1, max: 5, min_label: 'Bad', max_label: 'Great' } },
    json: { body: { value: 4 }, stored: { value: 4 }, credit: null, text: '4' },
    form: { body: 'value=2', stored: { value: 2 }, credit: null },
    bad: [{ value: 4.5 }, { value: 6 }, 'value=3%2C5', { value: 0 }],
    field: 'value',
  },
  {
    question: { type: 'numeric', correct_value: 3.5, tolerance: 0.1, unit: 'km' },
    json: { body: { value: 3.58 }, stored: { value: 3.58 }, credit: 1, text: '3.58 km' },
    // A comma decimal, as most of Europe types it.
    form: { body: 'value=3%2C7', stored: { value: 3.7 }, credit: 0 },
    bad: ['value=abc', { value: '1e5' }, { value: 1e13 }, 'value=1%2C000%2C5'],
    field: 'value',
  },
  {
    question: { type: 'text', accepted_answers: ['Photosynthesis'], max_length: 20 },
    // Case, accents and the ends' spaces do not matter.
    json: {
      body: { text: '  PHOTOSYNTHÉSIS ' },
      stored: { text: 'PHOTOSYNTHÉSIS' },
      credit: 1,
      text: 'PHOTOSYNTHÉSIS',
    },
    form: { body: 'text=chloro+phyll', stored: { text: 'chloro phyll' }, credit: 0 },
    bad: [{ text: 'x'.repeat(21) }, { text: '   ' }, { text: 42 }, `text=${'y'.repeat(25)}`],
    field: 'text',
  },
  {
    question: { type: 'ranking', options: ['Alpha', 'Bravo', 'Charlie'], correct_order: [2, 0, 1] },
    json: {
      body: { order: [2, 0, 1] },
      stored: { order: [2, 0, 1] },
      credit: 1,
      text: '1. Charlie, 2. Alpha, 3. Bravo',
    },
    // Only the top one in place: 1 of 3.
    form: { body: 'order=2&order=1&order=0', stored: { order: [2, 1, 0] }, credit: 1 / 3 },
    bad: [{ order: [0, 0, 1] }, { order: [0, 1] }, 'order=0%2C1%2C3', { order: [0, 1, 2, 3] }],
    field: 'order',
  },
];

const VALUE_FIELDS = ['choice', 'choices', 'value', 'text', 'order'];

describe('Answering every question type (e2e: app + database + Zoom simulator)', () => {
  let world: ZoomWorld;
  let url: string;
  let connection: Connection;
  let meetingId: string;
  const emails: string[] = [];

  beforeAll(async () => {
    world = await startZoomWorld({ app: { env: { SPEED_SCORING: 'false' } } });
    url = world.app.url;
    connection = world.app.app.get<Connection>(getConnectionToken());
    const { sim } = world;
    const meeting = sim.createMeeting({ topic: 'Types', hostEmail: SENDER_EMAIL });
    meetingId = String(meeting.id);
    sim.startMeeting(meetingId);
    for (const name of ['Ann', 'Ben', 'Cat', 'Dan']) {
      const user = sim.addUser({ email: `${name.toLowerCase()}@types.example`, name });
      sim.join(meetingId, { name, email: user.email, zoomUserId: user.id });
      emails.push(user.email);
    }
    await sim.flushWebhooks();
  });
  afterAll(async () => world.close());

  /** Creates the question in the bank through the API, as an instructor's client does. */
  async function bankQuestion(c: Case): Promise<string> {
    const created = await request(url)
      .post('/api/questions')
      .set(auth)
      .send({
        ...c.question,
        title: `A ${c.question.type} question`,
        question_text: `Answer this ${c.question.type} question`,
        time_limit: 600,
        points: POINTS,
      })
      .expect(201);
    expect(created.body).toMatchObject({ type: c.question.type });
    return created.body.id as string;
  }

  /** Sends it through the simulator; the personal tokens of the four members, in order. */
  async function send(questionId: string): Promise<{ broadcastId: string; tokens: string[] }> {
    const since = world.sim.messages().length;
    const sent = await request(url)
      .post(`/api/questions/${questionId}/send`)
      .set(auth)
      .send({ meeting_id: meetingId })
      .expect(202);
    const broadcastId = sent.body.id as string;
    await waitUntil(
      async () =>
        (await request(url).get(`/api/broadcasts/${broadcastId}`).set(auth)).body.status ===
        'completed',
      30_000,
      'the send to complete',
    );
    const byEmail = new Map<string, string>();
    for (const m of world.sim.messages().slice(since)) {
      const token = /\/q\/([A-Za-z0-9_-]+)/.exec(m.message)?.[1];
      if (token && m.to_contact) byEmail.set(m.to_contact, token);
    }
    return { broadcastId, tokens: emails.map((e) => byEmail.get(e) ?? '') };
  }

  function post(token: string, body: Body) {
    const req = request(url).post(`/q/${token}/answer`);
    return typeof body === 'string' ? req.type(FORM).send(body) : req.send(body);
  }

  async function storedAnswer(broadcastId: string, email: string) {
    return connection
      .collection('answers')
      .findOne({ broadcast_id: new Types.ObjectId(broadcastId), email });
  }

  /** Each member's expected points over the cases (the leaderboard's totals). */
  const scored = new Map<string, number>();

  for (const c of CASES) {
    it(`${c.question.type}: answered by JSON and by form, scored, bad values refused`, async () => {
      const { broadcastId, tokens } = await send(await bankQuestion(c));
      expect(tokens.every((t) => t !== '')).toBe(true);

      const json = await post(tokens[0], c.json.body).set('accept-language', 'de-DE,de;q=0.9');
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({
        type: c.question.type,
        ...c.json.stored,
        answer_text: c.json.text,
        credit: c.json.credit,
        correct: c.json.credit === null ? null : c.json.credit === 1,
        score: Math.round(POINTS * (c.json.credit ?? 0)),
        points: POINTS,
        anonymous: false,
      });
      const form = await post(tokens[1], c.form.body).expect(200);
      expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(form.text).toContain('Answer received');

      for (const [i, body] of c.bad.entries()) {
        const res = await post(tokens[2 + (i % 2)], body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        if (typeof body === 'string') {
          expect(res.text).toContain('Your answer could not be read');
        } else {
          // One reason, naming the field.
          expect(res.body.details).toEqual([{ field: c.field, errors: [res.body.message] }]);
        }
      }

      for (const [who, expected] of [
        [emails[0], { ...c.json, lang: 'de' }],
        [emails[1], { ...c.form, lang: 'en' }],
      ] as const) {
        const stored = await storedAnswer(broadcastId, who);
        expect(stored).toMatchObject({
          ...expected.stored,
          credit: expected.credit,
          correct: expected.credit === null ? null : expected.credit === 1,
          score: Math.round(POINTS * (expected.credit ?? 0)),
          lang: expected.lang,
          anonymous: false,
        });
        // Only the type's own value field is stored.
        const present = VALUE_FIELDS.filter((f) => stored !== null && f in stored);
        expect(present).toEqual(Object.keys(expected.stored));
      }
      // The bad values stored nothing, and the first answer stays final.
      expect(
        await connection
          .collection('answers')
          .countDocuments({ broadcast_id: new Types.ObjectId(broadcastId) }),
      ).toBe(2);
      await post(tokens[0], c.json.body).expect(409);
      // A question with a right answer can have it revealed; a rating has none.
      await request(url)
        .post(`/api/broadcasts/${broadcastId}/reveal`)
        .set(auth)
        .expect(c.json.credit === null ? 409 : 200);

      // The instructor's results: the type's own summary over exactly these two answers.
      const results = (
        await request(url).get(`/api/broadcasts/${broadcastId}/results`).set(auth).expect(200)
      ).body;
      expect(results).toMatchObject({ type: c.question.type, answered: 2, anonymous: false });
      expect(results.summary.type).toBe(c.question.type);
      const byEmail = new Map(
        (
          results.responses as Array<{ email: string; answer_text: string; credit: number | null }>
        ).map((r) => [r.email, r]),
      );
      expect(byEmail.get(emails[0])).toMatchObject({
        answer_text: c.json.text,
        credit: c.json.credit,
      });
      expect(byEmail.get(emails[1])?.credit).toBe(c.form.credit);

      // The CSV: one row per person, the answer in words and its credit.
      const csv = await request(url)
        .get(`/api/broadcasts/${broadcastId}/results.csv`)
        .set(auth)
        .expect(200);
      const [header, ...rows] = parseCsv(csv.text);
      const col = (name: string): number => header.indexOf(name);
      const row = rows.find((r) => r[col('email')] === emails[0]);
      expect(row?.[col('type')]).toBe(c.question.type);
      expect(row?.[col('answer')]).toBe(c.json.text);
      expect(row?.[col('credit')]).toBe(c.json.credit === null ? '' : String(c.json.credit));
      scored.set(
        emails[0],
        (scored.get(emails[0]) ?? 0) + Math.round(POINTS * (c.json.credit ?? 0)),
      );
      scored.set(
        emails[1],
        (scored.get(emails[1]) ?? 0) + Math.round(POINTS * (c.form.credit ?? 0)),
      );
    });
  }

  it('the meeting leaderboard adds up every type, partial credit included', async () => {
    // Runs after the seven cases above (Jest keeps the file's order).
    expect(scored.size).toBe(2);
    const board = (
      await request(url).get(`/api/meetings/${meetingId}/leaderboard`).set(auth).expect(200)
    ).body as { items: Array<{ email: string; total: number; answered: number }> };
    const totals = new Map(board.items.map((i) => [i.email, i]));
    for (const [email, total] of scored) {
      expect({ email, total: totals.get(email)?.total }).toEqual({ email, total });
      expect(totals.get(email)?.answered).toBe(CASES.length);
    }
  });

  it('a value field of another type is ignored; an unknown field is refused', async () => {
    const { tokens } = await send(await bankQuestion(CASES[0]));
    await post(tokens[0], { choice: 1, text: 'ignored', order: [1] }).expect(200);
    const unknown = await post(tokens[1], { choice: 1, colour: 'red' }).expect(400);
    expect(unknown.body.message).toMatch(/colour/);
  });
});
