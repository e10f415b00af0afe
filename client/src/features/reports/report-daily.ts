import type { DailyReport } from '../../../../shared/daily.js';
import { teamName, type WorkshopConfig } from '../../../../shared/workshop.js';
import type { CsvCell } from '../../lib/csv.js';
import { isolate, isolatedId } from '../../lib/display-text.js';
import { FIGURE_FORMAT, figureText, type Translate } from './report-figures.js';
import { byRank, kpiCell, kpiColumn, numberCell, textCell, textColumn, type ReportCell, type ReportColumn, type ReportTable } from './report-table.js';

/** The daily report's tables: technicians and teams (ranked), advisors, the problems to look at, the touchpoints. */
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
