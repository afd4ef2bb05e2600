import { fromCsvCell, parseCsv } from './csv-parse';
import { toCsv } from './csv-write';

describe('parseCsv', () => {
  it('reads records with the line each starts on, header first', () => {
    expect(parseCsv('name,email\r\nAda,ada@example.com\r\n')).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['name', 'email'] },
        { line: 2, fields: ['Ada', 'ada@example.com'] },
      ],
    });
  });

  it('drops a byte-order mark, accepts LF, skips blank lines, keeps a last line without an end', () => {
    const result = parseCsv('\uFEFFa,b\n\n1,2\n3,4');
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 3, fields: ['1', '2'] },
        { line: 4, fields: ['3', '4'] },
      ],
    });
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, counting lines inside', () => {
    const result = parseCsv('a,b\r\n"x, y","say ""hi""\r\nthere"\r\nlast,1\r\n');
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x, y', 'say "hi"\r\nthere'] },
        { line: 4, fields: ['last', '1'] },
      ],
    });
  });

  it('keeps empty fields, a trailing one included', () => {
    expect(parseCsv('a,,c,\n')).toEqual({
      ok: true,
      records: [{ line: 1, fields: ['a', '', 'c', ''] }],
    });
    expect(parseCsv(',\n')).toEqual({ ok: true, records: [{ line: 1, fields: ['', ''] }] });
  });

  it('reads the semicolon variant', () => {
    expect(parseCsv('a;"b;c"\n', ';')).toEqual({
      ok: true,
      records: [{ line: 1, fields: ['a', 'b;c'] }],
    });
  });

  it('refuses a quote left open, naming the line its record starts on', () => {
    expect(parseCsv('a,b\n1,"open\n2,3\n')).toEqual({
      ok: false,
      line: 2,
      reason: 'a quoted field is never closed',
    });
  });

  it('refuses text after a closing quote and a quote inside an unquoted field', () => {
    expect(parseCsv('a\n"x"y\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseCsv('a\nx"y\n')).toMatchObject({ ok: false, line: 2 });
  });

  it('reads back what toCsv writes, in both delimiters', () => {
    const rows = [
      ['Zoë', 'x,y', 'say "hi"', 'two\nlines', ''],
      ['a;b', '1', 'plain', '', 'end'],
    ];
    for (const delimiter of [',', ';'] as const) {
      const written = toCsv(['h1', 'h2', 'h3', 'h4', 'h5'], rows, { delimiter, bom: true });
      const result = parseCsv(written, delimiter);
      expect(result.ok && result.records.map((r) => r.fields)).toEqual([
        ['h1', 'h2', 'h3', 'h4', 'h5'],
        ...rows,
      ]);
    }
  });
});

describe('fromCsvCell', () => {
  it.each(['=1+1', '-5 degrees', '@home', "'=already quoted", "''+x"])(
    'reads back exactly what csvCell wrote for %j',
    (text) => {
      const written = toCsv(['a'], [[text]], { delimiter: ',', bom: false });
      const parsed = parseCsv(written);
      expect(parsed.ok && fromCsvCell(parsed.records[1].fields[0])).toBe(text);
    },
  );

  it("keeps an author's apostrophe before anything but a formula character", () => {
    expect(fromCsvCell("'tis")).toBe("'tis");
    expect(fromCsvCell('plain')).toBe('plain');
  });
});
