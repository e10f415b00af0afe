import type { DailyReport, RankedKpi } from '../../shared/daily.js';
import type { PitwallEvent } from '../../shared/events.js';
import { lightFor, type Light, type ThresholdName } from '../../shared/lights.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, localDayRange, startOfLocalDate, toIso } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { addSurvey, cxFigures, emptyCx } from '../../shared/cx.js';
import { technicianTimesToday } from './figures.js';
import { attendedWorkMs, minutes, ratio } from './measure.js';
import { implausibleDetail, implausibleTime } from './outliers.js';
import { Projection } from './projection.js';
import type { JobRecord, TechnicianRecord } from './state.js';

/** A pause for parts longer than this is a problem work order (the KPI article's default). */
export const PAUSED_TOO_LONG_MS = 30 * MINUTE_MS;
/** Over standard: worked beyond the bay light's red line. */
const OVER_STANDARD_FACTOR = 1.2;
/** The article's advisor reception target: 8 cars a day. */
const RECEPTION_TARGET = 8;
/**
 * Weighted scores of the KPI article (6.1 advisors, 6.2 technicians), over the KPIs the events
 * carry (upsell, work-order accuracy and safety incidents are not in the contract), weights
 * renormalised. Each KPI scores by its light: green 100, yellow 80, red 50; reception scores
 * received ÷ 8 × 100, capped at 120.
 */
const TECH_WEIGHTS = { utilisation: 25, firstTimeFix: 30, laborAchievement: 20, comebackRate: 10 } as const;
const LIGHT_SCORE: Record<Light, number | null> = { green: 100, yellow: 80, red: 50, none: null };

/**
 * One local day of a workshop, from its log: the state is rebuilt from the events dated before
 * the day's end (or `now`, for today), so the report of a past day never changes.
 */
