import { addSums, emptySums, historyFigures, type HistoryRow } from '../../../../shared/history.js';
import { HIGHER_IS_BETTER, type Light, type ThresholdName, type Thresholds } from '../../../../shared/lights.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { FIGURE_FORMAT, figureCsv, figureText, type Translate } from './report-figures.js';
import { textCell, textColumn, type ReportCell, type ReportTable } from './report-table.js';

/** Month on month: the 30 days to the report's day against the 30 before. */
const PERIOD_FIGURES = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'complaintRate', 'averageWait', 'nps', 'ces', 'cji'] as const satisfies readonly ThresholdName[];
type PeriodFigure = (typeof PERIOD_FIGURES)[number];
/**
 * Which way is better, as the figure's light rule says (shared/lights.ts): a band (labour-time
 * achievement) is best at 100 %, the others higher or lower.
 */
function better(name: PeriodFigure, thresholds: Thresholds): 'higher' | 'lower' | 'band' {
  if (Array.isArray(thresholds[name].green)) return 'band';
  return HIGHER_IS_BETTER.has(name) ? 'higher' : 'lower';
}

function change(name: PeriodFigure, now: number | null, before: number | null, thresholds: Thresholds, t: Translate): ReportCell {
  if (now === null || before === null) return { text: '—', csv: [null, null] };
  const format = FIGURE_FORMAT[name]!;
  // Rates change in points (82 % → 85 % is +3 points), the rest in their own unit.
  const delta = format === 'percent' ? Math.round((now - before) * 1000) / 10 : Math.round((now - before) * 10) / 10;
  const way = better(name, thresholds);
  const improved = way === 'band' ? Math.abs(now - 1) < Math.abs(before - 1) : way === 'higher' ? now > before : now < before;
  const same = way === 'band' ? Math.abs(now - 1) === Math.abs(before - 1) : delta === 0;
  const verdict = same ? t('reports.period.same') : improved ? t('reports.period.better') : t('reports.period.worse');
  const unit = format === 'percent' ? ` ${t('reports.period.points')}` : format === 'minutes' ? ` ${t('unit.min')}` : '';
  return { text: `${delta > 0 ? '+' : ''}${delta}${unit} · ${verdict}`, csv: [delta, verdict], testid: 'change' };
}

/**
 * The KPI article's month-on-month comparison (环比) and the CX article's "vs last month": the
 * 30 days to the report's day against the 30 before, each period's figures from its summed rows.
 */
export function periodTable(current: readonly HistoryRow[], previous: readonly HistoryRow[], thresholds: Thresholds, cjiWeights: WorkshopConfig['cjiWeights'], t: Translate): ReportTable {
  const sum = (rows: readonly HistoryRow[]) => rows.reduce((acc, r) => addSums(acc, r.sums), emptySums());
  // Per calendar day, closed days included: the page's one definition of "per day" (the day-type
  // cut and the day-of-week chart divide by calendar days too). Day rows without a cut have one
  // row per day of the range, empty or not (docs/api.md, History), so the rows are the days.
  const days = (rows: readonly HistoryRow[]) => rows.length;
  const a = sum(current);
  const b = sum(previous);
  const fa = historyFigures(a, thresholds, cjiWeights);
  const fb = historyFigures(b, thresholds, cjiWeights);
  const da = days(current);
  const db = days(previous);
  const lit = (name: PeriodFigure, f: { value: number | null; light: Light }): ReportCell => {
    const format = FIGURE_FORMAT[name]!;
    return { text: figureText(f.value, format), light: f.light, csv: [figureCsv(f.value, format), f.light] };
  };
  const perDay = (n: number, d: number): ReportCell => {
    const v = d > 0 ? Math.round((n / d) * 10) / 10 : null;
    return { text: v === null ? '—' : v.toFixed(1), csv: [v, null] };
  };
  const countChange = (x: number, dx: number, y: number, dy: number): ReportCell => {
    if (dx === 0 || dy === 0) return { text: '—', csv: [null, null] };
    const delta = Math.round((x / dx - y / dy) * 10) / 10;
    return { text: `${delta > 0 ? '+' : ''}${delta}`, csv: [delta, null], testid: 'change' };
  };
  // The comeback rate here is over each whole period (history's rule), not the daily 168 h: its label says so.
  const figureLabel = (n: PeriodFigure) =>
    n === 'utilisation' || n === 'laborAchievement' ? t(`reports.kpi.seed.${n}`) : n === 'comebackRate' ? t('reports.period.comebackRate', { days: da }) : t(`reports.kpi.${n}`);
  return {
    id: 'month-on-month',
    columns: [
      textColumn('figure', t('reports.period.figure')),
      { key: 'current', label: t('reports.period.current'), csvHeaders: [t('reports.period.current'), `${t('reports.period.current')}: ${t('reports.csv.light')}`], numeric: true },
      { key: 'previous', label: t('reports.period.previous'), csvHeaders: [t('reports.period.previous'), `${t('reports.period.previous')}: ${t('reports.csv.light')}`], numeric: true },
      { key: 'change', label: t('reports.period.change'), csvHeaders: [t('reports.period.change'), `${t('reports.period.change')}: ${t('reports.period.verdict')}`], numeric: true },
    ],
    rows: [
      { key: 'cars', cells: [textCell(t('reports.period.carsPerDay', { days: da })), perDay(a.checkedIn, da), perDay(b.checkedIn, db), countChange(a.checkedIn, da, b.checkedIn, db)] },
      { key: 'completed', cells: [textCell(t('reports.period.completedPerDay', { days: da })), perDay(a.completed, da), perDay(b.completed, db), countChange(a.completed, da, b.completed, db)] },
      ...PERIOD_FIGURES.map((n) => ({ key: n, cells: [textCell(figureLabel(n)), lit(n, fa[n]), lit(n, fb[n]), change(n, fa[n].value, fb[n].value, thresholds, t)] })),
    ],
  };
}
