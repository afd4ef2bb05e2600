import { FORMULA_START } from './csv-write';

/**
 * The one CSV reader for uploads (a roster, a question bank): RFC 4180 as spreadsheet apps write
 * it. CRLF or LF line ends, quoted fields with doubled quotes and line breaks inside, a leading
 * UTF-8 byte-order mark dropped, blank lines skipped. Each record carries the line number it
 * starts on (1-based, the header is line 1), so an upload's errors can name the line a person
 * sees in their editor. A malformed file (a quote left open, text after a closing quote) is one
 * error naming its line: nothing of it is used.
 */
export interface CsvRecord {
  /** The line this record starts on, 1-based. */
  line: number;
  fields: string[];
}

export type CsvParseResult =
  { ok: true; records: CsvRecord[] } | { ok: false; line: number; reason: string };

export function parseCsv(text: string, delimiter: ',' | ';' = ','): CsvParseResult {
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false; // a quoted field just closed: only a delimiter or line end may follow
  let fieldStarted = false;

  const endRecord = (): void => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !fieldStarted;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
    fieldStarted = false;
  };

  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (ch === '\n') line++;
        else if (ch === '\r' && input[i + 1] !== '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      afterQuote = false;
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (afterQuote) {
      return { ok: false, line, reason: 'text after a closing quote (quote the whole field)' };
    } else if (ch === '"') {
      if (field !== '') {
        return {
          ok: false,
          line,
          reason: 'a quote inside an unquoted field (quote the field and double the quote)',
        };
      }
      quoted = true;
      fieldStarted = true;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) return { ok: false, line: recordLine, reason: 'a quoted field is never closed' };
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return { ok: true, records };
}

/**
 * A text cell as its author wrote it: the apostrophe csvCell (csv-write.ts) puts before a cell a
 * spreadsheet would run as a formula is taken off again, so what we export imports back exactly.
 * An apostrophe before anything else is the author's own and stays.
 */
export function fromCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}
