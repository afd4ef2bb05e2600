/**
 * RFC 4180 CSV: CRLF line ends, fields holding a comma, quote, CR or LF quoted, quotes doubled.
 * Cells are also neutralised against formula injection (OWASP "CSV injection"): a spreadsheet
 * treats a cell starting with =, +, -, @, tab or CR as a formula, and names and answers come from
 * participants, so such cells get a leading apostrophe.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  // Numbers we produce ourselves (scores, latencies) are safe as they are, negative ones included.
  let text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}
