/**
 * Results, CSV, the live stream and the leaderboard for every question type and for anonymous
 * questions, against the real app and database. Broadcasts, deliveries and answers are written
 * to the database in the stored shape the answer path writes (test/utils/seed-results.ts;
 * docs/architecture.md §18), so each type's results are checked on their own, whatever the page
 * does.
 */
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import http from 'node:http';
import { Connection, Model, Types } from 'mongoose';
import request from 'supertest';
import { AnswersService } from '../src/answers/answers.service';
import type { QuestionSnapshot } from '../src/broadcasts/broadcast.types';
import { Broadcast } from '../src/broadcasts/schemas/broadcast.schema';
import { Delivery } from '../src/broadcasts/schemas/delivery.schema';
import { RESULTS_CSV_HEADER } from '../src/results/results-csv';
import { parseCsv } from './utils/csv';
import { createTestApp, TEST_API_KEY, type TestApp } from './utils/test-app';
import { questionOf, seedAnswered, type GivenAnswer, type SeedOptions } from './utils/seed-results';
import { waitUntil } from './utils/wait';

jest.setTimeout(60_000);

const auth = { 'X-API-Key': TEST_API_KEY };

type Given = GivenAnswer;

describe('Results per question type (e2e)', () => {
  let t: TestApp;
  let connection: Connection;
  let meetingSeq = 94000000;

  beforeAll(async () => {
    t = await createTestApp({ name: 'results_types' });
    connection = t.app.get<Connection>(getConnectionToken());
    const broadcasts = t.app.get<Model<Broadcast>>(getModelToken(Broadcast.name));
    const deliveries = t.app.get<Model<Delivery>>(getModelToken(Delivery.name));
    await Promise.all([broadcasts.init(), deliveries.init()]);
  });
  afterAll(async () => t?.close());

  const snapshot = questionOf;
  const seed = (question: QuestionSnapshot, given: Given[], options: SeedOptions = {}) =>
    seedAnswered(t, question, given, {
      ...options,
      meetingId: options.meetingId ?? String(meetingSeq++),
    });

  const results = async (id: string) =>
    (await request(t.url).get(`/api/broadcasts/${id}/results`).set(auth).expect(200)).body;
  /** The CSV's lines as written (quoting and neutralising visible), after its byte-order mark. */
  const csv = async (id: string): Promise<string[]> => {
    const { text } = await request(t.url)
      .get(`/api/broadcasts/${id}/results.csv`)
      .set(auth)
      .expect(200);
    expect(text.startsWith('\uFEFF')).toBe(true);
    return text
      .slice(1)
      .split('\r\n')
      .filter((line) => line !== '');
  };

  it('single keeps the original fields; CSV keeps the original columns first', async () => {
    const { id } = await seed(snapshot({ options: ['Berlin', 'Paris'], correct_answer: 1 }), [
      { choice: 1, correct: true, credit: 1, score: 100 },
      { choice: 0, correct: false, credit: 0, score: 0 },
    ]);
    const r = await results(id);
    expect(r).toMatchObject({
      type: 'single',
      anonymous: false,
      answered: 2,
      correct_count: 1,
      correct_percent: 50,
      mean_credit: 0.5,
      options: [
        { index: 0, text: 'Berlin', count: 1, percent: 50, correct: false },
        { index: 1, text: 'Paris', count: 1, percent: 50, correct: true },
      ],
      summary: { type: 'single' },
    });
    expect(r.responses[0]).toMatchObject({ choice: 1, choice_text: 'Paris', answer_text: 'Paris' });
    const lines = await csv(id);
    expect(lines[0]).toMatch(
      /^name,email,person_key,answered,choice,choice_text,correct,score,latency_ms,answered_at,in_meeting,status,identity,type,answer,value,credit$/,
    );
    expect(lines[1]).toMatch(
      /^Person 0,p0@example\.com,p0,yes,1,Paris,yes,100,.*,single,Paris,1,1$/,
    );
  });

  it('an answer stored before types (no credit, no lang) reads as it always did', async () => {
    const { id } = await seed(snapshot({ options: ['A', 'B'], correct_answer: 0 }), []);
    await connection.collection('answers').insertOne({
      broadcast_id: new Types.ObjectId(id),
      meeting_id: 'x',
      recipient_key: 'old',
      name: 'Old',
      email: null,
      delivery_id: new Types.ObjectId(),
      choice: 0,
      correct: true,
      score: 100,
      answered_at: new Date(),
      latency_ms: 5,
    });
    const r = await results(id);
    expect(r).toMatchObject({ correct_count: 1, mean_credit: 1 });
    expect(r.responses[0]).toMatchObject({ credit: 1, identity: 'verified' });
  });

  it('multiple: per option, exact sets, mean credit; CSV value and words', async () => {
    const q = snapshot({ type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2] });
    const { id } = await seed(q, [
      { choices: [0, 2], correct: true, credit: 1, score: 100 },
      { choices: [0, 1], correct: false, credit: 0, score: 0 },
      { choices: [0], correct: false, credit: 0.5, score: 50 },
    ]);
    const r = await results(id);
    expect(r.options.map((o: { count: number }) => o.count)).toEqual([3, 1, 1]);
    expect(r.summary).toEqual({
      type: 'multiple',
      exact_matches: 1,
      exact_percent: 33.3,
      mean_picked: 1.667,
    });
    expect(r).toMatchObject({ correct_count: 1, mean_credit: 0.5 });
    expect((await csv(id))[1]).toMatch(/,multiple,A; C,0;2,1$/);
  });

  it('true_false: the fixed options', async () => {
    const { id } = await seed(snapshot({ type: 'true_false', correct_answer: 1 }), [
      { choice: 1, correct: true, credit: 1, score: 100 },
    ]);
    const r = await results(id);
    expect(r.options.map((o: { text: string; count: number }) => [o.text, o.count])).toEqual([
      ['True', 0],
      ['False', 1],
    ]);
  });

  it('rating: the distribution over every point, mean and median', async () => {
    const scale = { min: 1, max: 5, min_label: 'Poor', max_label: 'Great' };
    const { id } = await seed(
      snapshot({ type: 'rating', scale }),
      [5, 4, 4].map((value) => ({ value, correct: null, credit: null, score: 0 })),
    );
    const r = await results(id);
    expect(r.summary).toMatchObject({ type: 'rating', scale, mean: 4.333, median: 4 });
    expect(r.summary.distribution.map((p: { count: number }) => p.count)).toEqual([0, 0, 0, 2, 1]);
    expect(r).toMatchObject({ correct_count: null, mean_credit: null });
    expect((await csv(id))[1]).toMatch(/,rating,5,5,$/);
  });

  it('numeric: quartiles, histogram and the share within tolerance', async () => {
    const q = snapshot({ type: 'numeric', correct_value: 10, tolerance: 1, unit: 'km' });
    const { id } = await seed(
      q,
      [8, 9.5, 10, 11, 30].map((value) => ({
        value,
        correct: Math.abs(value - 10) <= 1,
        credit: Math.abs(value - 10) <= 1 ? 1 : 0,
        score: 0,
      })),
    );
    const r = await results(id);
    expect(r.summary).toMatchObject({
      type: 'numeric',
      unit: 'km',
      min: 8,
      q1: 9.5,
      median: 10,
      q3: 11,
      max: 30,
    });
    const buckets = r.summary.buckets as Array<{ count: number }>;
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(5);
    expect(r).toMatchObject({ correct_count: 3, correct_percent: 60 });
    expect((await csv(id))[2]).toMatch(/,numeric,9\.5 km,9\.5,1$/);

    // The `;` variant for spreadsheets that expect it: read back, the same columns, decimal commas.
    const semi = await request(t.url)
      .get(`/api/broadcasts/${id}/results.csv?delimiter=semicolon`)
      .set(auth)
      .expect(200);
    expect(semi.text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(semi.text, ';');
    expect(header).toEqual(RESULTS_CSV_HEADER);
    const value = header.indexOf('value');
    expect(rows.map((row) => row[value]).sort()).toEqual(['10', '11', '30', '8', '9,5']);
    await request(t.url)
      .get(`/api/broadcasts/${id}/results.csv?delimiter=tab`)
      .set(auth)
      .expect(400);
  });

  it('text: answers grouped and word counts without the stop words of each answer’s language', async () => {
    const { id } = await seed(snapshot({ type: 'text', accepted_answers: ['Paris'] }), [
      { text: 'Paris', correct: true, credit: 1, score: 100, lang: 'en' },
      { text: 'paris ', correct: true, credit: 1, score: 100, lang: 'en' },
      { text: 'La ville de Lyon', correct: false, credit: 0, score: 0, lang: 'fr' },
      { text: '=cmd|calc', correct: false, credit: 0, score: 0, lang: 'en' },
    ]);
    const r = await results(id);
    expect(r.summary.answers).toEqual([
      { text: 'Paris', count: 2 },
      { text: '=cmd|calc', count: 1 },
      { text: 'La ville de Lyon', count: 1 },
    ]);
    expect(r.summary.words).toEqual([
      { word: 'paris', count: 2 },
      { word: 'calc', count: 1 },
      { word: 'cmd', count: 1 },
      { word: 'lyon', count: 1 },
      { word: 'ville', count: 1 },
    ]);
    const lines = await csv(id);
    // A hostile text answer cannot become a formula.
    expect(lines[4]).toMatch(/,text,'=cmd\|calc,'=cmd\|calc,0$/);
  });

  it('ranking: mean place and share in the right place per option', async () => {
    const q = snapshot({ type: 'ranking', options: ['A', 'B', 'C'], correct_order: [1, 0, 2] });
    const { id } = await seed(q, [
      { order: [1, 0, 2], correct: true, credit: 1, score: 100 },
      { order: [0, 1, 2], correct: false, credit: 1 / 3, score: 33 },
    ]);
    const r = await results(id);
    expect(r.summary.items).toEqual([
      { index: 0, text: 'A', mean_position: 1.5, correct_position: 2, in_place_percent: 50 },
      { index: 1, text: 'B', mean_position: 1.5, correct_position: 1, in_place_percent: 50 },
      { index: 2, text: 'C', mean_position: 3, correct_position: 3, in_place_percent: 100 },
    ]);
    expect((await csv(id))[1]).toMatch(/,ranking,"1\. B, 2\. A, 3\. C",1;0;2,1$/);
  });

  it('anonymous: aggregates only, non-responders from the deliveries, CSV without identities or times', async () => {
    const q = snapshot({ type: 'numeric', correct_value: 3, tolerance: 0 });
    const { id } = await seed(
      q,
      [4, 3, 4].map((value) => ({
        value,
        correct: value === 3,
        credit: value === 3 ? 1 : 0,
        score: 0,
      })),
      { anonymous: true, people: 4 },
    );
    const r = await results(id);
    expect(r).toMatchObject({ anonymous: true, answered: 3, responses: [] });
    expect(r.summary).toMatchObject({ min: 3, max: 4, median: 4 });
    expect(JSON.stringify(r)).not.toMatch(/anon:/);
    // Person 3 did not answer: listed, so a reminder can reach them.
    expect(r.non_responders).toEqual([
      expect.objectContaining({ person_key: 'p3', in_meeting: false, reason: 'left_meeting' }),
    ]);
    const lines = await csv(id);
    expect(lines).toEqual([
      'answered,answer,value,count,correct,credit,name,email,person_key,in_meeting,status',
      'yes,3,3,1,yes,1,,,,,answered',
      'yes,4,4,2,no,0,,,,,answered',
      'no,,,,,,Person 3,p3@example.com,p3,no,left_meeting',
    ]);
    // Remind goes to the one who has not answered (window open, message sent).
    const remind = await request(t.url).post(`/api/broadcasts/${id}/remind`).set(auth).expect(202);
    expect(remind.body.reminded).toBe(1);
    const reminded = await connection
      .collection('deliveries')
      .find({ broadcast_id: new Types.ObjectId(id), reminders: 1 })
      .toArray();
    expect(reminded.map((d) => d.recipient_key)).toEqual(['p3']);
  });

  it('leaderboard: partial credit adds up, correct counts full credit, anonymous questions are left out', async () => {
    const meetingId = String(meetingSeq++);
    await seed(
      snapshot({ type: 'multiple', options: ['A', 'B', 'C'], correct_answers: [0, 2] }),
      [
        { who: 'ada', choices: [0], correct: false, credit: 0.5, score: 50 },
        { who: 'bo', choices: [0, 2], correct: true, credit: 1, score: 100 },
      ],
      { meetingId },
    );
    await seed(
      snapshot({ type: 'ranking', options: ['A', 'B', 'C'], correct_order: [0, 1, 2] }),
      [
        { who: 'ada', order: [0, 2, 1], correct: false, credit: 1 / 3, score: 33 },
        { who: 'bo', order: [2, 1, 0], correct: false, credit: 1 / 3, score: 33 },
      ],
      { meetingId },
    );
    await seed(
      snapshot({ options: ['A', 'B'], correct_answer: 0 }),
      [{ choice: 0, correct: true, credit: 1, score: 1000 }],
      { meetingId, anonymous: true },
    );
    const board = (
      await request(t.url).get(`/api/meetings/${meetingId}/leaderboard`).set(auth).expect(200)
    ).body;
    expect(
      board.items.map(
        (i: { person_key: string; total: number; answered: number; correct: number }) => [
          i.person_key,
          i.total,
          i.answered,
          i.correct,
        ],
      ),
    ).toEqual([
      ['bo', 133, 2, 1],
      ['ada', 83, 2, 0],
    ]);
  });

  describe('live stream', () => {
    /** Opens the stream; collects the data of its snapshot and answer events. */
    async function open(id: string) {
      const events: Array<{ name: string; data: { answered: number; summary: { type: string } } }> =
        [];
      let buffer = '';
      const req = http.get(`${t.url}/api/broadcasts/${id}/stream`, { headers: auth });
      const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
        req.on('response', resolve);
        req.on('error', reject);
      });
      expect(response.statusCode).toBe(200);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if ((name === 'snapshot' || name === 'answer') && data) {
            events.push({ name, data: JSON.parse(data) });
          }
        }
      });
      await waitUntil(() => events.length >= 1, 10_000, 'the first snapshot');
      return { events, close: () => req.destroy() };
    }

    it('carries each type’s section and adds answer events in place (a word cloud too)', async () => {
      const q = snapshot({ type: 'text' });
      const { id } = await seed(q, [
        { text: 'green apple', correct: null, credit: null, score: 0 },
      ]);
      const stream = await open(id);
      try {
        expect(stream.events[0].data).toMatchObject({
          type: 'text',
          answered: 1,
          summary: {
            type: 'text',
            words: [
              { word: 'apple', count: 1 },
              { word: 'green', count: 1 },
            ],
          },
        });
        // The answer path's event carries the value and no identity (anonymous or not).
        t.app.get(AnswersService).events.emit('answer', {
          broadcastId: id,
          correct: null,
          score: 0,
          text: 'Red apple',
          lang: 'en',
        });
        await waitUntil(
          () => stream.events.some((e) => e.name === 'answer'),
          10_000,
          'an answer event',
        );
        const last = stream.events[stream.events.length - 1].data as unknown as {
          answered: number;
          summary: { words: Array<{ word: string; count: number }> };
        };
        expect(last.answered).toBe(2);
        expect(last.summary.words[0]).toEqual({ word: 'apple', count: 2 });
      } finally {
        stream.close();
      }
    });

    it('an event without its type’s value makes the stream read the counts again', async () => {
      const q = snapshot({
        type: 'rating',
        scale: { min: 1, max: 3, min_label: null, max_label: null },
      });
      const { id } = await seed(q, []);
      const stream = await open(id);
      try {
        await connection.collection('answers').insertOne({
          broadcast_id: new Types.ObjectId(id),
          meeting_id: 'x',
          recipient_key: 'p9',
          name: 'P',
          email: null,
          delivery_id: new Types.ObjectId(),
          value: 2,
          correct: null,
          credit: null,
          score: 0,
          answered_at: new Date(),
          latency_ms: 5,
        });
        t.app
          .get(AnswersService)
          .events.emit('answer', { broadcastId: id, correct: null, score: 0 });
        await waitUntil(
          () => stream.events.some((e) => e.data.answered === 1),
          10_000,
          'the counts with the answer',
        );
        // The first counts with the answer already place it (never an answered 1 with no value).
        const first = stream.events.find((e) => e.data.answered === 1)?.data as unknown as {
          summary: { distribution: Array<{ count: number }> };
        };
        expect(first.summary.distribution.map((p) => p.count)).toEqual([0, 1, 0]);
      } finally {
        stream.close();
      }
    });
  });
});
