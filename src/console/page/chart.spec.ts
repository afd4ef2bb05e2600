import { questionSnapshot } from '../../broadcasts/broadcast.types';
import type { QuestionBody } from '../../question-types/question-types';
import { LiveTally, type TallyAnswer } from '../../results/type-tally';
import { renderChart } from './chart';

const draw = (body: Partial<QuestionBody>, answers: TallyAnswer[], revealed = false): string => {
  const question = questionSnapshot({
    title: 'T',
    question_text: 'Q',
    time_limit: 30,
    points: 1,
    ...body,
  });
  return renderChart(LiveTally.of(question, answers).toDto(), {
    revealed,
    captionId: 'c',
    tableVisible: true,
    question,
  }).value;
};

describe('renderChart per type', () => {
  it.each<[string, Partial<QuestionBody>, TallyAnswer[], RegExp]>([
    [
      'single',
      { options: ['A', 'B'], correct_answer: 0 },
      [{ choice: 0, correct: true }],
      /Bar chart/,
    ],
    [
      'rating',
      { type: 'rating', scale: { min: 1, max: 3, min_label: 'Low', max_label: 'High' } },
      [{ value: 3, correct: null }],
      /Histogram of 1 ratings from 1 to 3: mean 3, median 3/,
    ],
    [
      'numeric',
      { type: 'numeric', unit: 'kg' },
      [
        { value: 2, correct: null },
        { value: 4, correct: null },
      ],
      /Histogram of 2 numeric answers: median 3 kg/,
    ],
    [
      'text',
      { type: 'text' },
      [{ text: 'Blue sky', correct: null }],
      /Word cloud of 1 text answers; most used: blue \(1\), sky \(1\)/,
    ],
    [
      'ranking',
      { type: 'ranking', options: ['A', 'B'] },
      [{ order: [1, 0], correct: null }],
      /Ranking chart of 1 answers, by mean place: B 1, A 2/,
    ],
  ])('%s: an image with a text summary and a table', (_, body, answers, summary) => {
    const out = draw(body, answers);
    const label = /role="img"\s+aria-label="([^"]*)"/.exec(out)?.[1] ?? '';
    expect(label).toMatch(summary);
    expect(out).toContain('<table>');
    expect(out).toContain('<caption id="c">');
  });

  it('escapes participants’ text in the cloud, the summary and the table', () => {
    const out = draw({ type: 'text' }, [
      { text: '<img src=x onerror=alert(1)> "quoted"', correct: null },
    ]);
    expect(out).not.toMatch(/<img/);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;');
  });

  it('marks the right answer in words once revealed, and not before', () => {
    const numeric = { type: 'numeric' as const, correct_value: 5, tolerance: 0 };
    const answers = [
      { value: 5, correct: true },
      { value: 9, correct: false },
    ];
    expect(draw(numeric, answers, false)).not.toMatch(/Right answer/);
    expect(draw(numeric, answers, true)).toMatch(/Right answer:\s+5/);
    const ranking = { type: 'ranking' as const, options: ['A', 'B'], correct_order: [0, 1] };
    expect(draw(ranking, [{ order: [0, 1], correct: true }], true)).toMatch(/right place 1/);
  });
});
