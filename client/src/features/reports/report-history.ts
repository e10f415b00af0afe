import { addSums, emptySums, historyFigures, type HistoryFigures, type HistoryRow, type HistorySums } from '../../../../shared/history.js';
import type { Light, Thresholds } from '../../../../shared/lights.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { FIGURE_FORMAT, figureCsv, figureText, type Translate } from './report-figures.js';
import { numberCell, textCell, textColumn, type ReportCell, type ReportColumn, type ReportTable } from './report-table.js';

/** The month's history as tables: the cuts (day type, advisor, service, customer) and the month's days. */
/** Rows of a cut added up per key over the whole range (the sums are additive by design). */
export function sumByKey(rows: readonly HistoryRow[]): Map<string, HistorySums> {
  const out = new Map<string, HistorySums>();
  for (const r of rows) {
    const acc = out.get(r.key) ?? emptySums();
    out.set(r.key, addSums(acc, r.sums));
  }
  return out;
}

export interface CutSummary {
  key: string;
  sums: HistorySums;
  figures: HistoryFigures;
}

/** One line per value of the cut, its figures derived from the summed rows exactly as the hub derives them. */
export function cutSummaries(rows: readonly HistoryRow[], thresholds: Thresholds, cjiWeights: WorkshopConfig['cjiWeights']): CutSummary[] {
  return [...sumByKey(rows)].map(([key, sums]) => ({ key, sums, figures: historyFigures(sums, thresholds, cjiWeights) }));
}

const CUT_FIGURES = ['firstTimeFix', 'csat', 'complaintRate', 'averageWait', 'nps'] as const;

/**
 * A cross-cut over the month: cars, completions and the figures of the KPI article's
 * multi-dimensional board (7.2), one line per advisor / service / day type / customer kind.
 * `perDay` divides the counts by the calendar days each key covers (weekend vs weekday: 2.1×),
 * closed days included, as every "per day" on the page.
 */
export function cutTable(id: string, summaries: readonly CutSummary[], label: (key: string) => string, t: Translate, perDay?: (key: string) => number): ReportTable {
  const lit = (name: string, f: { value: number | null; light: Light }): ReportCell => {
    const format = FIGURE_FORMAT[name] ?? 'percent';
    return { text: figureText(f.value, format), light: f.light, csv: [figureCsv(f.value, format), f.light] };
  };
  const count = (n: number, key: string): ReportCell => {
    const days = perDay?.(key);
    const v = days ? Math.round((n / days) * 10) / 10 : n;
    return { text: days ? v.toFixed(1) : String(v), csv: [v] };
  };
  const perDayLabel = (what: string) => (perDay ? t('reports.col.perDay', { what }) : what);
  const litColumn = (name: string, label2: string): ReportColumn => {
    const format = FIGURE_FORMAT[name] ?? 'percent';
    const unit = format === 'percent' ? ' (%)' : format === 'minutes' ? ` (${t('unit.min')})` : '';
    return { key: name, label: label2, csvHeaders: [`${label2}${unit}`, `${label2}: ${t('reports.csv.light')}`], numeric: true };
  };
  return {
    id,
    columns: [
      textColumn('cut', t('reports.col.cut')),
      textColumn('checkedIn', perDayLabel(t('reports.col.checkedIn')), true),
      textColumn('completed', perDayLabel(t('reports.col.completed')), true),
      ...CUT_FIGURES.map((n) => litColumn(n, t(`reports.kpi.${n}`))),
      textColumn('averageService', `${t('reports.col.averageService')} (${t('unit.min')})`, true),
    ],
    rows: summaries.map((s) => ({
      key: s.key,
      cells: [
        { ...textCell(label(s.key)), testid: 'name' },
        count(s.sums.checkedIn, s.key),
        count(s.sums.completed, s.key),
        ...CUT_FIGURES.map((n) => lit(n, s.figures[n])),
        numberCell(s.figures.averageServiceMin === null ? null : Math.round(s.figures.averageServiceMin)),
      ],
    })),
  };
}

/** The month day by day, as the trend charts draw it. */
export function monthTable(rows: readonly HistoryRow[], t: Translate): ReportTable {
  const fig = (name: string, f: { value: number | null; light: Light }): ReportCell => {
    const format = FIGURE_FORMAT[name] ?? 'percent';
    return { text: figureText(f.value, format), light: f.light, csv: [figureCsv(f.value, format), f.light] };
  };
  const names = ['utilisation', 'firstTimeFix', 'csat', 'averageWait', 'nps', 'cji'] as const;
  return {
    id: 'month',
    columns: [
      textColumn('date', t('reports.col.date')),
      textColumn('checkedIn', t('reports.col.checkedIn'), true),
      textColumn('completed', t('reports.col.completed'), true),
      ...names.map((n) => {
        const label = n === 'utilisation' ? t('reports.kpi.seed.utilisation') : t(`reports.kpi.${n}`);
        const format = FIGURE_FORMAT[n]!;
        const unit = format === 'percent' ? ' (%)' : format === 'minutes' ? ` (${t('unit.min')})` : '';
        return { key: n, label, csvHeaders: [`${label}${unit}`, `${label}: ${t('reports.csv.light')}`], numeric: true };
      }),
    ],
    rows: rows.map((r) => ({
      key: r.label,
      cells: [textCell(r.label), numberCell(r.sums.checkedIn), numberCell(r.sums.completed), ...names.map((n) => fig(n, r.figures[n]))],
    })),
  };
}
