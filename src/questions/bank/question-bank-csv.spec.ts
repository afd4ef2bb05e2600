import { parseCsv, type CsvRecord } from '../../common/csv/csv-parse';
import { bankCsv, bankCsvItems, isBankCsvHeader } from './question-bank-csv';

const records = (text: string, delimiter: ',' | ';' = ','): CsvRecord[] => {
  const parsed = parseCsv(text, delimiter);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.records;
};
const bodies = (text: string, delimiter: ',' | ';' = ',') => {
  const read = bankCsvItems(records(text, delimiter), delimiter);
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return read.items.map((item) => item.body);
};

describe('bank CSV rows', () => {
  it('writes numbered columns as wide as the longest list, and reads each row back as a create body', () => {
    const questions = [
      {
        title: 'A',
        question_text: 'Q',
        type: 'single',
        options: ['x', 'y', 'z'],
        correct_answer: 2,
        tags: [],
      },
      {
        title: 'B',
        question_text: 'Q',
        type: 'rating',
        scale: { min: 1, max: 5, min_label: null, max_label: 'Top' },
        tags: ['t1', 't2'],
      },
      {
        title: 'C',
        question_text: 'Q',
        type: 'multiple',
        options: ['a', 'b'],
        correct_answers: [0, 1],
        tags: [],
      },
      {
        title: 'D',
        question_text: 'Q',
        type: 'numeric',
        correct_value: -1.5,
        tolerance: 0.25,
        tags: [],
      },
    ];
    for (const delimiter of [',', ';'] as const) {
      const csv = bankCsv(questions, { delimiter, bom: true });
      const [header] = records(csv, delimiter);
      expect(header.fields.filter((h) => h.startsWith('option_'))).toEqual([
        'option_1',
        'option_2',
        'option_3',
      ]);
      expect(header.fields.filter((h) => h.startsWith('tag_'))).toEqual(['tag_1', 'tag_2']);
      expect(bodies(csv, delimiter)).toEqual([
        {
          title: 'A',
          question_text: 'Q',
          type: 'single',
          options: ['x', 'y', 'z'],
          correct_answer: 2,
        },
        {
          title: 'B',
          question_text: 'Q',
          type: 'rating',
          scale: { min: 1, max: 5, max_label: 'Top' },
          tags: ['t1', 't2'],
        },
        {
          title: 'C',
          question_text: 'Q',
          type: 'multiple',
          options: ['a', 'b'],
          correct_answers: [0, 1],
        },
        { title: 'D', question_text: 'Q', type: 'numeric', correct_value: -1.5, tolerance: 0.25 },
      ]);
    }
  });

  it('passes a cell that is not a number on as text, for the question check to name', () => {
    expect(bodies('title,question_text,time_limit,correct_answers\nA,Q,soon,1;x\n')).toEqual([
      { title: 'A', question_text: 'Q', time_limit: 'soon', correct_answers: [1, 'x'] },
    ]);
  });

  it('keeps a gap in a list as an empty item (which the check refuses) and drops trailing empties', () => {
    expect(bodies('title,question_text,option_1,option_2,option_3,option_4\nA,Q,,b,c,\n')).toEqual([
      { title: 'A', question_text: 'Q', options: ['', 'b', 'c'] },
    ]);
  });

  it('reads headers in any case and spacing, and refuses unknown, repeated and missing ones', () => {
    expect(isBankCsvHeader(['Title', 'Question Text'])).toBe(true);
    expect(isBankCsvHeader(['Question', 'Answer 1'])).toBe(false);
    const read = bankCsvItems(records('title,colour,title,option_0\nA,red,A,x\n'), ',');
    expect(read).toEqual({
      ok: false,
      problems: [
        { line: 1, field: 'colour', reason: 'unknown column' },
        { line: 1, field: 'option_0', reason: 'unknown column' },
        { line: 1, field: 'title', reason: 'column appears twice' },
        { line: 1, field: 'question_text', reason: 'required column is missing' },
      ],
    });
  });

  it('names a row with more cells than the header', () => {
    const read = bankCsvItems(records('title,question_text\nA,Q,extra\n'), ',');
    expect(read.ok && read.items[0].problems).toEqual([
      { line: 2, field: '', reason: "more cells than the header's 2" },
    ]);
  });
});
