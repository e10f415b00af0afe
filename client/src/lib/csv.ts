/**
 * CSV as Excel and every spreadsheet read it (RFC 4180): comma-separated, CRLF line ends, a
 * field quoted when it holds a comma, a quote, a line break or edge spaces, quotes doubled
 * inside. The text starts with a UTF-8 byte-order mark: without it Excel on a Chinese or
 * European Windows guesses the local code page and shows 张伟 as mojibake. No text field
 * starts a formula (docs/security.md, "Exports and displayed text").
 */
export type CsvCell = string | number | boolean | null | undefined;

export const CSV_BOM = '\uFEFF';

/**
 * Text a spreadsheet would run as a formula (OWASP, "CSV Injection"): a plate or job id typed
 * as `=HYPERLINK(…)` or `=cmd|'/c calc'!A` must open as the text it is. Such a cell gets a
 * leading single quote, which Excel and LibreOffice read as "this is text".
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field. Only text can start a formula: a number the app writes itself (a negative change,
 * "-3") is written as the number, so it stays numeric in the sheet; text, whatever it looks
 * like, is neutralised (a job id "-5" is an id, not a figure).
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  // Excel would show 1e-7 as text; a spreadsheet wants the plain decimal.
  const text = typeof value === 'number' ? (Number.isFinite(value) ? numberText(value) : '') : neutralised(String(value));
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const neutralised = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

function numberText(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 1e-6) return String(n);
  return n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

/** The whole file: BOM, header row, one line per row, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  for (const [i, r] of rows.entries()) {
    if (r.length !== header.length) throw new Error(`CSV row ${i + 1} has ${r.length} fields, the header ${header.length}`);
  }
  const lines = [header, ...rows].map((r) => r.map(csvField).join(','));
  return `${CSV_BOM}${lines.map((l) => `${l}\r\n`).join('')}`;
}

/**
 * Reads CSV back (the same dialect, BOM allowed): for tests and for anyone checking an export.
 * Strict: an unterminated quote or a stray quote in a plain field is an error, not a guess.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(CSV_BOM) ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < src.length) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') throw new Error(`CSV: text after a closing quote at ${i}`);
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (fieldStarted) throw new Error(`CSV: a quote inside an unquoted field at ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A file name that every OS accepts: letters, digits, dot, dash and underscore only. */
export function csvFileName(...parts: readonly string[]): string {
  return `${parts.map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')).filter(Boolean).join('_')}.csv`;
}

/** Hands the text to the browser as a download (a Blob URL revoked once the click has been taken). */
export function downloadCsv(fileName: string, csv: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
