/**
 * The one table the harness prints: a row per figure, with its baseline, the ratio to it, the
 * target of the issue and whether it is met.
 */

export type Verdict = 'pass' | 'FAIL' | '';

export interface Row {
  section: string;
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  verdict: Verdict;
}

export class Table {
  readonly rows: Row[] = [];

  add(section: string, measure: string, value: string, extra: { baseline?: string; ratio?: number | null; target?: string; ok?: boolean | null } = {}): void {
    this.rows.push({
      section,
      measure,
      value,
      baseline: extra.baseline ?? '',
      ratio: extra.ratio === undefined || extra.ratio === null ? '' : `${(extra.ratio * 100).toFixed(0)} %`,
      target: extra.target ?? '',
      verdict: extra.ok === undefined || extra.ok === null ? '' : extra.ok ? 'pass' : 'FAIL',
    });
  }

  render(): string {
    const head: Record<keyof Row, string> = { section: 'section', measure: 'measure', value: 'Pitwall', baseline: 'baseline', ratio: 'ratio', target: 'target', verdict: 'result' };
    const cols = Object.keys(head) as (keyof Row)[];
    const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[head, ...this.rows].map((r) => r[c].length))])) as Record<keyof Row, number>;
    const line = (r: Record<keyof Row, string>) => `| ${cols.map((c) => r[c].padEnd(width[c])).join(' | ')} |`;
    const rule = `|${cols.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`;
    return [line(head), rule, ...this.rows.map(line)].join('\n');
  }
}

export function fmtRate(n: number | null | undefined, unit = 'ev/s'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return `${Math.round(n).toLocaleString('en-US')} ${unit}`;
}

export function fmtMs(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`;
}

export function fmtS(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return `${n.toFixed(n >= 10 ? 1 : 2)} s`;
}

export function fmtMb(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function fmtKb(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || !(b > 0)) return null;
  return a / b;
}
