import type { CsvFormat } from './csv-format';
import { DEFAULT_CSV_FORMAT } from './csv-format';

/**
 * RFC 4180 CSV: CRLF line ends, fields holding the delimiter, a quote, CR or LF quoted, quotes
 * doubled. Cells are also neutralised against formula injection (OWASP "CSV injection"): a
 * spreadsheet treats a cell starting with =, +, -, @, tab or CR as a formula, and names and
 * answers come from participants, so such cells get a leading apostrophe. The one CSV writer of
 * the service: every download goes through toCsv.
 */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * A cell a spreadsheet would run as a formula: it starts with =, +, -, @, tab or CR, or with
 * apostrophes and then one of those (so a text that already starts with an apostrophe before a
 * formula character gets one more, and fromCsvCell in csv-parse.ts gives the text back exactly).
 */
export const FORMULA_START = /^'*[=+\-@\t\r]/;
const UTF8_BOM = '\uFEFF';

export function csvCell(value: CsvCell, delimiter: CsvFormat['delimiter'] = ','): string {
  if (value === null || value === undefined) return '';
  // Numbers we produce ourselves (scores, latencies) are safe as they are, negative ones included.
  // With `;` as the delimiter a spreadsheet expects a decimal comma: numbers are written with one.
  let text =
    typeof value === 'number'
      ? delimiter === ';'
        ? String(value).replace('.', ',')
        : String(value)
      : typeof value === 'boolean'
        ? String(value)
        : value;
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  const needsQuotes = /["\r\n]/.test(text) || text.includes(delimiter);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The whole file: the header, then the rows, each record ended by CRLF; with a byte-order mark
 * first when the format asks for one (spreadsheet apps read UTF-8 without it as a legacy code page).
 */
export function toCsv(
  header: string[],
  rows: CsvCell[][],
  format: CsvFormat = DEFAULT_CSV_FORMAT,
): string {
  const body = [header, ...rows]
    .map(
      (row) => row.map((cell) => csvCell(cell, format.delimiter)).join(format.delimiter) + '\r\n',
    )
    .join('');
  return format.bom ? UTF8_BOM + body : body;
}
