import type { HistoryRow } from '../../../../shared/history.js';
import { isoWeekday } from './report-days.js';

/** The month's trend and the folded histories (day of week, hour of day) as chart series. */
export interface TrendSeries {
  labels: string[];
  utilisation: (number | null)[];
  firstTimeFix: (number | null)[];
  csat: (number | null)[];
  completed: number[];
  averageWait: (number | null)[];
  /** Weekend days, shaded differently on the bar chart (the article's first cut). */
  weekend: boolean[];
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** Day rows → the trend charts' series: rates in %, a missing value a gap (never a zero). */
export function trendSeries(rows: readonly HistoryRow[]): TrendSeries {
  return {
    labels: rows.map((r) => r.label.slice(5)),
    utilisation: rows.map((r) => pct(r.figures.utilisation.value)),
    firstTimeFix: rows.map((r) => pct(r.figures.firstTimeFix.value)),
    csat: rows.map((r) => pct(r.figures.csat.value)),
    completed: rows.map((r) => r.sums.completed),
    averageWait: rows.map((r) => (r.figures.averageWait.value === null ? null : Math.round(r.figures.averageWait.value))),
    weekend: rows.map((r) => isoWeekday(r.label.slice(0, 10)) >= 6),
  };
}

export interface FoldSeries {
  labels: string[];
  /** Cars checked in per occurrence (an average day / an average hour of a day). */
  cars: number[];
  averageWait: (number | null)[];
  csat: (number | null)[];
}

/**
 * A folded history (labels 1…7 or 0…23) as chart series: counts divided by how many days were
 * folded onto each label, so a Saturday reads "cars on an average Saturday".
 */
export function foldSeries(rows: readonly HistoryRow[], label: (l: string) => string, daysPerLabel: (l: string) => number): FoldSeries {
  return {
    labels: rows.map((r) => label(r.label)),
    cars: rows.map((r) => {
      const n = daysPerLabel(r.label);
      return n > 0 ? Math.round((r.sums.checkedIn / n) * 10) / 10 : 0;
    }),
    averageWait: rows.map((r) => (r.figures.averageWait.value === null ? null : Math.round(r.figures.averageWait.value))),
    csat: rows.map((r) => pct(r.figures.csat.value)),
  };
}
