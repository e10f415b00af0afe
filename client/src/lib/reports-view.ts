import type { CxFigures } from '../../../shared/cx.js';
import type { DailyReport, RankedKpi } from '../../../shared/daily.js';
import { addSums, emptySums, historyFigures, type HistoryFigures, type HistoryRow, type HistorySums } from '../../../shared/history.js';
import { describeRule, type Light, type ThresholdName, type Thresholds } from '../../../shared/lights.js';
import { DAY_MS, localDate } from '../../../shared/time.js';
import { teamName, type WorkshopConfig } from '../../../shared/workshop.js';
import { toCsv, type CsvCell } from './csv.js';
import { LIGHT_GLYPH } from './board-view.js';
import { isolate, isolatedId } from './display-text.js';
import { percent } from './format.js';

/**
 * What the manager's report draws, from the daily report and history rows, without Vue: one
 * table model per table, so the screen and its CSV come from the same cells and cannot drift
 * apart. Labels come through `t` (vue-i18n's, passed in) so this stays testable.
 */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

// ---------------------------------------------------------------- days

/** Calendar arithmetic on YYYY-MM-DD (no zone: a local date is a label, not an instant). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The report's default: yesterday in the workshop's zone, by the hub's clock (the demo runs it fast). */
export function yesterdayOf(hubNowIso: string, timeZone: string): string {
  return addDays(localDate(Date.parse(hubNowIso), timeZone), -1);
}

