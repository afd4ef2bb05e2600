import { isEmail } from 'class-validator';
import type { RosterEntry } from '../common/course-records';
import { parseCsv, type CsvRecord } from '../common/csv/csv-parse';
import type { CsvFormat } from '../common/csv/csv-format';
import type { FileProblemDto } from '../common/errors/error-body';

/**
 * A course's roster as uploaded (PUT /api/courses/{id}/roster): a CSV file or a JSON list, read
 * into the same rows and checked by the same rules (checkRoster), every bad line reported at once.
 * Nothing here touches the database: the service stores a roster only when this found no error.
 */

/**
 * The most students a roster holds: a term's large lecture with room to spare, and well under
 * MongoDB's 16 MB document limit (the roster is embedded in its course, a few hundred bytes a
 * student at most).
 */
export const MAX_ROSTER_STUDENTS = 5000;
export const ROSTER_FIELDS = ['name', 'email', 'student_id'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
const MAX_LENGTH: Record<RosterField, number> = { name: 200, email: 254, student_id: 64 };

/** Where a student is in the upload: the CSV line its record starts on, or its JSON index. */
export type RosterPlace = { line: number } | { index: number };

/** One student as sent, before the rules: each field absent (undefined), null or text. */
export interface RosterRow {
  where: RosterPlace;
  values: Partial<Record<RosterField, unknown>>;
}

export type RosterResult =
  | { ok: true; roster: RosterEntry[] }
  | { ok: false; errors: FileProblemDto[] }
  | { ok: false; tooMany: number }
  /** The body is not a roster at all (JSON only): the reason. */
  | { ok: false; malformed: string }
  /** Neither CSV nor JSON: the media type sent. */
  | { ok: false; unsupported: string };

/** A roster upload as the route received it. */
export interface RosterUpload {
  /** The request's Content-Type header. */
  contentType: string | undefined;
  /** The body: text for text/csv (app.setup.ts), the parsed JSON for application/json. */
  body: unknown;
  delimiter: CsvFormat['delimiter'];
}

/** The roster in an upload, by its media type: CSV or JSON, the same rules either way. */
export function readRosterUpload(upload: RosterUpload): RosterResult {
  const mediaType = (upload.contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'text/csv' && typeof upload.body === 'string') {
    return rosterFromCsv(upload.body, upload.delimiter);
  }
  if (mediaType === 'application/json') return rosterFromJson(upload.body);
  return { ok: false, unsupported: mediaType === '' ? 'no Content-Type' : mediaType.slice(0, 60) };
}

/**
 * A CSV roster: a header row naming the columns (any order, any case; `name` and at least one of
 * `email` and `student_id`; any other column is refused, so a misspelt `e-mail` cannot silently
 * drop every address), then one student a line.
 */
export function rosterFromCsv(text: string, delimiter: CsvFormat['delimiter']): RosterResult {
  const parsed = parseCsv(text, delimiter);
  if (!parsed.ok) {
    const firstLine = text.split(/\r?\n|\r/, 1)[0];
    const reason = parsed.reason + delimiterHint(firstLine, delimiter);
    return failed({ line: parsed.line, field: 'file', reason });
  }
  const [header, ...records] = parsed.records;
  if (!header) {
    return failed({ line: 1, field: 'header', reason: `the file is empty: ${HEADER_RULE}` });
  }
  const columns = readHeader(header, delimiter);
  if (!columns.ok) return { ok: false, errors: columns.errors };
  if (records.length > MAX_ROSTER_STUDENTS) return { ok: false, tooMany: records.length };

  const errors: FileProblemDto[] = [];
  const rows: RosterRow[] = [];
  for (const record of records) {
    if (record.fields.length !== header.fields.length) {
      errors.push({
        line: record.line,
        field: 'line',
        reason: `${record.fields.length} fields where the header has ${header.fields.length} (a field holding "${delimiter}" must be quoted)`,
      });
      continue;
    }
    const values: RosterRow['values'] = {};
    columns.fields.forEach((field, index) => {
      if (field !== null) values[field] = record.fields[index];
    });
    rows.push({ where: { line: record.line }, values });
  }
  return checkRoster(rows, errors);
}

/**
 * A JSON roster: `{"students": [{name, email, student_id}, ...]}`; an error names the entry by
 * its `index` in the array. A field not among those three is refused, like a CSV column.
 */
export function rosterFromJson(body: unknown): RosterResult {
  const students =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).students
      : undefined;
  const extra =
    typeof body === 'object' && body !== null
      ? Object.keys(body).filter((key) => key !== 'students')
      : [];
  if (!Array.isArray(students) || extra.length > 0) {
    return {
      ok: false,
      malformed: `The body must be {"students": [{"name", "email", "student_id"}, ...]}${
        extra.length > 0 ? `; unknown field "${extra[0].slice(0, 40)}"` : ''
      }`,
    };
  }
  if (students.length > MAX_ROSTER_STUDENTS) return { ok: false, tooMany: students.length };
  const errors: FileProblemDto[] = [];
  const rows: RosterRow[] = [];
  students.forEach((student: unknown, index) => {
    if (typeof student !== 'object' || student === null || Array.isArray(student)) {
      errors.push({
        index,
        field: 'student',
        reason: 'must be an object {name, email, student_id}',
      });
      return;
    }
    const unknown = Object.keys(student).filter((k) => !isRosterField(k));
    for (const key of unknown) {
      errors.push({ index, field: key.slice(0, 40), reason: `unknown field; ${FIELDS_RULE}` });
    }
    if (unknown.length === 0) rows.push({ where: { index }, values: student });
  });
  return checkRoster(rows, errors);
}

