import { parseAnswer } from './answer-value';
import { describeAnswer } from './describe';
import { isScored, withTypeDefaults, type QuestionBody } from './question-types';
import { creditOf, scoreAnswer, type ScoringQuestion } from './scoring';
import { matchesAccepted, normalizeForMatch } from './text-match';

const q = (fields: Partial<QuestionBody>): ScoringQuestion => ({
  ...withTypeDefaults(fields),
  points: 1000,
  time_limit: 20,
});
const single = q({ options: ['A', 'B', 'C'], correct_answer: 1 });
const multiple = q({ type: 'multiple', options: ['A', 'B', 'C', 'D'], correct_answers: [0, 2] });
const trueFalse = q({ type: 'true_false', correct_answer: 0 });
const rating = q({
  type: 'rating',
  scale: { min: 1, max: 5, min_label: 'Bad', max_label: 'Good' },
});
const numeric = q({ type: 'numeric', correct_value: 42, tolerance: 0.5, unit: 'km' });
const text = q({ type: 'text', accepted_answers: ['São Paulo'], max_length: 20 });
const ranking = q({ type: 'ranking', options: ['A', 'B', 'C', 'D'], correct_order: [3, 0, 1, 2] });

describe('withTypeDefaults', () => {
  it('reads a question stored before types as single choice with every new field null', () => {
    const old = withTypeDefaults({ options: ['x', 'y'], correct_answer: 0 });
    expect(old).toEqual({
      type: 'single',
      options: ['x', 'y'],
      correct_answer: 0,
      correct_answers: null,
      max_choices: null,
      scale: null,
      correct_value: null,
      tolerance: null,
      unit: null,
      accepted_answers: null,
      max_length: null,
      correct_order: null,
    });
  });

  it('gives true/false its fixed options whatever was stored', () => {
    expect(withTypeDefaults({ type: 'true_false', options: ['x'] }).options).toEqual([
      'True',
      'False',
    ]);
  });

  it('copies arrays so a caller cannot change the source', () => {
    const source = { type: 'multiple' as const, options: ['a', 'b'], correct_answers: [1] };
    const body = withTypeDefaults(source);
    body.options.push('c');
    body.correct_answers!.push(0);
    expect(source).toEqual({ type: 'multiple', options: ['a', 'b'], correct_answers: [1] });
  });
});

describe('isScored', () => {
  it.each([
    ['single with an answer', single, true],
    ['single survey', q({ options: ['A', 'B'] }), false],
    ['multiple', multiple, true],
    [
      'multiple survey ([])',
      q({ type: 'multiple', options: ['A', 'B'], correct_answers: [] }),
      false,
    ],
    ['true_false', trueFalse, true],
    ['rating', rating, false],
    ['numeric', numeric, true],
    ['numeric survey', q({ type: 'numeric' }), false],
    ['text', text, true],
    ['text survey', q({ type: 'text', accepted_answers: [] }), false],
    ['ranking', ranking, true],
    ['ranking survey', q({ type: 'ranking', options: ['A', 'B'] }), false],
  ])('%s: %s', (_, question, expected) => {
    expect(isScored(question)).toBe(expected);
  });
});

