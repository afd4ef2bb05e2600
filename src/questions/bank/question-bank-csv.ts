import type { CsvFormat } from '../../common/csv/csv-format';
import { fromCsvCell, type CsvRecord } from '../../common/csv/csv-parse';
import { toCsv, type CsvCell } from '../../common/csv/csv-write';
import type { RatingScale } from '../../question-types/question-types';
import type { ExportedQuestion } from './question-bank-format';
import type { ImportItem, ImportProblem } from './import-items';

/**
 * The question bank as CSV: one row per question, columns named after the create body's fields
 * (docs/architecture.md §23). Lists of text (options, accepted answers, tags) take one column per
 * item (`option_1`, `option_2`, …), as many as the longest list in the file, so any text (commas,
 * semicolons, quotes, line breaks) goes through exactly; lists of indexes (correct_answers,
 * correct_order) are one cell joined by ";". The scale is four columns. An empty cell is a field
 * left out (its default, the same "none" the export left out).
 */

/** A text list field and the prefix of its numbered columns. */
const TEXT_LISTS = {
  options: 'option_',
  accepted_answers: 'accepted_answer_',
  tags: 'tag_',
} as const;
type TextList = keyof typeof TEXT_LISTS;

/** Integer or number fields, one cell each. */
const NUMBER_FIELDS = [
  'correct_answer',
  'max_choices',
  'correct_value',
  'tolerance',
  'max_length',
  'time_limit',
  'points',
] as const;
/** Index lists, one cell joined by INDEX_SEPARATOR. */
const INDEX_LISTS = ['correct_answers', 'correct_order'] as const;
const INDEX_SEPARATOR = ';';
const TEXT_FIELDS = ['title', 'question_text', 'type', 'unit', 'difficulty', 'category'] as const;
const SCALE_COLUMNS = {
  scale_min: 'min',
  scale_max: 'max',
  scale_min_label: 'min_label',
  scale_max_label: 'max_label',
} as const;
type ScaleColumn = keyof typeof SCALE_COLUMNS;

/** The columns in file order; a text list stands for its numbered columns. */
const LAYOUT = [
  'title',
  'question_text',
  'type',
  'options',
  'correct_answer',
  'correct_answers',
  'max_choices',
  'scale_min',
  'scale_max',
  'scale_min_label',
  'scale_max_label',
  'correct_value',
  'tolerance',
  'unit',
  'accepted_answers',
  'max_length',
  'correct_order',
  'time_limit',
  'points',
  'difficulty',
  'category',
  'tags',
] as const;

/** The header row that tells this layout apart from Zoom's (zoom-poll-csv.ts). */
export function isBankCsvHeader(header: readonly string[]): boolean {
  const names = header.map(normalizeHeader);
  return names.includes('title') && names.includes('question_text');
}

export function bankCsv(questions: readonly ExportedQuestion[], format: CsvFormat): string {
  const width = (list: TextList): number =>
    Math.max(1, ...questions.map((q) => (q[list] as string[] | undefined)?.length ?? 0));
  const header: string[] = LAYOUT.flatMap((column) =>
    column in TEXT_LISTS
      ? Array.from(
          { length: width(column as TextList) },
          (_, i) => `${TEXT_LISTS[column as TextList]}${i + 1}`,
        )
      : [column],
  );
  const rows = questions.map((q) =>
    LAYOUT.flatMap((column): CsvCell[] => {
      if (column in TEXT_LISTS) {
        const items = (q[column] as string[] | undefined) ?? [];
        return Array.from({ length: width(column as TextList) }, (_, i) => items[i] ?? null);
      }
      if (column in SCALE_COLUMNS) {
        const scale = q.scale as RatingScale | undefined;
        return [scale ? scale[SCALE_COLUMNS[column as ScaleColumn]] : null];
      }
      const value = q[column];
      if (Array.isArray(value)) return [value.join(INDEX_SEPARATOR)];
      return [value as CsvCell];
    }),
  );
  return toCsv(header, rows, format);
}

type Column =
  | { kind: 'text'; field: string }
  | { kind: 'number'; field: string }
  | { kind: 'indexes'; field: string }
  | { kind: 'scale'; key: keyof RatingScale }
  | { kind: 'list'; field: TextList; position: number };