/** ISO weekday of a local date: 1 Monday … 7 Sunday (history's `dayOfWeek` labels). */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** "Sat 21 Nov 2026" / "2026年11月21日 周六", the calendar day as such (noon UTC keeps it on its date in any zone). */
export function dayTitle(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

// ---------------------------------------------------------------- figures

export type FigureFormat = 'percent' | 'minutes' | 'points' | 'tenths' | 'effort';

export const FIGURE_FORMAT: Record<string, FigureFormat> = {
  utilisation: 'percent',
  laborAchievement: 'percent',
  proficiency: 'percent',
  firstTimeFix: 'percent',
  comebackRate: 'percent',
  csat: 'percent',
  complaintRate: 'percent',
  averageWait: 'minutes',
  averageServiceTime: 'minutes',
  nps: 'points',
  ces: 'effort',
  cji: 'tenths',
};

const trim = (n: number, places: number) => String(Math.round(n * 10 ** places) / 10 ** places);

export function figureText(value: number | null, format: FigureFormat): string {
  if (value === null) return '—';
  switch (format) {
    case 'percent':
      return percent(value);
    case 'minutes':
      return `${Math.round(value)}`;
    case 'points':
      return `${value > 0 ? '+' : ''}${Math.round(value)}`;
    case 'tenths':
    case 'effort':
      return value.toFixed(1);
  }
}

/** The number a spreadsheet gets: percentages as 78.1 (the header says "%"), the rest as they are. */
export function figureCsv(value: number | null, format: FigureFormat): number | null {
  if (value === null) return null;
  return format === 'percent' ? Math.round(value * 1000) / 10 : Math.round(value * 100) / 100;
}

/** The green line in the figure's own unit: "≥ 75 %", "≤ 120 min". */
export function greenRule(name: ThresholdName, thresholds: Thresholds, t: Translate): string {
  const format = FIGURE_FORMAT[name] ?? 'percent';
  const rule = describeRule(name, thresholds, format === 'percent').green;
  return format === 'minutes' ? `${rule} ${t('unit.min')}` : rule;
}

// ---------------------------------------------------------------- table models

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

const textColumn = (key: string, label: string, numeric = false): ReportColumn => ({ key, label, csvHeaders: [label], numeric });
const textCell = (text: string, csv: CsvCell = text): ReportCell => ({ text, csv: [csv] });
const numberCell = (n: number | null, places = 0): ReportCell => ({ text: n === null ? '—' : n.toFixed(places), csv: [n] });

function kpiColumn(key: string, label: string, format: FigureFormat, t: Translate, hint?: string): ReportColumn {
  const unit = format === 'percent' ? ' (%)' : format === 'minutes' ? ` (${t('unit.min')})` : '';
  return {
    key,
    label,
    ...(hint !== undefined && { hint }),
    csvHeaders: [`${label}${unit}`, `${label}: ${t('reports.csv.light')}`, `${label}: ${t('reports.csv.rank')}`, `${label}: ${t('reports.csv.sample')}`],
    numeric: true,
  };
}

type SampleKind = 'minutes' | 'jobs' | 'deliveries' | 'surveys' | 'answers' | 'cars';
const SAMPLE_OF: Record<string, SampleKind> = {
  utilisation: 'minutes',
  proficiency: 'minutes',
  laborAchievement: 'jobs',
  firstTimeFix: 'jobs',
  comebackRate: 'deliveries',
  csat: 'surveys',
  complaintRate: 'surveys',
  nps: 'answers',
  ces: 'answers',
  cji: 'answers',
  averageServiceTime: 'cars',
};

/** "productive min ÷ attendance min · over 480 min of attendance". */
export function figureTitle(name: string, sample: number, t: Translate): string {
  return `${t(`reports.formula.${name}`)} · ${t(`reports.sample.${SAMPLE_OF[name] ?? 'jobs'}`, { n: Math.round(sample) })}`;
}

function kpiCell(name: string, k: RankedKpi, t: Translate, testid?: string): ReportCell {
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
function byRank<T>(items: readonly T[], score: (x: T) => number | null, name: (x: T) => string): { item: T; rank: number | null }[] {
  const ranks = scoreRanks(items.map(score));
  return items
    .map((item, i) => ({ item, rank: ranks[i] ?? null }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || name(a.item).localeCompare(name(b.item)));
}

/** The hours figures' names: the workshop's choice first, the other set's name as a hint. */
export function hoursNames(naming: DailyReport['naming'], t: Translate): Record<'utilisation' | 'laborAchievement' | 'proficiency', { label: string; hint: string }> {
  const other = naming === 'seed' ? 'nada' : 'seed';
  const hintKey = naming === 'seed' ? 'reports.kpi.alsoNada' : 'reports.kpi.alsoSeed';
  const pick = (k: 'utilisation' | 'laborAchievement' | 'proficiency') => ({
    label: t(`reports.kpi.${naming}.${k}`),
    hint: k === 'proficiency' ? t('reports.legend.noLight') : t(hintKey, { name: t(`reports.kpi.${other}.${k}`) }),
  });
  return { utilisation: pick('utilisation'), laborAchievement: pick('laborAchievement'), proficiency: pick('proficiency') };
}

type StaffRow = DailyReport['technicians'][number] | DailyReport['teams'][number];

function staffColumns(report: DailyReport, t: Translate, who: 'technician' | 'team'): ReportColumn[] {
  const names = hoursNames(report.naming, t);
  return [
    textColumn('rank', t('reports.col.rank'), true),
    textColumn('name', t(who === 'technician' ? 'reports.col.technician' : 'reports.col.team')),
    who === 'technician' ? textColumn('team', t('reports.col.team')) : textColumn('members', t('reports.col.members'), true),
    kpiColumn('utilisation', names.utilisation.label, 'percent', t, names.utilisation.hint),
    kpiColumn('laborAchievement', names.laborAchievement.label, 'percent', t, names.laborAchievement.hint),
    kpiColumn('proficiency', names.proficiency.label, 'percent', t, names.proficiency.hint),
    kpiColumn('firstTimeFix', t('reports.kpi.firstTimeFix'), 'percent', t),
    kpiColumn('comebackRate', t('reports.kpi.comebackRate'), 'percent', t),
    textColumn('jobs', t('reports.col.jobs'), true),
    textColumn('productiveHours', t('reports.col.productiveHours'), true),
    textColumn('attendanceHours', t('reports.col.attendanceHours'), true),
    textColumn('score', t('reports.col.score'), true),
  ];
}

function staffCells(r: StaffRow, rank: number | null, name: ReportCell, second: ReportCell, t: Translate): ReportCell[] {
  return [
    numberCell(rank),
    name,
    second,
    kpiCell('utilisation', r.utilisation, t, 'utilisation'),
    kpiCell('laborAchievement', r.laborAchievement, t, 'laborAchievement'),
    kpiCell('proficiency', r.proficiency, t, 'proficiency'),
    kpiCell('firstTimeFix', r.firstTimeFix, t, 'firstTimeFix'),
    kpiCell('comebackRate', r.comebackRate, t, 'comebackRate'),
    numberCell(r.jobsCompleted),
    numberCell(r.productiveHours, 1),
    numberCell(r.attendanceHours, 1),
    numberCell(r.score, 1),
  ];
}

/** `workshop`: for the teams' names (its `teams`); without it, or for a team it does not name, the id. */
export function technicianTable(report: DailyReport, t: Translate, workshop: Pick<WorkshopConfig, 'teams'> | null = null): ReportTable {
  return {
    id: 'technicians',
    columns: staffColumns(report, t, 'technician'),
    rows: byRank(report.technicians, (x) => x.score, (x) => x.name).map(({ item: x, rank }) => ({
      key: x.technicianId,
      cells: staffCells(x, rank, { ...textCell(x.name), testid: 'name' }, textCell(x.team ? teamName(workshop, x.team) : ''), t),
    })),
  };
}

export function teamTable(report: DailyReport, t: Translate, workshop: Pick<WorkshopConfig, 'teams'> | null = null): ReportTable {
  return {
    id: 'teams',
    columns: staffColumns(report, t, 'team'),
    rows: byRank(report.teams, (x) => x.score, (x) => x.team).map(({ item: x, rank }) => ({
      key: x.team,
      cells: staffCells(x, rank, { ...textCell(teamName(workshop, x.team)), testid: 'name' }, numberCell(x.technicians), t),
    })),
  };
}

export function advisorTable(report: DailyReport, t: Translate): ReportTable {
  return {
    id: 'advisors',
    columns: [
      textColumn('rank', t('reports.col.rank'), true),
      textColumn('name', t('reports.col.advisor')),
      textColumn('received', t('reports.col.received'), true),
      kpiColumn('csat', t('reports.kpi.csat'), 'percent', t),
      kpiColumn('complaintRate', t('reports.kpi.complaintRate'), 'percent', t),
      textColumn('score', t('reports.col.score'), true),
    ],
    rows: byRank(report.advisors, (x) => x.score, (x) => x.name).map(({ item: a, rank }) => ({
      key: a.advisorId,
      cells: [numberCell(rank), { ...textCell(a.name), testid: 'name' }, numberCell(a.received), kpiCell('csat', a.csat, t, 'csat'), kpiCell('complaintRate', a.complaintRate, t, 'complaintRate'), numberCell(a.score, 1)],
    })),
  };
}

type Problem = DailyReport['problems'][number];

/**
 * The hub writes what happened in English for its logs; the report says it in the reader's
 * language by recognising the hub's four sentences, and shows the hub's own words otherwise.
 */
export function problemText(p: Problem, technicianName: (id: string) => string, t: Translate): string {
  let m: RegExpExecArray | null;
  switch (p.kind) {
    case 'over_standard':
      if ((m = /^(\d+) min worked against a standard of (\d+) min$/.exec(p.detail))) return t('reports.problem.over', { worked: m[1], standard: m[2] });
      break;
    case 'paused_long':
      if ((m = /^waited (\d+) min for parts( \(still waiting\))?$/.exec(p.detail))) return t(m[2] ? 'reports.problem.pausedStill' : 'reports.problem.paused', { minutes: m[1] });
      break;
    case 'comeback':
      if ((m = /^comeback of (\S+?)(?: \(worked by (\S+)\))?$/.exec(p.detail))) {
        return m[2] ? t('reports.problem.comebackOfBy', { job: isolatedId(m[1]!), technician: isolate(technicianName(m[2])) }) : t('reports.problem.comebackOf', { job: isolatedId(m[1]!) });
      }
      break;
    case 'low_score':
      if ((m = /^customer scored (\d) of 5$/.exec(p.detail))) return t('reports.problem.lowScore', { score: m[1] });
      break;
    case 'implausible_time':
      if ((m = /^([\d.]+) min worked against a standard of (\d+) min: left out of labour-time achievement and proficiency$/.exec(p.detail))) {
        return t('reports.problem.implausible', { worked: m[1], standard: m[2] });
      }
      break;
  }
  return p.detail;
}

const PROBLEM_ORDER: Record<Problem['kind'], number> = { over_standard: 0, paused_long: 1, comeback: 2, low_score: 3, implausible_time: 4 };

export function problemTable(report: DailyReport, workshop: WorkshopConfig | null, t: Translate): ReportTable {
  const techName = (id: string) => workshop?.technicians.find((x) => x.id === id)?.name ?? id;
  const rows = [...report.problems].sort((a, b) => PROBLEM_ORDER[a.kind] - PROBLEM_ORDER[b.kind] || a.jobId.localeCompare(b.jobId));
  return {
    id: 'problems',
    columns: [
      textColumn('kind', t('reports.col.kind')),
      textColumn('job', t('reports.col.job')),
      textColumn('plate', t('reports.col.plate')),
      textColumn('technician', t('reports.col.technician')),
      textColumn('state', t('reports.col.state')),
      textColumn('what', t('reports.col.what')),
    ],
    rows: rows.map((p, i) => ({
      key: `${p.kind}-${p.jobId}-${i}`,
      cells: [
        { ...textCell(t(`reports.problem.kind.${p.kind}`)), testid: 'kind' },
        { ...textCell(p.jobId), testid: 'job' },
        textCell(p.plate),
        textCell(p.technicianId === null ? '' : techName(p.technicianId)),
        { ...textCell(t(`reports.state.${p.state}`)), testid: 'state' },
        textCell(problemText(p, techName, t)),
      ],
    })),
  };
}

export function touchpointTable(report: DailyReport, t: Translate): ReportTable {
  const week = new Map(report.cx.week.touchpoints.map((x) => [x.touchpoint, x]));
  const avg = (v: number | null) => ({ text: v === null ? '—' : v.toFixed(1), csv: [v] as CsvCell[] });
  return {
    id: 'touchpoints',
    columns: [
      textColumn('touchpoint', t('reports.col.touchpoint')),
      textColumn('weight', `${t('reports.col.weight')} (%)`, true),
      textColumn('day', t('reports.col.dayAverage'), true),
      textColumn('dayAnswers', `${t('reports.col.dayAverage')}: ${t('reports.col.answers')}`, true),
      textColumn('week', t('reports.col.weekAverage'), true),
      textColumn('weekAnswers', `${t('reports.col.weekAverage')}: ${t('reports.col.answers')}`, true),
    ],
    rows: report.cx.day.touchpoints.map((d) => {
      const w = week.get(d.touchpoint);
      const weightPct = Math.round(d.weight * 1000) / 10;
      return {
        key: d.touchpoint,
        cells: [textCell(t(`reports.touchpoint.${d.touchpoint}`)), { text: `${weightPct}`, csv: [weightPct] }, avg(d.average), numberCell(d.answers), avg(w?.average ?? null), numberCell(w?.answers ?? 0)],
      };
    }),
  };
}

/** The CX article's sentence: "waiting 5/10 and delivery 6/10 pull the index down." */
export function weakestSentence(cx: CxFigures, t: Translate): string {
  if (cx.cji.value === null) return t('reports.cx.weakestEmpty');
  if (cx.weakest.length === 0) return t('reports.cx.weakestNone');
  // Mid-sentence names in lower case ("waiting 5/10 and delivery 6/10"); no-op for Chinese.
  const parts = cx.weakest.map((w) => t('reports.cx.touchpointScore', { name: t(`reports.touchpoint.${w.touchpoint}`).toLocaleLowerCase(), score: trim(w.average, 1) }));
  const list = parts.join(t('reports.cx.and'));
  const sentence = t('reports.cx.weakest', { list });
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

export interface FigureCard {
  name: 'nps' | 'csat' | 'ces' | 'cji' | 'complaintRate' | 'averageServiceTime';
  label: string;
  text: string;
  unit: string;
  light: Light;
  title: string;
  green: string;
  week: { text: string; light: Light } | null;
}

/** The CX dashboard's tiles: the day beside the week, each with its light and green line. */
export function cxCards(report: DailyReport, thresholds: Thresholds, t: Translate): FigureCard[] {
  const names = ['nps', 'csat', 'ces', 'cji', 'complaintRate'] as const;
  const cards: FigureCard[] = names.map((name) => {
    const d = report.cx.day[name];
    const w = report.cx.week[name];
    const format = FIGURE_FORMAT[name]!;
    return {
      name,
      label: t(`reports.kpi.${name}`),
      text: figureText(d.value, format),
      unit: '',
      light: d.light,
      title: figureTitle(name, d.sample, t),
      green: greenRule(name, thresholds, t),
      week: { text: figureText(w.value, format), light: w.light },
    };
  });
  const s = report.averageServiceTime;
  cards.push({
    name: 'averageServiceTime',
    label: t('reports.kpi.averageServiceTime'),
    text: figureText(s.value, 'minutes'),
    unit: s.value === null ? '' : t('unit.min'),
    light: s.light,
    title: figureTitle('averageServiceTime', s.sample, t),
    green: greenRule('averageServiceTime', thresholds, t),
    week: null,
  });
  return cards;
}

export const glyph = (l: Light) => LIGHT_GLYPH[l];

// ---------------------------------------------------------------- history

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

/** How many times each ISO weekday (1–7) occurs in [from, to]: the divisor of a folded count. */
export function weekdayCounts(from: string, to: string): Record<number, number> {
  const out: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 };
  for (let d = from; d <= to; d = addDays(d, 1)) out[isoWeekday(d)]! += 1;
  return out;
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

/** Days covered by each key of a `daytype` cut: weekday / weekend. */
export function daytypeDays(from: string, to: string): Record<'weekday' | 'weekend', number> {
  const c = weekdayCounts(from, to);
  return { weekday: c[1]! + c[2]! + c[3]! + c[4]! + c[5]!, weekend: c[6]! + c[7]! };
}

// ---------------------------------------------------------------- month on month

const PERIOD_FIGURES = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'complaintRate', 'averageWait', 'nps', 'ces', 'cji'] as const;
type PeriodFigure = (typeof PERIOD_FIGURES)[number];
/** Which way is better; the labour-time band is best at 100 %. */
const BETTER: Record<PeriodFigure, 'higher' | 'lower' | 'band'> = {
  utilisation: 'higher',
  laborAchievement: 'band',
  firstTimeFix: 'higher',
  comebackRate: 'lower',
  csat: 'higher',
  complaintRate: 'lower',
  averageWait: 'lower',
  nps: 'higher',
  ces: 'lower',
  cji: 'higher',
};

function change(name: PeriodFigure, now: number | null, before: number | null, t: Translate): ReportCell {
  if (now === null || before === null) return { text: '—', csv: [null, null] };
  const format = FIGURE_FORMAT[name]!;
  // Rates change in points (82 % → 85 % is +3 points), the rest in their own unit.
  const delta = format === 'percent' ? Math.round((now - before) * 1000) / 10 : Math.round((now - before) * 10) / 10;
  const better = BETTER[name] === 'band' ? Math.abs(now - 1) < Math.abs(before - 1) : BETTER[name] === 'higher' ? now > before : now < before;
  const same = BETTER[name] === 'band' ? Math.abs(now - 1) === Math.abs(before - 1) : delta === 0;
  const verdict = same ? t('reports.period.same') : better ? t('reports.period.better') : t('reports.period.worse');
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
      ...PERIOD_FIGURES.map((n) => ({ key: n, cells: [textCell(figureLabel(n)), lit(n, fa[n]), lit(n, fb[n]), change(n, fa[n].value, fb[n].value, t)] })),
    ],
  };
}
