import type { StaffingPlan } from '../../shared/forecast.js';
import { slotOf, type ArrivalLog } from './arrivals.js';
import { DAY_MS, HOUR_MS, localParts, startOfLocalDay, toIso } from '../../shared/time.js';
import { expectedArrivals } from './appointments.js';
import type { WorkshopContext } from './context.js';
import { meanQueueWaitHours, serversFor } from './erlang.js';
import { minutes } from './measure.js';
import type { WorkshopState } from './state.js';

/** How many weeks of history the arrival pattern comes from. */
export const PATTERN_WEEKS = 4;
/** Whole weeks of history needed before the pattern estimates anything: every weekday and hour seen once. */
export const MIN_PATTERN_WEEKS = 1;
const MAX_TECHNICIANS = 60;

/**
 * Staffing for the hours ahead (docs/api.md, "Forecasts"): for each coming hour, the cars
 * expected (the mean of check-ins in the same weekday and hour over the last four weeks), and
 * with Erlang C how many technicians keep the average wait from check-in to done under the
 * green line, beside the wait the technicians on shift now would give.
 *
 * Assumes (and says so in the answer): arrivals in an hour are Poisson at that rate, job
 * times exponential with the mean standard time of those weeks, every technician takes every
 * job, and each hour is in steady state (the queue already here is the list forecast's job).
 * A customer waiting on site waits the queue plus their own (shorter) job.
 */
export function staffingPlan(arrivals: ArrivalLog, s: WorkshopState, ctx: WorkshopContext, now: number, hours = 4): StaffingPlan {
  const tz = ctx.timezone;
  const since = startOfLocalDay(now, tz) - PATTERN_WEEKS * 7 * DAY_MS;
  const checkIns = arrivals.between(since, now);
  const slot = (ms: number) => slotOf(ms, tz);
  // Walk-ins only (check-ins that named no appointment): the cars booked for an hour are known, not estimated.
  const bySlot = new Map<string, number>();
  for (const e of checkIns) if (!e.booked) bySlot.set(e.slot, (bySlot.get(e.slot) ?? 0) + 1);
  const bookedIn = (from: number) => expectedArrivals(s, ctx, from, from + HOUR_MS, now).length;
  const basis = checkIns.some((e) => e.booked) || expectedArrivals(s, ctx, -Infinity, Infinity, now).length > 0 ? 'walk_ins_and_bookings' : 'arrivals';
  const meanStandard = checkIns.length ? checkIns.reduce((a, e) => a + e.standardMinutes, 0) / checkIns.length : null;
  // The customers who wait on site bring shorter jobs than the drop-offs that share the queue.
  const waiters = checkIns.filter((e) => e.customerWaiting);
  const waiterStandard = waiters.length ? waiters.reduce((a, e) => a + e.standardMinutes, 0) / waiters.length : meanStandard;
  const onShift = [...s.technicians.values()].filter((t) => t.status === 'on_shift' && ctx.technicianIds.has(t.id)).length;
  const green = ctx.thresholds.averageWait.green;

  // The pattern needs whole weeks: each weekday and hour counted over the weeks the log really
  // covers, not divided by four when the shop started a week ago (that printed zeros).
  const { historyDays, weeks } = patternWeeks(arrivals, now, tz);

  const rows: StaffingPlan['hours'] = [];
  const firstHour = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  for (let i = 0; i < hours && weeks >= MIN_PATTERN_WEEKS; i++) {
    const from = firstHour + i * HOUR_MS - (localParts(firstHour, tz).minute * 60_000);
    const walkIns = (bySlot.get(slot(from)) ?? 0) / weeks;
    const booked = bookedIn(from);
    const arrivals = walkIns + booked;
    const counts = { walkInArrivals: Math.round(walkIns * 10) / 10, bookedArrivals: booked };
    if (meanStandard === null) {
      rows.push({ from: toIso(from), expectedArrivals: Math.round(arrivals * 10) / 10, ...counts, techniciansNeeded: null, predictedAverageWaitMinWithOnShift: null });
      continue;
    }
    const mu = 60 / meanStandard;
    const own = (waiterStandard ?? meanStandard) / 60;
    const waitWithOnShift = arrivals === 0 ? null : (meanQueueWaitHours(onShift, arrivals, mu) + own) * 60;
    rows.push({
      from: toIso(from),
      expectedArrivals: Math.round(arrivals * 10) / 10,
      ...counts,
      techniciansNeeded: arrivals === 0 ? 0 : serversFor(arrivals, mu, green / 60, MAX_TECHNICIANS, own),
      predictedAverageWaitMinWithOnShift: waitWithOnShift === null || !Number.isFinite(waitWithOnShift) ? null : minutes(waitWithOnShift),
    });
  }
  return {
    workshopId: ctx.config.id,
    asOf: toIso(now),
    onShift,
    greenLineMin: green,
    meanStandardMin: meanStandard === null ? null : minutes(meanStandard),
    weeksOfHistory: weeks,
    historyDays,
    weeksNeeded: MIN_PATTERN_WEEKS,
    basis,
    assumptions:
      `Erlang C per hour: Poisson arrivals at ${basisText(basis)} of the same weekday and hour ${historyText(weeks)}, exponential job times with the mean standard time of all jobs, every technician takes every job, steady state; a waiting customer waits the queue plus the mean standard time of jobs whose customer waits.`,
    hours: rows,
  };
}

/** Days of history before today (at most four weeks) and the whole weeks in them: what a weekday pattern is the mean of. */
export function patternWeeks(arrivals: ArrivalLog, now: number, tz: string): { historyDays: number; weeks: number } {
  const first = arrivals.firstAt ?? now;
  const historyDays = Math.max(0, Math.min(PATTERN_WEEKS * 7, Math.round((startOfLocalDay(now, tz) - startOfLocalDay(first, tz)) / DAY_MS)));
  return { historyDays, weeks: Math.floor(historyDays / 7) };
}

function basisText(basis: StaffingPlan['basis']): string {
  return basis === 'arrivals' ? 'the mean rate' : 'the cars booked for the hour plus the mean rate of walk-ins (check-ins without an appointment)';
}

/** What the arrival pattern is the mean of, said as a person would ("0 weeks" is no history at all). */
function historyText(weeks: number): string {
  if (weeks === 0) return `over the past ${PATTERN_WEEKS} weeks (none yet: it needs ${MIN_PATTERN_WEEKS} full week)`;
  return `over the last ${weeks === 1 ? 'week' : `${weeks} weeks`} (at most ${PATTERN_WEEKS})`;
}