export function dailyReport(log: readonly PitwallEvent[], config: WorkshopConfig, date: string, now: number): DailyReport {
  const tz = config.timezone;
  const dayStart = startOfLocalDate(date, tz);
  const until = Math.min(localDayRange(dayStart + 12 * HOUR_MS, tz).end, now);
  const p = new Projection(config);
  p.apply(log.filter((e) => Date.parse(e.at) < until));
  const { state: s, ctx } = p;
  const th = ctx.thresholds;
  const jobs = [...s.jobs.values()];
  const jobById = s.jobs;
  const inDay = (t: number | null): t is number => t !== null && t >= dayStart && t < until;
  const inWeek = (t: number | null): t is number => t !== null && t > until - 7 * DAY_MS && t <= until;
  const times = technicianTimesToday(s, ctx, jobs, dayStart, until);

  type Raw = { attendanceMs: number; productiveMs: number; completed: JobRecord[]; comebacks: number; deliveries: number };
  const raw = new Map<string, Raw>();
  const rawOf = (id: string) => raw.get(id) ?? raw.set(id, { attendanceMs: 0, productiveMs: 0, completed: [], comebacks: 0, deliveries: 0 }).get(id)!;
  for (const [id, t] of times) Object.assign(rawOf(id), t);
  for (const j of jobs) {
    if (j.technicianId === null) continue;
    if (inDay(j.completedAt)) rawOf(j.technicianId).completed.push(j);
    if (inWeek(j.deliveredAt)) rawOf(j.technicianId).deliveries++;
  }
  // A comeback counts against the technician of the original job.
  for (const j of jobs) {
    const original = j.comebackOf === null ? undefined : jobById.get(j.comebackOf);
    if (inWeek(j.checkedInAt) && original?.technicianId) rawOf(original.technicianId).comebacks++;
  }

  const kpisOf = (r: Raw) => {
    // Implausible worked time (a forgotten Start) stays out of labour-time achievement and proficiency (outliers.ts).
    const plausible = r.completed.filter((j) => j.timeConfirmed || implausibleTime(j.attendedClosedMs, j.standardMinutes) === null);
    const worked = plausible.reduce((a, j) => a + attendedWorkMs(j, s.technicians, until), 0);
    const std = plausible.reduce((a, j) => a + j.standardMinutes, 0);
    const util = r.attendanceMs > 0 ? ratio(r.productiveMs, r.attendanceMs) : null;
    const la = plausible.length > 0 && worked > 0 ? ratio(std, worked / MINUTE_MS) : null;
    const ftf = r.completed.length > 0 ? ratio(r.completed.filter((j) => j.firstTimeFix).length, r.completed.length) : null;
    const cb = r.deliveries > 0 ? ratio(r.comebacks, r.deliveries) : null;
    const prof = r.attendanceMs > 0 ? ratio(std, r.attendanceMs / MINUTE_MS) : null;
    const kpi = (name: ThresholdName, value: number | null, sample: number): RankedKpi => ({ value, light: lightFor(name, value, th), rank: null, sample });
    const k = {
      utilisation: kpi('utilisation', util, minutes(r.attendanceMs / MINUTE_MS)),
      laborAchievement: kpi('laborAchievement', la, plausible.length),
      firstTimeFix: kpi('firstTimeFix', ftf, r.completed.length),
      comebackRate: kpi('comebackRate', cb, r.deliveries),
      proficiency: { value: prof, light: 'none' as Light, rank: null, sample: minutes(r.attendanceMs / MINUTE_MS) },
    };
    return {
      ...k,
      jobsCompleted: r.completed.length,
      productiveHours: Math.round((r.productiveMs / HOUR_MS) * 100) / 100,
      attendanceHours: Math.round((r.attendanceMs / HOUR_MS) * 100) / 100,
      score: weighted([
        [LIGHT_SCORE[k.utilisation.light], TECH_WEIGHTS.utilisation],
        [LIGHT_SCORE[k.firstTimeFix.light], TECH_WEIGHTS.firstTimeFix],
        [LIGHT_SCORE[k.laborAchievement.light], TECH_WEIGHTS.laborAchievement],
        [LIGHT_SCORE[k.comebackRate.light], TECH_WEIGHTS.comebackRate],
      ]),
    };
  };

  const technicians = config.technicians.map((t) => ({
    technicianId: t.id,
    name: t.name,
    team: s.technicians.get(t.id)?.team ?? t.team ?? null,
    ...kpisOf(rawOf(t.id)),
  }));
  const teamNames = [...new Set(technicians.map((t) => t.team).filter((x): x is string => x !== null))].sort();
  const teams = teamNames.map((team) => {
    const members = technicians.filter((t) => t.team === team);
    const sum: Raw = { attendanceMs: 0, productiveMs: 0, completed: [], comebacks: 0, deliveries: 0 };
    for (const m of members) {
      const r = rawOf(m.technicianId);
      sum.attendanceMs += r.attendanceMs;
      sum.productiveMs += r.productiveMs;
      sum.completed.push(...r.completed);
      sum.comebacks += r.comebacks;
      sum.deliveries += r.deliveries;
    }
    return { team, technicians: members.length, ...kpisOf(sum) };
  });
  for (const list of [technicians, teams]) {
    rank(list.map((x) => x.utilisation), 'higher');
    rank(list.map((x) => x.firstTimeFix), 'higher');
    rank(list.map((x) => x.comebackRate), 'lower');
    rank(list.map((x) => x.proficiency), 'higher');
    // The labour-time band is best at 100 %: rank by distance from it.
    rank(list.map((x) => x.laborAchievement), 'closest-to-one');
  }

  const surveysByJob = new Map(s.surveys.filter((v) => inDay(v.at)).map((v) => [v.jobId, v]));
  const advisors = config.advisors.map((a) => {
    const received = jobs.filter((j) => j.advisorId === a.id && inDay(j.checkedInAt)).length;
    const scores = jobs.filter((j) => j.advisorId === a.id).flatMap((j) => (surveysByJob.has(j.id) ? [surveysByJob.get(j.id)!.score] : []));
    const csatValue = scores.length ? ratio(scores.filter((x) => x >= 4).length, scores.length) : null;
    // A score of 1 or 2 counts as a complaint (the contract carries no better signal yet).
    const complaintValue = scores.length ? ratio(scores.filter((x) => x <= 2).length, scores.length) : null;
    const csat: RankedKpi = { value: csatValue, light: lightFor('csat', csatValue, th), rank: null, sample: scores.length };
    const complaintRate: RankedKpi = { value: complaintValue, light: lightFor('complaintRate', complaintValue, th), rank: null, sample: scores.length };
    const score = weighted([
      [Math.min(120, (received / RECEPTION_TARGET) * 100), 20],
      [LIGHT_SCORE[csat.light], 30],
      [LIGHT_SCORE[complaintRate.light], 15],
    ]);
    return { advisorId: a.id, name: a.name, received, csat, complaintRate, score };
  });
  rank(advisors.map((a) => a.csat), 'higher');
  rank(advisors.map((a) => a.complaintRate), 'lower');

  // The CX article's figures from the surveys themselves (NPS, CES and touchpoints are not in the projection).
  const cxIn = (from: number) => {
    const sums = emptyCx();
    for (const e of log) if (e.type === 'survey.submitted' && Date.parse(e.at) >= from && Date.parse(e.at) < until) addSurvey(sums, e);
    return cxFigures(sums, th, config.cjiWeights);
  };
  const delivered = jobs.filter((j) => inDay(j.deliveredAt));
  const serviceMin = delivered.length ? minutes(delivered.reduce((a, j) => a + (j.deliveredAt! - j.checkedInAt), 0) / delivered.length / MINUTE_MS) : null;

  return {
    workshopId: config.id,
    date,
    timezone: tz,
    naming: config.naming ?? 'seed',
    asOf: toIso(until),
    technicians,
    teams,
    advisors,
    problems: problems(jobs, jobById, s.technicians, surveysByJob, inDay, until),
    averageServiceTime: { value: serviceMin, light: lightFor('averageServiceTime', serviceMin, th), sample: delivered.length },
    cx: { day: cxIn(dayStart), week: cxIn(until - 7 * DAY_MS) },
  };
}

