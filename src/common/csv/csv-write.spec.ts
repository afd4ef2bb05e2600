import { csvCell, toCsv } from './csv-write';

describe('csvCell', () => {
  it('leaves plain text alone', () => {
    expect(csvCell('Ada Lovelace')).toBe('Ada Lovelace');
  });

  it('quotes fields with a comma, quote, CR or LF and doubles quotes', () => {
    expect(csvCell('Paris, France')).toBe('"Paris, France"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])(
    'neutralises a cell starting with a formula character: %j',
    (value) => {
      const cell = csvCell(value);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).toBe(`'${value}`);
    },
  );

  it('neutralises and quotes together: =HYPERLINK("x","y")', () => {
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });

  it('writes numbers and booleans as they are (a negative number is ours, not a formula)', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(true)).toBe('true');
  });

  it('writes null and undefined as empty fields', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('keeps non-ASCII text as is', () => {
    expect(csvCell('Zoë 😀')).toBe('Zoë 😀');
  });
});

describe('toCsv', () => {
  it('ends every record, the last included, with CRLF, after a byte-order mark by default', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,y'],
          [null, '=cmd'],
        ],
      ),
    ).toBe('\uFEFFa,b\r\n1,"x,y"\r\n,\'=cmd\r\n');
  });
});

describe('toCsv formats', () => {
  it('starts with a byte-order mark when asked, and writes the semicolon variant with decimal commas', () => {
    expect(toCsv(['a', 'b'], [[1.5, 'x;y']], { delimiter: ';', bom: true })).toBe(
      '\uFEFFa;b\r\n1,5;"x;y"\r\n',
    );
    expect(toCsv(['a'], [['x,y']], { delimiter: ';', bom: false })).toBe('a\r\nx,y\r\n');
  });
});

describe('csvCell and an apostrophe already in front of a formula', () => {
  it("adds one more, so the author's own apostrophe survives a read back", () => {
    expect(csvCell("'=x")).toBe("''=x");
    expect(csvCell("'tis")).toBe("'tis");
  });
});
