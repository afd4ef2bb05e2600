import { questionSnapshot, type QuestionSnapshot } from '../broadcasts/broadcast.types';
import type { QuestionBody } from '../question-types/question-types';
import type {
  MultipleSummaryDto,
  NumericSummaryDto,
  RankingSummaryDto,
  RatingSummaryDto,
  TextSummaryDto,
} from './dto/results.response';
import { creditOf, LiveTally, type TallyAnswer } from './type-tally';

const q = (body: Partial<QuestionBody>): QuestionSnapshot =>
  questionSnapshot({ title: 'T', question_text: 'Q?', time_limit: 30, points: 100, ...body });

const tally = (question: QuestionSnapshot, answers: TallyAnswer[]) =>
  LiveTally.of(question, answers).toDto();

describe('LiveTally per type', () => {
  it('single: counts per option, correct rate (unchanged shape)', () => {
    const t = tally(q({ options: ['A', 'B', 'C'], correct_answer: 1 }), [
      { choice: 1, correct: true },
      { choice: 1, correct: true },
      { choice: 0, correct: false },
      { choice: 2, correct: false },
    ]);
    expect(t).toMatchObject({
      type: 'single',
      answered: 4,
      correct_count: 2,
      correct_percent: 50,
      mean_credit: 0.5,
      summary: { type: 'single' },
    });
    expect(t.options.map((o) => [o.count, o.percent, o.correct])).toEqual([
      [1, 25, false],
      [2, 50, true],
      [1, 25, false],
    ]);
  });

  it('true_false: the fixed options, scored like single', () => {
    const t = tally(q({ type: 'true_false', correct_answer: 0 }), [
      { choice: 0, correct: true },
      { choice: 1, correct: false },
      { choice: 0, correct: true },
    ]);
    expect(t.options.map((o) => [o.text, o.count, o.correct])).toEqual([
      ['True', 2, true],
      ['False', 1, false],
    ]);
    expect(t.correct_count).toBe(2);
  });

  it('multiple: picks per option, exact-set matches, mean credit from partial credit', () => {
    const question = q({
      type: 'multiple',
      options: ['A', 'B', 'C', 'D'],
      correct_answers: [0, 2],
    });
    const t = tally(question, [
      { choices: [0, 2], correct: true, credit: 1 },
      { choices: [0], correct: false, credit: 0.5 },
      { choices: [0, 1, 2], correct: false, credit: 0.5 },
      { choices: [3], correct: false, credit: 0 },
    ]);
    expect(t.options.map((o) => [o.count, o.percent, o.correct])).toEqual([
      [3, 75, true],
      [1, 25, false],
      [2, 50, true],
      [1, 25, false],
    ]);
    expect(t.summary as MultipleSummaryDto).toEqual({
      type: 'multiple',
      exact_matches: 1,
      exact_percent: 25,
      mean_picked: 1.75,
    });
    expect(t).toMatchObject({ correct_count: 1, correct_percent: 25, mean_credit: 0.5 });
  });

  it('multiple survey: no exact matches, no credit', () => {
    const t = tally(q({ type: 'multiple', options: ['A', 'B'], correct_answers: [] }), [
      { choices: [0, 1], correct: null, credit: null },
    ]);
    expect(t.summary).toMatchObject({ exact_matches: null, exact_percent: null });
    expect(t).toMatchObject({ correct_count: null, mean_credit: null });
    expect(t.options.every((o) => o.correct === null)).toBe(true);
  });

  it('rating: every scale point (zeros too), mean and median; never scored', () => {
    const scale = { min: 1, max: 5, min_label: 'Bad', max_label: 'Good' };
    const t = tally(
      q({ type: 'rating', scale }),
      [5, 4, 4, 2].map((value) => ({ value, correct: null, credit: null })),
    );
    const s = t.summary as RatingSummaryDto;
    expect(s.scale).toEqual(scale);
    expect(s.distribution).toEqual([
      { value: 1, count: 0, percent: 0 },
      { value: 2, count: 1, percent: 25 },
      { value: 3, count: 0, percent: 0 },
      { value: 4, count: 2, percent: 50 },
      { value: 5, count: 1, percent: 25 },
    ]);
    expect(s.mean).toBe(3.75);
    expect(s.median).toBe(4);
    expect(t).toMatchObject({ options: [], correct_count: null, correct_percent: null });
  });

  it('rating on a scale below zero counts each point in its place', () => {
    const t = tally(
      q({ type: 'rating', scale: { min: -2, max: 2, min_label: null, max_label: null } }),
      [
        { value: -2, correct: null },
        { value: 1, correct: null },
      ],
    );
    expect((t.summary as RatingSummaryDto).distribution.map((p) => p.count)).toEqual([
      1, 0, 0, 1, 0,
    ]);
    expect((t.summary as RatingSummaryDto).median).toBe(-0.5);
  });

  it('numeric: min, quartiles, median, max, histogram and the share within tolerance', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42];
    const t = tally(
      q({ type: 'numeric', correct_value: 5, tolerance: 1, unit: 'km' }),
      values.map((value) => ({ value, correct: Math.abs(value - 5) <= 1 })),
    );
    const s = t.summary as NumericSummaryDto;
    expect(s).toMatchObject({
      unit: 'km',
      min: 1,
      q1: 3.5,
      median: 6,
      q3: 8.5,
      max: 42,
      mean: 8.818,
    });
    expect(s.buckets.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    expect(s.buckets[0].from).toBeLessThanOrEqual(1);
    expect(s.buckets[s.buckets.length - 1].to).toBeGreaterThan(42);
    expect(t).toMatchObject({ correct_count: 3, correct_percent: 27.3 });
  });

  it('numeric with no answers has empty statistics', () => {
    expect(tally(q({ type: 'numeric' }), []).summary).toEqual({
      type: 'numeric',
      unit: null,
      min: null,
      q1: null,
      median: null,
      q3: null,
      max: null,
      mean: null,
      buckets: [],
    });
  });

  it('text: answers grouped ignoring case and spacing, most frequent first; words without stop words', () => {
    const t = tally(q({ type: 'text' }), [
      { text: 'The Eiffel tower', correct: null, lang: 'en' },
      { text: 'the  eiffel TOWER', correct: null, lang: 'en' },
      { text: 'La tour Eiffel', correct: null, lang: 'fr' },
      { text: 'Louvre', correct: null },
    ]);
    const s = t.summary as TextSummaryDto;
    expect(s.answers).toEqual([
      { text: 'The Eiffel tower', count: 2 },
      { text: 'La tour Eiffel', count: 1 },
      { text: 'Louvre', count: 1 },
    ]);
    expect(s.distinct_answers).toBe(3);
    expect(s.words).toEqual([
      { word: 'eiffel', count: 3 },
      { word: 'tower', count: 2 },
      { word: 'louvre', count: 1 },
      { word: 'tour', count: 1 },
    ]);
  });

  it('text: the live stream carries only the most frequent answers, saying how many there are', () => {
    const live = LiveTally.of(
      q({ type: 'text' }),
      ['a1', 'a2', 'a2', 'a3'].map((text) => ({ text, correct: null })),
    ).toDto(1);
    expect((live.summary as TextSummaryDto).answers).toEqual([{ text: 'a2', count: 2 }]);
    expect((live.summary as TextSummaryDto).distinct_answers).toBe(3);
  });

  it('ranking: mean place per option and the share putting it in its right place', () => {
    const t = tally(q({ type: 'ranking', options: ['A', 'B', 'C'], correct_order: [2, 0, 1] }), [
      { order: [2, 0, 1], correct: true, credit: 1 },
      { order: [0, 2, 1], correct: false, credit: 1 / 3 },
    ]);
    expect((t.summary as RankingSummaryDto).items).toEqual([
      { index: 0, text: 'A', mean_position: 1.5, correct_position: 2, in_place_percent: 50 },
      { index: 1, text: 'B', mean_position: 3, correct_position: 3, in_place_percent: 100 },
      { index: 2, text: 'C', mean_position: 1.5, correct_position: 1, in_place_percent: 50 },
    ]);
    expect(t).toMatchObject({ correct_count: 1, mean_credit: 0.667, options: [] });
  });

  it('ignores a value that is not its type’s (counted as answered, nowhere else)', () => {
    const t = tally(q({ options: ['A', 'B'], correct_answer: 0 }), [
      { choice: 7, correct: false },
      { choices: [0], correct: false },
    ]);
    expect(t.answered).toBe(2);
    expect(t.options.map((o) => o.count)).toEqual([0, 0]);
  });

  it('adding one answer at a time gives what a tally of them all gives', () => {
    const question = q({ type: 'numeric' });
    const answers = [3, 1, 4, 1, 5, 9, 2, 6].map((value) => ({ value, correct: null }));
    const live = new LiveTally(question);
    for (const a of answers) {
      live.add(a);
      live.toDto();
    }
    expect(live.toDto()).toEqual(tally(question, answers));
  });
});

describe('creditOf', () => {
  it('reads answers stored before credit existed from correct', () => {
    expect(creditOf({ correct: true })).toBe(1);
    expect(creditOf({ correct: false })).toBe(0);
    expect(creditOf({ correct: null })).toBeNull();
    expect(creditOf({ correct: false, credit: 0.5 })).toBe(0.5);
  });
});
