import type { RankedKpi } from '../../../../shared/daily.js';
import type { Light } from '../../../../shared/lights.js';
import { toCsv, type CsvCell } from '../../lib/csv.js';
import { FIGURE_FORMAT, figureCsv, figureText, figureTitle, type FigureFormat, type Translate } from './report-figures.js';

/**
 * The model of one report table: cells with their text, light, rank and CSV values, so the
 * screen and its CSV come from the same cells and cannot drift apart; the ranking of a day's
 * league tables.
 */
export interface ReportCell {
  text: string;
  csv: CsvCell[];
  light?: Light;
  rank?: number | null;
  /** Formula and sample, on hover. */
  title?: string;
  /** Said beside the figure: "too little data" below the minimum sample (grey, no rank). */
  note?: string;
  testid?: string;
}

export interface ReportColumn {
  key: string;
  label: string;
  /** A second line under the heading: the figure's other name. */
  hint?: string;
  csvHeaders: string[];
  numeric: boolean;
}

export interface ReportRow {
  key: string;
  cells: ReportCell[];
}

export interface ReportTable {
  id: string;
  columns: ReportColumn[];
  rows: ReportRow[];
}

export function tableCsv(table: ReportTable): string {
  return toCsv(
    table.columns.flatMap((c) => c.csvHeaders),
    table.rows.map((r) => r.cells.flatMap((c) => c.csv)),
  );
}

export const textColumn = (key: string, label: string, numeric = false): ReportColumn => ({ key, label, csvHeaders: [label], numeric });
export const textCell = (text: string, csv: CsvCell = text): ReportCell => ({ text, csv: [csv] });
export const numberCell = (n: number | null, places = 0): ReportCell => ({ text: n === null ? '—' : n.toFixed(places), csv: [n] });

export function kpiColumn(key: string, label: string, format: FigureFormat, t: Translate, hint?: string): ReportColumn {
  const unit = format === 'percent' ? ' (%)' : format === 'minutes' ? ` (${t('unit.min')})` : '';
  return {
    key,
    label,
    ...(hint !== undefined && { hint }),
    csvHeaders: [`${label}${unit}`, `${label}: ${t('reports.csv.light')}`, `${label}: ${t('reports.csv.rank')}`, `${label}: ${t('reports.csv.sample')}`],
    numeric: true,
  };
}

export function kpiCell(name: string, k: RankedKpi, t: Translate, testid?: string): ReportCell {
  const format = FIGURE_FORMAT[name] ?? 'percent';
  return {
    text: figureText(k.value, format),
    light: k.light,
    rank: k.rank,
    title: figureTitle(name, k.sample, t),
    ...(!k.enough && k.value !== null && { note: t('reports.tooLittleData') }),
    csv: [figureCsv(k.value, format), k.light, k.rank, k.sample],
    ...(testid !== undefined && { testid }),
  };
}

/** Competition ranking by score (1, 2, 2, 4), best first; no score, no rank. */
export function scoreRanks(scores: readonly (number | null)[]): (number | null)[] {
  const known = scores.filter((s): s is number => s !== null);
  return scores.map((s) => (s === null ? null : 1 + known.filter((o) => o > s).length));
}

/** Rows in rank order (unranked last, then by name) — the day's league table. */
export function byRank<T>(items: readonly T[], score: (x: T) => number | null, name: (x: T) => string): { item: T; rank: number | null }[] {
  const ranks = scoreRanks(items.map(score));
  return items
    .map((item, i) => ({ item, rank: ranks[i] ?? null }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || name(a.item).localeCompare(name(b.item)));
}
