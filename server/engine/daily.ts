import type { DailyReport, RankedKpi } from '../../shared/daily.js';
import type { PitwallEvent } from '../../shared/events.js';
import { lightFor, type Light } from '../../shared/lights.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, localDayRange, startOfLocalDate, toIso } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { addSurvey, cxFigures, emptyCx } from '../../shared/cx.js';
import { comebackRate } from '../../shared/comeback-rate.js';
import { technicianTimesToday } from './figures.js';
import { personFigure } from './person-figure.js';
import { attendedWorkMs, minutes, ratio, workedMs } from './measure.js';
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

/** What a technician's or a team's KPIs are computed from. */
type Raw = { attendanceMs: number; productiveMs: number; completed: JobRecord[]; comebacks: number; deliveries: number };

/**
 * One local day of a workshop, from its log: the state is rebuilt from the events dated before
 * the day's end (or `now`, for today), so the report of a past day never changes.
 */
export function dailyReport(log: readonly PitwallEvent[], config: WorkshopConfig, date: string, now: number): DailyReport {
  const tz = config.timezone;
  const dayStart = startOfLocalDate(date, tz);
  const dayEnd = localDayRange(dayStart + 12 * HOUR_MS, tz).end;
  const until = Math.min(dayEnd, now);
  // Today so far includes what happened at `now` itself (a lead's confirmation a moment ago).
  const before = (t: number) => t < dayEnd && t <= now;
  const p = new Projection(config);
  p.apply(log.filter((e) => before(Date.parse(e.at))));
  const { state: s, ctx } = p;
  const th = ctx.thresholds;
  const jobs = [...s.jobs.values()];
  const jobById = s.jobs;
  const inDay = (t: number | null): t is number => t !== null && t >= dayStart && before(t);
  const inWeek = (t: number | null): t is number => t !== null && t > until - 7 * DAY_MS && t <= until;
  const times = technicianTimesToday(s, ctx, jobs, dayStart, until);

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
    const cb = comebackRate(r.comebacks, r.deliveries);
    const prof = r.attendanceMs > 0 ? ratio(std, r.attendanceMs / MINUTE_MS) : null;
    const kpi = (name: Parameters<typeof personFigure>[0], value: number | null, sample: number): RankedKpi => personFigure(name, value, sample, th, config.lightPolicy);
    const k = {
      utilisation: kpi('utilisation', util, minutes(r.attendanceMs / MINUTE_MS)),
      laborAchievement: kpi('laborAchievement', la, plausible.length),
      firstTimeFix: kpi('firstTimeFix', ftf, r.completed.length),
      comebackRate: kpi('comebackRate', cb, r.deliveries),
      proficiency: kpi('proficiency', prof, minutes(r.attendanceMs / MINUTE_MS)),
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
  const teams = teamFigures(p, jobs, times, dayStart, until, inDay, inWeek).map(({ team, members, sum }) => ({ team, technicians: members, ...kpisOf(sum) }));
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
    const csat = personFigure('csat', csatValue, scores.length, th, config.lightPolicy);
    const complaintRate = personFigure('complaintRate', complaintValue, scores.length, th, config.lightPolicy);
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
  // Each survey counts at its time in the projection, clamped to its job's last change (evolve):
  // one dated before its job's completion counts on the completion's day, as on the board and in
  // history; one this day's replay refused (its job completed later) does not count at all.
  const cxIn = (from: number) => {
    const sums = emptyCx();
    const surveyAt = new Map(s.surveys.map((v) => [v.jobId, v.at]));
    for (const e of log) {
      if (e.type !== 'survey.submitted') continue;
      const at = surveyAt.get(e.jobId);
      surveyAt.delete(e.jobId);
      if (at !== undefined && at >= from && at < until) addSurvey(sums, e);
    }
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
    problems: problems(jobs, jobById, s.technicians, surveysByJob, inDay, dayStart, until),
    averageServiceTime: { value: serviceMin, light: lightFor('averageServiceTime', serviceMin, th), sample: delivered.length },
    cx: { day: cxIn(dayStart), week: cxIn(until - 7 * DAY_MS) },
  };
}

/**
 * The day's figures per team, split where a technician was moved (staff.reassigned), by the
 * history roll-ups' rule (Rollups.teamSpans): time goes to the team he was in at each moment;
 * a completion or delivery to his team at that instant; a comeback to his team when the
 * original job last changed. `members`: technicians who were in the team at any time that day.
 */
function teamFigures(
  p: Projection,
  jobs: readonly JobRecord[],
  wholeDay: ReturnType<typeof technicianTimesToday>,
  dayStart: number,
  until: number,
  inDay: (t: number | null) => t is number,
  inWeek: (t: number | null) => t is number,
): { team: string; members: number; sum: Raw }[] {
  const { state: s, ctx } = p;
  const sums = new Map<string, { members: Set<string>; sum: Raw }>();
  const of = (team: string) =>
    sums.get(team) ?? sums.set(team, { members: new Set(), sum: { attendanceMs: 0, productiveMs: 0, completed: [], comebacks: 0, deliveries: 0 } }).get(team)!;
  const teamAt = (technicianId: string, at: number): string | null => {
    const t = s.technicians.get(technicianId);
    return t === undefined ? null : (p.rollups.teamSpans(t, at, at + 1)[0]?.[0] ?? t.team);
  };
  for (const id of ctx.technicianIds) {
    const t = s.technicians.get(id);
    if (t === undefined) continue;
    if (t.team !== null) of(t.team).members.add(id);
    const spans = p.rollups.teamSpans(t, dayStart, until);
    for (const [team, [from, to]] of spans) {
      if (team === null) continue;
      const times = spans.length === 1 ? wholeDay.get(id) : technicianTimesToday(s, ctx, jobs, from, to).get(id);
      const target = of(team);
      target.members.add(id);
      target.sum.attendanceMs += times?.attendanceMs ?? 0;
      target.sum.productiveMs += times?.productiveMs ?? 0;
    }
  }
  for (const j of jobs) {
    if (j.technicianId === null || !ctx.technicianIds.has(j.technicianId)) continue;
    const completedIn = inDay(j.completedAt) ? teamAt(j.technicianId, j.completedAt) : null;
    if (completedIn !== null) of(completedIn).sum.completed.push(j);
    const deliveredIn = inWeek(j.deliveredAt) ? teamAt(j.technicianId, j.deliveredAt) : null;
    if (deliveredIn !== null) of(deliveredIn).sum.deliveries++;
  }
  for (const j of jobs) {
    const original = j.comebackOf === null ? undefined : s.jobs.get(j.comebackOf);
    if (!inWeek(j.checkedInAt) || !original?.technicianId || !ctx.technicianIds.has(original.technicianId)) continue;
    const team = teamAt(original.technicianId, original.lastAt);
    if (team !== null) of(team).sum.comebacks++;
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([team, { members, sum }]) => ({ team, members: members.size, sum }));
}

function problems(
  jobs: readonly JobRecord[],
  jobById: ReadonlyMap<string, JobRecord>,
  technicians: ReadonlyMap<string, TechnicianRecord>,
  surveys: ReadonlyMap<string, { score: number }>,
  inDay: (t: number | null) => t is number,
  dayStart: number,
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
    // A wait belongs to the day it ends (one across midnight is on the morning's list), and to
    // every day it is still running at the end of (for today, now), marked "still waiting".
    for (const pause of j.pauses) {
      const end = pause.to ?? until;
      if (end >= dayStart && pause.reason === 'parts' && end - pause.from > PAUSED_TOO_LONG_MS) {
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
  // Below the minimum sample a figure takes no place (personFigure).
  const ranked = kpis.filter((k) => k.value !== null && k.enough).sort((a, b) => key(a.value!) - key(b.value!));
  for (const k of ranked) k.rank = 1 + ranked.findIndex((o) => key(o.value!) === key(k.value!));
}