describe('parseAnswer', () => {
  it.each([
    ['single, JSON', single, { choice: 2 }, { choice: 2 }],
    ['single, form', single, { choice: ' 1 ' }, { choice: 1 }],
    ['true_false', trueFalse, { choice: '1' }, { choice: 1 }],
    ['multiple, JSON, sorted', multiple, { choices: [3, 0] }, { choices: [0, 3] }],
    ['multiple, form: one ticked box', multiple, { choices: '2' }, { choices: [2] }],
    ['multiple, form: repeated field', multiple, { choices: ['2', '0'] }, { choices: [0, 2] }],
    ['multiple, comma list', multiple, { choices: '1,3' }, { choices: [1, 3] }],
    ['rating', rating, { value: '4' }, { value: 4 }],
    ['rating, JSON', rating, { value: 1 }, { value: 1 }],
    ['numeric, dot', numeric, { value: '41.75' }, { value: 41.75 }],
    ['numeric, comma', numeric, { value: '41,75' }, { value: 41.75 }],
    ['numeric, negative', numeric, { value: '-3' }, { value: -3 }],
    ['numeric, leading decimal', numeric, { value: ',5' }, { value: 0.5 }],
    ['numeric, JSON', numeric, { value: 1e6 }, { value: 1e6 }],
    ['numeric, -0 is 0', numeric, { value: '-0' }, { value: 0 }],
    ['text, trimmed and NFC', text, { text: '  Sa\u0303o Paulo ' }, { text: 'São Paulo' }],
    ['ranking, JSON', ranking, { order: [3, 0, 1, 2] }, { order: [3, 0, 1, 2] }],
    ['ranking, form', ranking, { order: ['1', '0', '3', '2'] }, { order: [1, 0, 3, 2] }],
    ['ranking, comma list', ranking, { order: '0,1,2,3' }, { order: [0, 1, 2, 3] }],
    ['ignores other fields', single, { choice: 0, text: 'x', order: [1] }, { choice: 0 }],
  ])('%s', (_, question, body, expected) => {
    expect(parseAnswer(question, body)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['single: missing', single, {}, 'choice'],
    ['single: out of range', single, { choice: 3 }, 'choice'],
    ['single: negative', single, { choice: -1 }, 'choice'],
    ['single: fraction', single, { choice: 1.5 }, 'choice'],
    ['single: words', single, { choice: 'B' }, 'choice'],
    ['true_false: 2', trueFalse, { choice: 2 }, 'choice'],
    ['multiple: none', multiple, { choices: [] }, 'choices'],
    ['multiple: missing', multiple, {}, 'choices'],
    ['multiple: duplicate', multiple, { choices: [1, 1] }, 'choices'],
    ['multiple: out of range', multiple, { choices: [0, 4] }, 'choices'],
    ['multiple: not a list', multiple, { choices: { a: 1 } }, 'choices'],
    [
      'multiple: too many items',
      multiple,
      { choices: Array.from({ length: 11 }, () => 0) },
      'choices',
    ],
    ['rating: below', rating, { value: 0 }, 'value'],
    ['rating: above', rating, { value: '6' }, 'value'],
    ['rating: fraction', rating, { value: '2,5' }, 'value'],
    ['numeric: words', numeric, { value: 'forty' }, 'value'],
    ['numeric: thousands separators', numeric, { value: '1.000,5' }, 'value'],
    ['numeric: exponent', numeric, { value: '1e5' }, 'value'],
    ['numeric: Infinity', numeric, { value: Infinity }, 'value'],
    ['numeric: too large', numeric, { value: 1e13 }, 'value'],
    ['numeric: empty', numeric, { value: '' }, 'value'],
    ['text: missing', text, {}, 'text'],
    ['text: blank', text, { text: '   ' }, 'text'],
    ['text: too long', text, { text: 'x'.repeat(21) }, 'text'],
    ['text: not text', text, { text: 5 }, 'text'],
    ['ranking: short', ranking, { order: [0, 1, 2] }, 'order'],
    ['ranking: repeated', ranking, { order: [0, 1, 1, 2] }, 'order'],
    ['ranking: out of range', ranking, { order: [0, 1, 2, 4] }, 'order'],
    ['ranking: missing', ranking, {}, 'order'],
  ])('refuses %s, naming the field', (_, question, body, field) => {
    const parsed = parseAnswer(question, body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.field).toBe(field);
      expect(parsed.reason).toMatch(new RegExp(`^(${field}|choose)`));
    }
  });

  it('enforces max_choices with the limit in the reason', () => {
    const limited = q({ ...multiple, max_choices: 2 });
    expect(parseAnswer(limited, { choices: [0, 1] }).ok).toBe(true);
    expect(parseAnswer(limited, { choices: [0, 1, 2] })).toEqual({
      ok: false,
      field: 'choices',
      reason: 'choose at most 2 options',
    });
  });

  it('counts a text answer in characters, not UTF-16 units', () => {
    expect(parseAnswer(text, { text: '😀'.repeat(20) }).ok).toBe(true);
  });
});

