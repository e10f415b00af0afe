import { comebackRate as comebackRateOf } from '../../shared/comeback-rate.js';
import { sampledLight } from '../../shared/light-policy.js';
import { lightFor } from '../../shared/lights.js';
import type { BaySnapshot, BoardSnapshot, Kpi, KpiName } from '../../shared/snapshot.js';
import { DAY_MS, MINUTE_MS, toIso } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { clip, intersect, pairs, totalMs, union, type Interval } from './intervals.js';
import type { JobRecord, WorkshopState } from './state.js';
import { dataFlags } from './flags.js';
import { cachedLocalDayRange } from './local-hours.js';
import { workByTechnician } from './job-work.js';
import { implausibleTime } from './outliers.js';
import { attendedWorkMs, minutes, ratio } from './measure.js';

/**
 * The board's figures (docs/api.md, "Live figures"), computed from the state as of `now`.
 * Pure: the same state, config and `now` always give the same board.
 *
 * Rounding, so a board and a test agree to the minute: ratios to 4 decimals, minutes to 1;
 * a light is judged on the value shown, so 44.96 min shows as 45 and is green.
 */
export type BoardFigures = Omit<BoardSnapshot, 'alerts' | 'terminals'>;

export const COMEBACK_WINDOW_MS = 7 * DAY_MS;

export function computeFigures(s: WorkshopState, ctx: WorkshopContext, now: number): BoardFigures {
  // Cached: the time-zone arithmetic behind a day's bounds (Intl) was a tenth of every snapshot.
  const today = cachedLocalDayRange(now, ctx.timezone);
  const inToday = (t: number) => t >= today.start && t < today.end && t <= now;
  const th = ctx.thresholds;

  // The live jobs (waiting, in progress, paused) are all the board's counts and waits look at;
  // the week of finished ones kept for other figures is only walked where today's time needs it.
  const open = [...s.openJobs.values()];
  const running = open.filter((j) => j.state === 'in_progress');
  const busyIds = new Set(running.map((j) => j.technicianId));

  let onShift = 0;
  let busy = 0;
  let onBreak = 0;
  for (const t of s.technicians.values()) {
    if (!ctx.technicianIds.has(t.id)) continue;
    if (t.status === 'on_shift') {
      onShift++;
      if (busyIds.has(t.id)) busy++;
    } else if (t.status === 'on_break') onBreak++;
  }

  const todaysCompletions = s.completions.filter((c) => inToday(c.at));
  // Jobs with implausible worked time (a forgotten Start) are left out of the labour-time figure (outliers.ts).
  const plausible = todaysCompletions.filter((c) => implausibleTime(c.workedMs, c.standardMinutes) === null || s.jobs.get(c.jobId)?.timeConfirmed === true);
  const workedMs = plausible.reduce((sum, c) => sum + c.workedMs, 0);
  const standardMin = plausible.reduce((sum, c) => sum + c.standardMinutes, 0);
  const laborAchievement = plausible.length > 0 && workedMs > 0 ? ratio(standardMin, workedMs / MINUTE_MS) : null;
  const firstTimeFix = todaysCompletions.length > 0 ? ratio(todaysCompletions.filter((c) => c.firstTimeFix).length, todaysCompletions.length) : null;

  const inWindow = (t: number) => t > now - COMEBACK_WINDOW_MS && t <= now;
  const deliveriesWindow = s.deliveries.filter(inWindow).length;
  const comebackRate = comebackRateOf(s.comebacks.filter(inWindow).length, deliveriesWindow);

  const todaysSurveys = s.surveys.filter((v) => inToday(v.at));
  const csat = todaysSurveys.length > 0 ? ratio(todaysSurveys.filter((v) => v.score >= 4).length, todaysSurveys.length) : null;

  const waits = open
    .filter((j) => j.customerWaiting)
    .map((j) => Math.max(0, now - j.checkedInAt) / MINUTE_MS);
  const averageWaitMin = waits.length > 0 ? minutes(waits.reduce((a, b) => a + b, 0) / waits.length) : null;
  const longestWaitMin = waits.length > 0 ? minutes(Math.max(...waits)) : null;

  const utilisation = utilisationToday(s, ctx, s.jobs.values(), today.start, now);

  // The light a KPI shows given what it rests on (config lightPolicy.minSample; default none).
  const kpi = (name: KpiName, value: number | null, sample: number): Kpi => ({ value, light: sampledLight(name, value, sample, th, ctx.config.lightPolicy) });

  return {
    workshopId: ctx.config.id,
    seq: s.seq,
    asOf: toIso(now),
    technicians: { onShift, busy, idle: onShift - busy, onBreak },
    jobs: {
      waiting: open.filter((j) => j.state === 'waiting').length,
      inProgress: running.length,
      paused: open.filter((j) => j.state === 'paused').length,
      completedToday: todaysCompletions.length,
      deliveredToday: s.deliveries.filter(inToday).length,
    },
    waitingCustomers: { count: waits.length, averageWaitMin, longestWaitMin },
    kpis: {
      utilisation: kpi('utilisation', utilisation.value, utilisation.attendanceMin),
      laborAchievement: kpi('laborAchievement', laborAchievement, plausible.length),
      firstTimeFix: kpi('firstTimeFix', firstTimeFix, todaysCompletions.length),
      comebackRate: kpi('comebackRate', comebackRate, deliveriesWindow),
      csat: kpi('csat', csat, todaysSurveys.length),
      averageWait: kpi('averageWait', averageWaitMin, waits.length),
    },
    bays: ctx.config.bays.map((b) => bayFigures(b.id, s, ctx, now)),
    flags: dataFlags(s, ctx, now),
  };
}

