import type { DailyReport, RankedKpi } from '../../shared/daily.js';
import { MINUTE_MS, HOUR_MS } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { comebackRate } from '../../shared/comeback-rate.js';
import { originalJob } from './compaction.js';
import type { DayWindow } from './daily-window.js';
import { LIGHT_SCORE, rank, weighted } from './daily-scores.js';
import { technicianTimesToday } from './figures.js';
import { personFigure } from './person-figure.js';
import { attendedWorkMs, minutes, ratio } from './measure.js';
import { implausibleTime } from './outliers.js';
import type { Projection } from './projection.js';
import type { JobRecord } from './state.js';

/**
 * The daily report's technicians and teams (daily.ts): each one's KPIs with lights, the
 * article's weighted score (6.2) and the day's ranks.
 */

/**
 * Weights of the KPI article's technician score over the KPIs the events carry (upsell,
 * work-order accuracy and safety incidents are not in the contract), renormalised.
 */
const TECH_WEIGHTS = { utilisation: 25, firstTimeFix: 30, laborAchievement: 20, comebackRate: 10 } as const;

/** What a technician's or a team's KPIs are computed from. */
type Raw = { attendanceMs: number; productiveMs: number; completed: JobRecord[]; comebacks: number; deliveries: number };

const emptyRaw = (): Raw => ({ attendanceMs: 0, productiveMs: 0, completed: [], comebacks: 0, deliveries: 0 });

export function staffFigures(p: Projection, config: WorkshopConfig, day: DayWindow): Pick<DailyReport, 'technicians' | 'teams'> {
  const { state: s, ctx } = p;
  const { dayStart, until, inDay, inWeek } = day;
  const jobs = [...s.jobs.values()];
  const times = technicianTimesToday(s, ctx, jobs, dayStart, until);

  const raw = new Map<string, Raw>();
  const rawOf = (id: string) => raw.get(id) ?? raw.set(id, emptyRaw()).get(id)!;
  for (const [id, t] of times) Object.assign(rawOf(id), t);
  for (const j of jobs) {
    if (j.technicianId === null) continue;
    if (inDay(j.completedAt)) rawOf(j.technicianId).completed.push(j);
    if (inWeek(j.deliveredAt)) rawOf(j.technicianId).deliveries++;
  }
  // A comeback counts against the technician of the original job.
  for (const j of jobs) {
    const original = originalJob(s, j.comebackOf);
    if (inWeek(j.checkedInAt) && original?.technicianId) rawOf(original.technicianId).comebacks++;
  }

  const technicians = config.technicians.map((t) => ({
    technicianId: t.id,
    name: t.name,
    team: s.technicians.get(t.id)?.team ?? t.team ?? null,
    ...kpisOf(rawOf(t.id), p, config, until),
  }));
  const teams = teamFigures(p, jobs, times, day).map(({ team, members, sum }) => ({ team, technicians: members, ...kpisOf(sum, p, config, until) }));
  for (const list of [technicians, teams]) {
    rank(list.map((x) => x.utilisation), 'higher');
    rank(list.map((x) => x.firstTimeFix), 'higher');
    rank(list.map((x) => x.comebackRate), 'lower');
    rank(list.map((x) => x.proficiency), 'higher');
    // The labour-time band is best at 100 %: rank by distance from it.
    rank(list.map((x) => x.laborAchievement), 'closest-to-one');
  }
  return { technicians, teams };
}

function kpisOf(r: Raw, p: Projection, config: WorkshopConfig, until: number) {
  const th = p.ctx.thresholds;
  // Implausible worked time (a forgotten Start) stays out of labour-time achievement and proficiency (outliers.ts).
  const plausible = r.completed.filter((j) => j.timeConfirmed || implausibleTime(j.attendedClosedMs, j.standardMinutes) === null);
  const worked = plausible.reduce((a, j) => a + attendedWorkMs(j, p.state.technicians, until), 0);
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
  { dayStart, until, inDay, inWeek }: DayWindow,
): { team: string; members: number; sum: Raw }[] {
  const { state: s, ctx } = p;
  const sums = new Map<string, { members: Set<string>; sum: Raw }>();
  const of = (team: string) => sums.get(team) ?? sums.set(team, { members: new Set(), sum: emptyRaw() }).get(team)!;
  const teamAt = (technicianId: string, at: number): string | null => p.teamAtLastChange({ technicianId, lastAt: at });
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
    const original = originalJob(s, j.comebackOf);
    if (!inWeek(j.checkedInAt) || !original?.technicianId || !ctx.technicianIds.has(original.technicianId)) continue;
    // A job compacted away kept its team (teams before the roll-ups' horizon are folded away).
    const team = original.team !== undefined ? original.team : teamAt(original.technicianId, original.lastAt);
    if (team !== null) of(team).sum.comebacks++;
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([team, { members, sum }]) => ({ team, members: members.size, sum }));
}
