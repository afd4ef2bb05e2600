import {
  checkRoster,
  MAX_ROSTER_STUDENTS,
  readRosterUpload,
  rosterFromCsv,
  rosterFromJson,
  type RosterResult,
} from './roster';

const roster = (result: RosterResult) => {
  if (!result.ok) throw new Error(`expected a roster, got ${JSON.stringify(result)}`);
  return result.roster;
};
const errors = (result: RosterResult) => {
  if (result.ok || !('errors' in result)) {
    throw new Error(`expected line errors, got ${JSON.stringify(result)}`);
  }
  return result.errors;
};

describe('rosterFromCsv', () => {
  it('reads columns by header name in any order and case, with a BOM, CRLF and quoted fields', () => {
    const text =
      '\uFEFFStudent_ID,EMAIL,Name\r\n' +
      's1,Ada@Example.EDU,"Lovelace, Ada"\r\n' +
      's2,grace@example.edu,"Grace ""Amazing"" Hopper"\r\n';
    expect(roster(rosterFromCsv(text, ','))).toEqual([
      { name: 'Lovelace, Ada', email: 'ada@example.edu', student_id: 's1' },
      { name: 'Grace "Amazing" Hopper', email: 'grace@example.edu', student_id: 's2' },
    ]);
  });

  it('reads LF line ends, a missing final line end, blank lines, and only the columns given', () => {
    const text = 'name,email\n\nAda,ada@example.edu\nAlan Turing,alan@example.edu';
    expect(roster(rosterFromCsv(text, ','))).toEqual([
      { name: 'Ada', email: 'ada@example.edu', student_id: null },
      { name: 'Alan Turing', email: 'alan@example.edu', student_id: null },
    ]);
  });

  it('reads a ";"-separated file when told, and hints at it when not', () => {
    const text = 'name;email;student_id\r\n"Lovelace; Ada";ada@example.edu;s1\r\n';
    expect(roster(rosterFromCsv(text, ';'))).toEqual([
      { name: 'Lovelace; Ada', email: 'ada@example.edu', student_id: 's1' },
    ]);
    const [malformed] = errors(rosterFromCsv(text, ','));
    expect(malformed).toMatchObject({ line: 2, field: 'file' });
    expect(malformed.reason).toContain('?delimiter=semicolon');
    const [header] = errors(rosterFromCsv('name;email\r\nAda;ada@example.edu\r\n', ','));
    expect(header).toMatchObject({ line: 1, field: 'header' });
    expect(header.reason).toContain('?delimiter=semicolon');
  });

  it('trims fields, keeps a student with only a student_id, and empty cells as null', () => {
    const text = 'name,email,student_id\n  Ada  , , s1 \n';
    expect(roster(rosterFromCsv(text, ','))).toEqual([
      { name: 'Ada', email: null, student_id: 's1' },
    ]);
  });

  it('reports every bad line at once, with its line number (a quoted line break counts) and field', () => {
    const text = [
      'name,email,student_id', // 1
      'Ada,ada@example.edu,s1', // 2
      ',nobody@example.edu,s2', // 3: no name
      'Bob,not-an-email,s3', // 4
      '"Multi', // 5-6: one record over two lines
      'line",ADA@example.edu,s4', // duplicate email of line 2 (case-insensitive)
      'Carl,carl@example.edu,s1', // 7: duplicate student id of line 2
      'Dora,,', // 8: neither email nor student id
      'Eve,eve@example.edu', // 9: too few fields
      'Fay,fay@example.edu,s9', // 10: fine
    ].join('\r\n');
    expect(errors(rosterFromCsv(text, ','))).toEqual([
      { line: 3, field: 'name', reason: 'required' },
      { line: 4, field: 'email', reason: 'not a valid email address' },
      { line: 5, field: 'email', reason: 'also on line 2' },
      { line: 7, field: 'student_id', reason: 'also on line 2' },
      { line: 8, field: 'email', reason: expect.stringContaining('student_id is required') },
      {
        line: 9,
        field: 'line',
        reason: expect.stringContaining('2 fields where the header has 3'),
      },
    ]);
  });

  it('refuses unknown, repeated and missing header columns, and an empty file', () => {
    expect(errors(rosterFromCsv('name,e-mail\nAda,a@example.edu\n', ','))).toEqual([
      { line: 1, field: 'header', reason: expect.stringContaining('unknown column "e-mail"') },
    ]);
    expect(errors(rosterFromCsv('name,email,Email\n', ','))).toEqual([
      { line: 1, field: 'header', reason: 'column "email" appears twice' },
    ]);
    expect(errors(rosterFromCsv('email,student_id\n', ','))[0].reason).toContain('missing columns');
    expect(errors(rosterFromCsv('name\nAda\n', ','))[0].reason).toContain('missing columns');
    // Blank lines before the header: errors name the header's own line.
    expect(errors(rosterFromCsv('\r\n\r\nname,mail\r\n', ','))[0]).toMatchObject({
      line: 3,
      field: 'header',
    });
    expect(errors(rosterFromCsv('', ','))[0]).toMatchObject({ line: 1, field: 'header' });
    expect(errors(rosterFromCsv('\uFEFF', ','))[0]).toMatchObject({ line: 1, field: 'header' });
  });

  it('names the line of a malformed file', () => {
    expect(errors(rosterFromCsv('name,email\nAda,"ada@example.edu\n', ','))).toEqual([
      { line: 2, field: 'file', reason: 'a quoted field is never closed' },
    ]);
  });

  it('allows a header alone (an empty roster) and refuses more than the maximum', () => {
    expect(roster(rosterFromCsv('name,email\r\n', ','))).toEqual([]);
    const lines = Array.from(
      { length: MAX_ROSTER_STUDENTS + 1 },
      (_, i) => `S${i},s${i}@example.edu`,
    );
    expect(rosterFromCsv(['name,email', ...lines].join('\n'), ',')).toEqual({
      ok: false,
      tooMany: MAX_ROSTER_STUDENTS + 1,
    });
    expect(roster(rosterFromCsv(['name,email', ...lines.slice(1)].join('\n'), ','))).toHaveLength(
      MAX_ROSTER_STUDENTS,
    );
  });

  it('refuses fields over their length', () => {
    const text = `name,email,student_id\n${'n'.repeat(201)},a@example.edu,${'i'.repeat(65)}\n`;
    expect(errors(rosterFromCsv(text, ','))).toEqual([
      { line: 2, field: 'name', reason: 'longer than 200 characters' },
      { line: 2, field: 'student_id', reason: 'longer than 64 characters' },
    ]);
  });
});

