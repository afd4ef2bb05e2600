import { Types } from 'mongoose';
import { parseCsv } from '../common/csv/csv-parse';
import type { CsvFormat } from '../common/csv/csv-format';
import { DEFAULT_CSV_FORMAT } from '../common/csv/csv-format';
import type { ResponseRowDto, ResultsResponseDto } from '../results/dto/results.response';
import { runResults, runResultsCsv, type RunResultsInput } from './run-results';

/** The file's records as rows of raw fields (the upload reader, which reads what toCsv writes). */
function rowsOf(csv: string, delimiter: CsvFormat['delimiter'] = ','): string[][] {
  const parsed = parseCsv(csv, delimiter);
  if (!parsed.ok) throw new Error(`not CSV: ${parsed.reason}`);
  return parsed.records.map((r) => r.fields);
}

const q1 = new Types.ObjectId();
const q2 = new Types.ObjectId();
const steps = [
  { question_id: q1, broadcast_id: new Types.ObjectId(), time_limit: 30 },
  { question_id: q2, broadcast_id: new Types.ObjectId(), time_limit: 30 },
];

function response(key: string, name: string, score: number, correct: boolean | null, text: string) {
  return {
    recipient_key: key,
    identity: 'verified',
    name,
    email: `${key}@example.edu`,
    answer_text: text,
    correct,
    credit: correct === null ? null : correct ? 1 : 0,
    score,
  } as ResponseRowDto;
}

function results(title: string, responses: ResponseRowDto[], anonymous = false) {
  return {
    anonymous,
    question: { title },
    answered: responses.length,
    correct_count: responses.filter((r) => r.correct).length,
    correct_percent: 50,
    mean_credit: 0.5,
    responses: anonymous ? [] : responses,
  } as unknown as ResultsResponseDto;
}

function input(overrides: Partial<RunResultsInput['run']> = {}): RunResultsInput {
  return {
    run: {
      _id: new Types.ObjectId(),
      meeting_id: '85746352413',
      title: 'Week 1',
      state: 'ended',
      pacing: 'instructor',
      anonymous: false,
      steps,
      ...overrides,
    },
    questions: [
      results('Capital', [
        response('ada', 'Ada', 100, true, 'Paris'),
        response('bob', 'Bob', 100, true, 'Paris'),
        response('eve', '=Eve', 0, false, 'Rome'),
      ]),
      results('River', [
        response('bob', 'Bob', 0, false, 'Rhine'),
        response('ada', 'Ada', 0, false, 'Rhine'),
      ]),
    ],
    recipients: [
      { recipient_key: 'bob', name: 'Bob', email: 'bob@example.edu', status: 'sent' },
      { recipient_key: 'ada', name: 'Ada', email: 'ada@example.edu', status: 'sent' },
      { recipient_key: 'cy', name: 'Cy', email: null, status: 'unreachable' },
    ],
  };
}

describe('runResults (a run’s results from its questions’ results and its recipients)', () => {
  it('lists everyone sent the link, then anyone else who answered, by name, with each answer', () => {
    const out = runResults(input());
    expect(out.people.map((p) => [p.person_key, p.link_status])).toEqual([
      ['eve', null],
      ['ada', 'sent'],
      ['bob', 'sent'],
      ['cy', 'unreachable'],
    ]);
    const ada = out.people.find((p) => p.person_key === 'ada')!;
    expect(ada).toMatchObject({
      name: 'Ada',
      email: 'ada@example.edu',
      total_score: 100,
      correct_count: 1,
      answered_count: 2,
    });
    expect(ada.answers).toEqual([
      {
        index: 0,
        question_id: q1.toHexString(),
        answered: true,
        answer_text: 'Paris',
        correct: true,
        credit: 1,
        score: 100,
      },
      {
        index: 1,
        question_id: q2.toHexString(),
        answered: true,
        answer_text: 'Rhine',
        correct: false,
        credit: 0,
        score: 0,
      },
    ]);
    const cy = out.people.find((p) => p.person_key === 'cy')!;
    expect(cy).toMatchObject({ rank: null, total_score: 0, answered_count: 0 });
    expect(cy.answers.every((a) => !a.answered && a.score === null)).toBe(true);
    expect(out).toMatchObject({ recipients: 3, participants: 3 });
  });

  it('ranks the leaderboard as the meeting’s: equal totals and right answers share a rank', () => {
    const out = runResults(input());
    expect(
      out.leaderboard.map((e) => [e.rank, e.person_key, e.total, e.correct, e.answered]),
    ).toEqual([
      [1, 'ada', 100, 1, 2],
      [1, 'bob', 100, 1, 2],
      [3, 'eve', 0, 0, 1],
    ]);
    expect(out.people.find((p) => p.person_key === 'eve')!.rank).toBe(3);
    expect(out.questions.map((q) => [q.index, q.question_id, q.broadcast_id])).toEqual(
      steps.map((s, i) => [i, s.question_id.toHexString(), s.broadcast_id.toHexString()]),
    );
  });

  it('gives an anonymous run aggregates only: no people, no leaderboard', () => {
    const base = input({ anonymous: true });
    base.questions = base.questions.map((r) => ({ ...r, anonymous: true, responses: [] }));
    const out = runResults(base);
    expect(out).toMatchObject({ anonymous: true, people: [], leaderboard: [], participants: null });
    expect(out.questions).toHaveLength(2);
    const rows = rowsOf(runResultsCsv(out, DEFAULT_CSV_FORMAT));
    expect(rows[0]).toEqual([
      'question',
      'question_id',
      'title',
      'answered',
      'correct_count',
      'correct_percent',
      'mean_credit',
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[2], r[3]])).toEqual([
      ['Q1', 'Capital', '3'],
      ['Q2', 'River', '2'],
    ]);
    expect(rows.flat()).not.toContain('ada');
  });
});

describe('runResultsCsv', () => {
  it('writes one row per person and one column group per question, formulas neutralised', () => {
    const csv = runResultsCsv(runResults(input()), DEFAULT_CSV_FORMAT);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = rowsOf(csv);
    expect(rows[0]).toEqual([
      'name',
      'email',
      'person_key',
      'link_status',
      'rank',
      'Q1 answer',
      'Q1 correct',
      'Q1 score',
      'Q2 answer',
      'Q2 correct',
      'Q2 score',
      'total_score',
      'correct_count',
      'answered_count',
    ]);
    expect(rows.slice(1)).toEqual([
      ["'=Eve", 'eve@example.edu', 'eve', '', '3', 'Rome', 'no', '0', '', '', '', '0', '0', '1'],
      [
        'Ada',
        'ada@example.edu',
        'ada',
        'sent',
        '1',
        'Paris',
        'yes',
        '100',
        'Rhine',
        'no',
        '0',
        '100',
        '1',
        '2',
      ],
      [
        'Bob',
        'bob@example.edu',
        'bob',
        'sent',
        '1',
        'Paris',
        'yes',
        '100',
        'Rhine',
        'no',
        '0',
        '100',
        '1',
        '2',
      ],
      ['Cy', '', 'cy', 'unreachable', '', '', '', '', '', '', '', '0', '0', '0'],
    ]);
  });

  it('uses ";" and decimal commas with the semicolon format', () => {
    const base = input();
    base.questions[0].responses[0].score = 62.5;
    const csv = runResultsCsv(runResults(base), { delimiter: ';', bom: false });
    expect(csv.split('\r\n')[2]).toContain('Ada;ada@example.edu;ada;sent;');
    expect(csv).toContain('62,5');
  });
});