describe('scoreAnswer', () => {
  it('gives full points for a right answer at latency 0, with or without speed scoring', () => {
    expect(scoreAnswer(single, { choice: 1 }, 0, true)).toEqual({
      correct: true,
      credit: 1,
      score: 1000,
    });
    expect(scoreAnswer(single, { choice: 1 }, 0, false)).toEqual({
      correct: true,
      credit: 1,
      score: 1000,
    });
  });

  it('falls linearly to half the points at the deadline, never lower', () => {
    expect(scoreAnswer(single, { choice: 1 }, 5_000, true).score).toBe(875);
    expect(scoreAnswer(single, { choice: 1 }, 10_000, true).score).toBe(750);
    expect(scoreAnswer(single, { choice: 1 }, 20_000, true).score).toBe(500);
    expect(scoreAnswer(single, { choice: 1 }, 21_500, true).score).toBe(500);
    expect(scoreAnswer(single, { choice: 1 }, -50, true).score).toBe(1000);
  });

  it('rounds to an integer', () => {
    const ten = { ...single, points: 10, time_limit: 30 };
    expect(scoreAnswer(ten, { choice: 1 }, 7_000, true).score).toBe(9); // 10 × (1 − 7/60)
  });

  it('a wrong answer scores 0; a survey or a rating scores nothing and is neither', () => {
    expect(scoreAnswer(single, { choice: 0 }, 100, true)).toEqual({
      correct: false,
      credit: 0,
      score: 0,
    });
    expect(scoreAnswer({ ...single, correct_answer: null }, { choice: 2 }, 0, true)).toEqual({
      correct: null,
      credit: null,
      score: 0,
    });
    expect(scoreAnswer(rating, { value: 5 }, 0, true)).toEqual({
      correct: null,
      credit: null,
      score: 0,
    });
  });

  it('a question worth 0 points scores 0 even when right', () => {
    expect(scoreAnswer({ ...single, points: 0 }, { choice: 1 }, 0, true)).toEqual({
      correct: true,
      credit: 1,
      score: 0,
    });
  });

  it('multiple: (right picked − wrong picked) / right, floored at 0', () => {
    expect(creditOf(multiple, { choices: [0, 2] })).toBe(1);
    expect(creditOf(multiple, { choices: [0] })).toBe(0.5);
    expect(creditOf(multiple, { choices: [0, 1] })).toBe(0);
    expect(creditOf(multiple, { choices: [0, 1, 2, 3] })).toBe(0);
    expect(creditOf(multiple, { choices: [1, 3] })).toBe(0);
    expect(scoreAnswer(multiple, { choices: [2] }, 0, false)).toEqual({
      correct: false,
      credit: 0.5,
      score: 500,
    });
    // Speed applies to the earned share: half the credit at the deadline gives a quarter.
    expect(scoreAnswer(multiple, { choices: [2] }, 20_000, true).score).toBe(250);
  });

  it('true/false as single choice', () => {
    expect(scoreAnswer(trueFalse, { choice: 0 }, 0, false).correct).toBe(true);
    expect(scoreAnswer(trueFalse, { choice: 1 }, 0, false).correct).toBe(false);
  });

  it('numeric: within the tolerance, inclusive, despite binary fractions', () => {
    expect(creditOf(numeric, { value: 42.5 })).toBe(1);
    expect(creditOf(numeric, { value: 41.5 })).toBe(1);
    expect(creditOf(numeric, { value: 42.51 })).toBe(0);
    const exact = q({ type: 'numeric', correct_value: 0.3, tolerance: 0 });
    expect(creditOf(exact, { value: 0.1 + 0.2 })).toBe(1);
    expect(creditOf(q({ type: 'numeric', correct_value: 7 }), { value: 7 })).toBe(1);
  });

  it('text: ignores case, accents and spacing, not spelling', () => {
    expect(creditOf(text, { text: '  sao   PAULO' })).toBe(1);
    expect(creditOf(text, { text: 'Sao Paolo' })).toBe(0);
  });

  it('ranking: the share of options in their right place', () => {
    expect(creditOf(ranking, { order: [3, 0, 1, 2] })).toBe(1);
    expect(creditOf(ranking, { order: [3, 0, 2, 1] })).toBe(0.5);
    expect(creditOf(ranking, { order: [0, 1, 2, 3] })).toBe(0);
    expect(scoreAnswer(ranking, { order: [3, 1, 0, 2] }, 0, false)).toEqual({
      correct: false,
      credit: 0.5,
      score: 500,
    });
  });
});

describe('describeAnswer', () => {
  it.each([
    [single, { choice: 1 }, 'B'],
    [trueFalse, { choice: 1 }, 'False'],
    [multiple, { choices: [0, 2] }, 'A; C'],
    [rating, { value: 4 }, '4'],
    [numeric, { value: 3.5 }, '3.5 km'],
    [q({ type: 'numeric' }), { value: 3.5 }, '3.5'],
    [text, { text: 'Lisbon' }, 'Lisbon'],
    [ranking, { order: [3, 0, 1, 2] }, '1. D, 2. A, 3. B, 4. C'],
    [single, {}, ''],
  ])('%#', (question, value, expected) => {
    expect(describeAnswer(question, value)).toBe(expected);
  });

  it("writes numbers the reader's way and shows translated option labels", () => {
    const de = new Intl.NumberFormat('de-DE');
    expect(describeAnswer(numeric, { value: 3.5 }, (n) => de.format(n))).toBe('3,5 km');
    expect(describeAnswer(trueFalse, { choice: 0 }, String, (i) => ['Wahr', 'Falsch'][i])).toBe(
      'Wahr',
    );
  });
});

describe('normalizeForMatch', () => {
  it('drops accents and case, collapses spaces, keeps punctuation', () => {
    expect(normalizeForMatch('  Ça   VA?\tÜber ')).toBe('ca va? uber');
    expect(matchesAccepted('ÉCOLE', ['ecole', 'x'])).toBe(true);
    expect(matchesAccepted('ecoles', ['école'])).toBe(false);
  });
});