function problems(
  jobs: readonly JobRecord[],
  jobById: ReadonlyMap<string, JobRecord>,
  technicians: ReadonlyMap<string, TechnicianRecord>,
  surveys: ReadonlyMap<string, { score: number }>,
  inDay: (t: number | null) => t is number,
  until: number,
): DailyReport['problems'] {
  const out: DailyReport['problems'] = [];
  const row = (kind: DailyReport['problems'][number]['kind'], j: JobRecord, detail: string) =>
    out.push({ kind, jobId: j.id, plate: j.plate, technicianId: j.technicianId, state: j.state, detail });
  for (const j of jobs) {
    const worked = attendedWorkMs(j, technicians, until) / MINUTE_MS;
    const activeToday = inDay(j.completedAt) || ((j.state === 'in_progress' || j.state === 'paused') && j.startedAt !== null);
    if (inDay(j.completedAt) && !j.timeConfirmed && implausibleTime(j.attendedClosedMs, j.standardMinutes) !== null) {
      row('implausible_time', j, implausibleDetail(j.attendedClosedMs, j.standardMinutes));
    } else if (activeToday && worked > j.standardMinutes * OVER_STANDARD_FACTOR) {
      row('over_standard', j, `${Math.round(worked)} min worked against a standard of ${j.standardMinutes} min`);
    }
    for (const pause of j.pauses) {
      const end = pause.to ?? until;
      if (inDay(pause.from) && pause.reason === 'parts' && end - pause.from > PAUSED_TOO_LONG_MS) {
        row('paused_long', j, `waited ${Math.round((end - pause.from) / MINUTE_MS)} min for parts${pause.to === null ? ' (still waiting)' : ''}`);
      }
    }
    if (j.comebackOf !== null && inDay(j.checkedInAt)) {
      const original = jobById.get(j.comebackOf);
      row('comeback', j, `comeback of ${j.comebackOf}${original?.technicianId ? ` (worked by ${original.technicianId})` : ''}`);
    }
    const survey = surveys.get(j.id);
    if (survey && survey.score <= 2) row('low_score', j, `customer scored ${survey.score} of 5`);
  }
  return out;
}

function weighted(parts: readonly (readonly [number | null, number])[]): number | null {
  const known = parts.filter((p): p is readonly [number, number] => p[0] !== null);
  const weight = known.reduce((a, [, w]) => a + w, 0);
  return weight === 0 ? null : Math.round((known.reduce((a, [v, w]) => a + v * w, 0) / weight) * 10) / 10;
}

/** Competition ranking (1, 2, 2, 4) in place; entries without a value get none. */
function rank(kpis: RankedKpi[], better: 'higher' | 'lower' | 'closest-to-one'): void {
  const key = (v: number) => (better === 'higher' ? -v : better === 'lower' ? v : Math.abs(v - 1));
  const ranked = kpis.filter((k) => k.value !== null).sort((a, b) => key(a.value!) - key(b.value!));
  for (const k of ranked) k.rank = 1 + ranked.findIndex((o) => key(o.value!) === key(k.value!));
}