describe('rosterFromJson', () => {
  it('reads {students: [...]} by the same rules, naming entries by their index', () => {
    expect(
      roster(
        rosterFromJson({
          students: [
            { name: 'Ada', email: 'ADA@example.edu', student_id: null },
            { name: 'Alan', student_id: 's2' },
          ],
        }),
      ),
    ).toEqual([
      { name: 'Ada', email: 'ada@example.edu', student_id: null },
      { name: 'Alan', email: null, student_id: 's2' },
    ]);
    expect(
      errors(
        rosterFromJson({
          students: [
            { name: 'Ada', email: 'ada@example.edu' },
            'Bob',
            { name: 'Carl', email: 'ada@example.edu', section: 'B' },
            { name: 42, email: 'dora@example.edu' },
            { name: 'Eve', email: 'ADA@example.edu', student_id: 's5' },
          ],
        }),
      ),
    ).toEqual([
      { index: 1, field: 'student', reason: expect.stringContaining('must be an object') },
      { index: 2, field: 'section', reason: expect.stringContaining('unknown field') },
      { index: 3, field: 'name', reason: 'must be text' },
      { index: 4, field: 'email', reason: 'also at index 0' },
    ]);
  });

  it('refuses a body that is not {students: [...]}', () => {
    for (const body of [null, [], [{ name: 'Ada' }], { students: 'x' }, { students: [], x: 1 }]) {
      expect(rosterFromJson(body)).toEqual({ ok: false, malformed: expect.any(String) });
    }
    expect(
      rosterFromJson({ students: Array.from({ length: MAX_ROSTER_STUDENTS + 1 }, () => ({})) }),
    ).toEqual({ ok: false, tooMany: MAX_ROSTER_STUDENTS + 1 });
  });
});

describe('readRosterUpload', () => {
  it('reads by media type, parameters and case aside, and refuses any other', () => {
    const csv = 'name,email\nAda,ada@example.edu\n';
    expect(
      roster(
        readRosterUpload({ contentType: 'Text/CSV; charset=utf-8', body: csv, delimiter: ',' }),
      ),
    ).toHaveLength(1);
    expect(
      roster(
        readRosterUpload({
          contentType: 'application/json',
          body: { students: [{ name: 'Ada', email: 'ada@example.edu' }] },
          delimiter: ',',
        }),
      ),
    ).toHaveLength(1);
    expect(readRosterUpload({ contentType: 'text/plain', body: csv, delimiter: ',' })).toEqual({
      ok: false,
      unsupported: 'text/plain',
    });
    expect(readRosterUpload({ contentType: undefined, body: csv, delimiter: ',' })).toEqual({
      ok: false,
      unsupported: 'no Content-Type',
    });
  });
});

describe('checkRoster', () => {
  it('keeps the errors found before it, in line order', () => {
    const result = checkRoster(
      [{ where: { line: 3 }, values: { name: '', email: 'x@example.edu' } }],
      [{ line: 5, field: 'line', reason: 'earlier' }],
    );
    expect(errors(result).map((e) => e.line)).toEqual([3, 5]);
  });
});
