import { parseCsv } from '../../common/csv/csv-parse';
import { isZoomPollHeader, zoomPollItems } from './zoom-poll-csv';

const items = (text: string) => {
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return zoomPollItems(parsed.records);
};

describe("Zoom's poll CSV rows", () => {
  it('is told apart by a question column and numbered answer columns, in any spelling', () => {
    expect(isZoomPollHeader(['Question', 'Answer 1', 'Answer 2'])).toBe(true);
    expect(isZoomPollHeader(['question', 'answer_1'])).toBe(true);
    expect(isZoomPollHeader(['title', 'question_text'])).toBe(false);
  });

  it('maps single and multiple choice with their right answers by text', () => {
    const [single, multiple] = items(
      'Question,Question Type,Answer 1,Answer 2,Answer 3,Correct Answer\n' +
        'Q1,Single Choice,a,"b; c",d,b; c\n' +
        'Q2,multiple,a,b,c,a;c\n',
    );
    expect(single).toEqual({
      ref: { line: 2 },
      body: {
        title: 'Q1',
        question_text: 'Q1',
        type: 'single',
        options: ['a', 'b; c', 'd'],
        correct_answer: 1,
      },
      problems: [],
    });
    expect(multiple.body).toMatchObject({ type: 'multiple', correct_answers: [0, 2] });
  });

  it('a type left empty is single choice; no right answer is a survey', () => {
    const [item] = items('Question,Answer 1,Answer 2\nQ,a,b\n');
    expect(item.body).toEqual({
      title: 'Q',
      question_text: 'Q',
      type: 'single',
      options: ['a', 'b'],
    });
  });

  it('cuts a question longer than a title may be into the title, whole in the text', () => {
    const long = 'w'.repeat(250);
    const [item] = items(`Question,Answer 1,Answer 2\n${long},a,b\n`);
    expect(item.body).toMatchObject({ title: `${'w'.repeat(199)}…`, question_text: long });
  });

  it('maps short answers to text questions with the right answers accepted', () => {
    const [item] = items(
      'Question,Question Type,Answer 1,Correct Answer\nOcean?,Short Answer,,Pacific;Atlantic\n',
    );
    expect(item.body).toMatchObject({ type: 'text', accepted_answers: ['Pacific', 'Atlantic'] });
  });

  it('refuses types with no equivalent, right answers that are not answers, and two right answers for single', () => {
    const found = items(
      'Question,Question Type,Answer 1,Answer 2,Correct Answer\n' +
        'Q1,Matching,a,b,\n' +
        'Q2,Single Choice,a,b,c\n' +
        'Q3,Single Choice,a,b,a;b\n',
    ).map((item) => item.problems);
    expect(found).toEqual([
      [{ line: 2, field: 'type', reason: expect.stringContaining('Matching') }],
      [{ line: 3, field: 'correct_answer', reason: '"c" is not one of the answers' }],
      [
        {
          line: 4,
          field: 'correct_answer',
          reason: 'a single choice question has one right answer',
        },
      ],
    ]);
  });
});
