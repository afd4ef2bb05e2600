import { fromCsvCell, type CsvRecord } from '../../common/csv/csv-parse';
import type { QuestionType } from '../../question-types/question-types';
import type { ImportItem, ImportProblem } from './import-items';

/**
 * Zoom's CSV layout for importing meeting polls and quizzes (docs/architecture.md §23, the README
 * table says what maps): a header row, then one question per row with the question, its type,
 * up to ten answers in numbered columns and, for a quiz, the right answer(s) by their text.
 * Header names are matched ignoring case, spaces and punctuation ("Answer 1", "answer1").
 */

/** A header cell reduced to letters and digits, lower case. */
const key = (cell: string): string => cell.toLowerCase().replace(/[^a-z0-9]/g, '');

const QUESTION = ['question', 'questiontext'];
const TYPE = ['type', 'questiontype'];
const CORRECT = ['correctanswer', 'correctanswers', 'rightanswer', 'rightanswers'];
const POLL_TITLE = ['polltitle', 'title', 'quiztitle'];
const ANSWER = /^answer(\d{1,2})$/;

/** Zoom's question types as its CSV names them, and what each becomes here. */
const ZOOM_TYPES: Record<string, QuestionType> = {
  single: 'single',
  singlechoice: 'single',
  multiple: 'multiple',
  multiplechoice: 'multiple',
  shortanswer: 'text',
  longanswer: 'text',
  fillintheblank: 'text',
  rankorder: 'ranking',
};
/** Zoom types that have no question here: named in the refusal. */
const UNMAPPED_TYPES: Record<string, string> = {
  matching: 'Matching',
  ratingscale: 'Rating scale (its scale is not in the CSV)',
};

/** Where the answer texts of several right answers are separated. */
const CORRECT_SEPARATOR = ';';
/** A bank title is at most 200 characters; a longer question is cut, with an ellipsis. */
const TITLE_MAX = 200;

/** A Zoom poll CSV has a question column and numbered answer columns. */
export function isZoomPollHeader(header: readonly string[]): boolean {
  const keys = header.map(key);
  return keys.some((k) => QUESTION.includes(k)) && keys.some((k) => ANSWER.test(k));
}

/** Each row as a create body; what cannot be mapped is a problem on its line. */
export function zoomPollItems(records: readonly CsvRecord[]): ImportItem[] {
  const [head, ...rows] = records;
  const keys = head.fields.map(key);
  const find = (names: string[]): number => keys.findIndex((k) => names.includes(k));
  const question = find(QUESTION);
  const type = find(TYPE);
  const correct = find(CORRECT);
  const pollTitle = find(POLL_TITLE);
  const answers = keys
    .map((k, i) => ({ n: Number(ANSWER.exec(k)?.[1] ?? NaN), i }))
    .filter(({ n }) => !Number.isNaN(n))
    .sort((a, b) => a.n - b.n)
    .map(({ i }) => i);

  return rows.map((row) => {
    const cell = (i: number): string => (i >= 0 ? fromCsvCell(row.fields[i] ?? '').trim() : '');
    const line = row.line;
    const problems: ImportProblem[] = [];
    const text = cell(question);
    const options = answers.map(cell).filter((a) => a !== '');
    const zoomType = key(cell(type));
    const mapped: QuestionType | undefined = zoomType === '' ? 'single' : ZOOM_TYPES[zoomType];
    if (!mapped) {
      const what = UNMAPPED_TYPES[zoomType] ?? `"${cell(type)}"`;
      problems.push({
        line,
        field: 'type',
        reason: `Zoom question type ${what} has no equivalent here`,
      });
    }
    const rightTexts = splitCorrect(cell(correct), options);

    const body: Record<string, unknown> = {
      title: text.length > TITLE_MAX ? `${text.slice(0, TITLE_MAX - 1).trimEnd()}…` : text,
      question_text: text,
      type: mapped ?? 'single',
    };
    if (pollTitle >= 0 && cell(pollTitle) !== '') body.category = cell(pollTitle);
    if (mapped === 'text') {
      if (options.length > 0) {
        problems.push({
          line,
          field: 'options',
          reason: 'a short or long answer question has no answers to choose from',
        });
      }
      if (rightTexts.length > 0) body.accepted_answers = rightTexts;
    } else if (mapped) {
      body.options = options;
      const indexes = rightTexts.map((t) => options.indexOf(t));
      indexes.forEach((index, i) => {
        if (index < 0) {
          problems.push({
            line,
            field: 'correct_answer',
            reason: `"${rightTexts[i]}" is not one of the answers`,
          });
        }
      });
      if (mapped === 'single' && indexes.length > 1) {
        problems.push({
          line,
          field: 'correct_answer',
          reason: 'a single choice question has one right answer',
        });
      }
      if (mapped === 'single' && indexes.length === 1) body.correct_answer = indexes[0];
      if (mapped === 'multiple' && indexes.length > 0) body.correct_answers = indexes;
      if (mapped === 'ranking' && indexes.length > 0) {
        problems.push({
          line,
          field: 'correct_answer',
          reason: 'a rank order question has no right answer in this layout',
        });
      }
    }
    return { ref: { line }, body, problems };
  });
}

/**
 * The right answers' texts: the whole cell when it is one of the answers (an answer may itself
 * hold a ";"), else the cell split at ";".
 */
function splitCorrect(cell: string, options: readonly string[]): string[] {
  if (cell === '') return [];
  if (options.includes(cell)) return [cell];
  return cell
    .split(CORRECT_SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