/** What a header cell names in this layout, or null if nothing. */
function columnOf(name: string): Column | null {
  if ((TEXT_FIELDS as readonly string[]).includes(name)) return { kind: 'text', field: name };
  if ((NUMBER_FIELDS as readonly string[]).includes(name)) return { kind: 'number', field: name };
  if ((INDEX_LISTS as readonly string[]).includes(name)) return { kind: 'indexes', field: name };
  if (name in SCALE_COLUMNS) return { kind: 'scale', key: SCALE_COLUMNS[name as ScaleColumn] };
  for (const [field, prefix] of Object.entries(TEXT_LISTS) as [TextList, string][]) {
    const match = new RegExp(`^${prefix}([1-9][0-9]{0,2})$`).exec(name);
    if (match) return { kind: 'list', field, position: Number(match[1]) };
  }
  return null;
}

/**
 * The rows of a bank CSV as create bodies, each with its line, for checkQuestionBody to judge.
 * Only the header is judged here (an unknown or repeated column, a missing title or
 * question_text): every problem with it is returned at once, and no row is read.
 */
export function bankCsvItems(
  records: readonly CsvRecord[],
  delimiter: CsvFormat['delimiter'],
): { ok: true; items: ImportItem[] } | { ok: false; problems: ImportProblem[] } {
  const [head, ...rows] = records;
  const problems: ImportProblem[] = [];
  const names = head.fields.map(normalizeHeader);
  const columns = names.map((name) => {
    const column = columnOf(name);
    if (!column) problems.push({ line: head.line, field: name, reason: 'unknown column' });
    return column;
  });
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      problems.push({ line: head.line, field: name, reason: 'column appears twice' });
    }
  });
  for (const required of ['title', 'question_text']) {
    if (!names.includes(required)) {
      problems.push({ line: head.line, field: required, reason: 'required column is missing' });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const items = rows.map((row): ImportItem => {
    const body: Record<string, unknown> = {};
    const lists: Partial<Record<TextList, string[]>> = {};
    const scale: Partial<Record<keyof RatingScale, unknown>> = {};
    columns.forEach((column, i) => {
      const raw = row.fields[i] ?? '';
      if (!column) return;
      if (column.kind === 'list') {
        (lists[column.field] ??= [])[column.position - 1] = fromCsvCell(raw);
        return;
      }
      if (raw.trim() === '') return;
      switch (column.kind) {
        case 'text':
          body[column.field] = fromCsvCell(raw);
          break;
        case 'number':
          body[column.field] = numberCell(raw, delimiter);
          break;
        case 'indexes':
          body[column.field] = raw.split(INDEX_SEPARATOR).map((part) => numberCell(part, ','));
          break;
        case 'scale':
          scale[column.key] =
            column.key === 'min' || column.key === 'max'
              ? numberCell(raw, delimiter)
              : fromCsvCell(raw);
          break;
      }
    });
    for (const [field, cells] of Object.entries(lists) as [TextList, string[]][]) {
      // Up to the last filled cell: a gap before it is an empty item, which the check refuses.
      let last = cells.length - 1;
      while (last >= 0 && (cells[last] ?? '').trim() === '') last--;
      if (last >= 0) body[field] = Array.from({ length: last + 1 }, (_, i) => cells[i] ?? '');
    }
    if (Object.keys(scale).length > 0) body.scale = scale;
    const extra = row.fields.length > head.fields.length;
    return {
      ref: { line: row.line },
      body,
      problems: extra
        ? [
            {
              line: row.line,
              field: '',
              reason: `more cells than the header's ${head.fields.length}`,
            },
          ]
        : [],
    };
  });
  return { ok: true, items };
}

/** Header cells compared trimmed, in lower case, spaces as underscores ("Question Text"). */
export function normalizeHeader(cell: string): string {
  return cell.trim().toLowerCase().replace(/\s+/g, '_');
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number cell as a number; anything else is passed on as the text it is, so the question's
 * own check says what is wrong with it ("must be an integer number"). The `;` variant writes
 * decimal commas (csv-write.ts), so there a comma reads as the decimal point.
 */
function numberCell(raw: string, delimiter: CsvFormat['delimiter']): unknown {
  const text = fromCsvCell(raw.trim());
  const plain = delimiter === ';' ? text.replace(',', '.') : text;
  return NUMBER.test(plain) ? Number(plain) : text;
}