/**
 * The rules of a roster line, one place for CSV and JSON: a name; an email, valid, lower-cased and
 * unique in the roster, or a student id, unique, or both. A line without an email is kept but no
 * Zoom participant can be matched to it (Zoom names people by email): the response counts them.
 * Every bad line is reported, in file order; `earlier` are problems found before these rules.
 */
export function checkRoster(rows: RosterRow[], earlier: FileProblemDto[] = []): RosterResult {
  const errors = [...earlier];
  const roster: RosterEntry[] = [];
  const emailAt = new Map<string, RosterPlace>();
  const idAt = new Map<string, RosterPlace>();
  for (const { where, values } of rows) {
    const problems: FileProblemDto[] = [];
    const problem = (field: RosterField, reason: string): void => {
      problems.push({ ...where, field, reason });
    };
    const text = (field: RosterField): string | null => {
      const value = values[field];
      if (value === undefined || value === null) return null;
      if (typeof value !== 'string') {
        problem(field, 'must be text');
        return null;
      }
      const trimmed = value.trim();
      if (trimmed.length > MAX_LENGTH[field]) {
        problem(field, `longer than ${MAX_LENGTH[field]} characters`);
        return null;
      }
      return trimmed === '' ? null : trimmed;
    };
    const name = text('name');
    const rawEmail = text('email');
    const studentId = text('student_id');
    const email = rawEmail?.toLowerCase() ?? null;
    if (name === null && !problems.some((p) => p.field === 'name')) {
      problem('name', 'required');
    }
    if (email !== null) {
      if (!isEmail(email)) {
        problem('email', 'not a valid email address');
      } else {
        const first = emailAt.get(email);
        if (first) problem('email', `also ${placeIn(first)}`);
        else emailAt.set(email, where);
      }
    }
    if (studentId !== null) {
      const first = idAt.get(studentId);
      if (first) problem('student_id', `also ${placeIn(first)}`);
      else idAt.set(studentId, where);
    }
    if (email === null && studentId === null && !problems.some((p) => p.field !== 'name')) {
      problem('email', 'an email or a student_id is required to tell students apart');
    }
    errors.push(...problems);
    if (problems.length === 0 && name !== null) {
      roster.push({ name, email, student_id: studentId });
    }
  }
  if (errors.length > 0) {
    return { ok: false, errors: errors.sort((a, b) => positionOf(a) - positionOf(b)) };
  }
  return { ok: true, roster };
}

const HEADER_RULE =
  'the first line names the columns: name, and email or student_id or both (any order)';
const FIELDS_RULE = 'the fields are name, email and student_id';

function isRosterField(name: string): name is RosterField {
  return (ROSTER_FIELDS as readonly string[]).includes(name);
}

/** Which roster field each column of the header row holds; unknown or repeated columns are errors. */
function readHeader(
  header: CsvRecord,
  delimiter: CsvFormat['delimiter'],
): { ok: true; fields: (RosterField | null)[] } | { ok: false; errors: FileProblemDto[] } {
  const errors: FileProblemDto[] = [];
  const fields: (RosterField | null)[] = [];
  const seen = new Set<RosterField>();
  const { line } = header;
  for (const cell of header.fields) {
    const name = cell.trim().toLowerCase();
    if (!isRosterField(name)) {
      errors.push({
        line,
        field: 'header',
        reason: `unknown column "${cell.slice(0, 40)}"; ${HEADER_RULE}${delimiterHint(cell, delimiter)}`,
      });
      fields.push(null);
    } else if (seen.has(name)) {
      errors.push({ line, field: 'header', reason: `column "${name}" appears twice` });
      fields.push(null);
    } else {
      seen.add(name);
      fields.push(name);
    }
  }
  if (
    errors.length === 0 &&
    (!seen.has('name') || (!seen.has('email') && !seen.has('student_id')))
  ) {
    errors.push({ line, field: 'header', reason: `missing columns: ${HEADER_RULE}` });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, fields };
}

/** When `text` (the header) holds the other delimiter and not this one: the likely fix. */
function delimiterHint(text: string, delimiter: CsvFormat['delimiter']): string {
  const other = delimiter === ',' ? ';' : ',';
  if (!text.includes(other) || text.includes(delimiter)) return '';
  return ` (is the file separated by "${other}"? then add ?delimiter=${other === ';' ? 'semicolon' : 'comma'})`;
}

function placeIn(where: RosterPlace): string {
  return 'line' in where ? `on line ${where.line}` : `at index ${where.index}`;
}

function positionOf(problem: FileProblemDto): number {
  return problem.line ?? problem.index ?? 0;
}

function failed(error: FileProblemDto): RosterResult {
  return { ok: false, errors: [error] };
}
