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