/**
 * Σ productive ÷ Σ attendance, both clipped to today so far. Productive is the union of the
 * technician's in-progress intervals (paused time is not in them) inside their attendance:
 * two jobs at once count once, and work while clocked out or on a break is not counted.
 */
function utilisationToday(s: WorkshopState, ctx: WorkshopContext, jobs: Iterable<JobRecord>, dayStart: number, now: number): { value: number | null; attendanceMin: number } {
  let attendanceMs = 0;
  let productiveMs = 0;
  for (const t of technicianTimesToday(s, ctx, jobs, dayStart, now).values()) {
    attendanceMs += t.attendanceMs;
    productiveMs += t.productiveMs;
  }
  return { value: attendanceMs > 0 ? ratio(productiveMs, attendanceMs) : null, attendanceMin: attendanceMs / MINUTE_MS };
}

/** Each configured technician's attendance and productive time today (see utilisationToday). */
export function technicianTimesToday(
  s: WorkshopState,
  ctx: WorkshopContext,
  jobs: Iterable<JobRecord>,
  dayStart: number,
  now: number,
): Map<string, { attendanceMs: number; productiveMs: number }> {
  // Time that ended before the day began cannot overlap it: a job finished on an earlier day
  // costs one comparison, not a list of intervals (the projection keeps a week of them).
  const workByTech = new Map<string, Interval[]>();
  for (const job of jobs) {
    if (job.technicianId === null) continue;
    const segments = job.workSegments;
    if (job.runningSince === null && (segments.length === 0 || segments[segments.length - 1]! <= dayStart)) continue;
    for (const [tech, work] of workByTechnician(job, now, dayStart)) {
      const list = workByTech.get(tech) ?? [];
      list.push(...work);
      workByTech.set(tech, list);
    }
  }
  const out = new Map<string, { attendanceMs: number; productiveMs: number }>();
  for (const t of s.technicians.values()) {
    if (!ctx.technicianIds.has(t.id)) continue;
    const attendance = clip(union(pairs(t.attendance, t.attendingSince, now, dayStart)), dayStart, now);
    out.set(t.id, { attendanceMs: totalMs(attendance), productiveMs: totalMs(intersect(workByTech.get(t.id) ?? [], attendance)) });
  }
  return out;
}

function bayFigures(bayId: string, s: WorkshopState, ctx: WorkshopContext, now: number): BaySnapshot {
  const jobId = s.bayHolders.get(bayId);
  const job = jobId === undefined ? undefined : s.jobs.get(jobId);
  if (!job || (job.state !== 'in_progress' && job.state !== 'paused')) {
    return { bayId, jobId: null, technicianId: null, state: 'idle', elapsedMin: null, standardMin: null, light: 'none', plate: null, pauseReason: null };
  }
  const elapsedMin = minutes(attendedWorkMs(job, s.technicians, now) / MINUTE_MS);
  return {
    bayId,
    jobId: job.id,
    technicianId: job.technicianId,
    state: job.damagedBattery ? 'isolation' : job.state,
    elapsedMin,
    standardMin: job.standardMinutes,
    light: lightFor('bayElapsed', ratio(elapsedMin, job.standardMinutes), ctx.thresholds),
    plate: job.plate,
    pauseReason: job.pauseReason,
  };
}

