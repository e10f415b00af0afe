import type { DaySeries } from '../../shared/series.js';
import { MINUTE_MS, localDate, localDayRange, localParts, toIso } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { firstEndingAfter } from './intervals.js';
import { minutes } from './measure.js';
import type { WorkshopState } from './state.js';

/**
 * The charts' data, from the same state as the figures: a customer waits from check-in until
 * the job is completed or cancelled (docs/api.md's waiting customers), so the wait at any past
 * moment can be read off the jobs without storing samples.
 */
export function daySeries(s: WorkshopState, ctx: WorkshopContext, now: number, stepMin = 15): DaySeries {
  const tz = ctx.timezone;
  const today = localDayRange(now, tz);
  const byHour = new Map<number, number>();
  for (const c of s.completions) {
    if (c.at < today.start || c.at > now) continue;
    const h = localParts(c.at, tz).hour;
    byHour.set(h, (byHour.get(h) ?? 0) + 1);
  }
  const jobs = [...s.jobs.values()].filter((j) => j.customerWaiting);
  const ended = (j: (typeof jobs)[number]) => j.completedAt ?? j.cancelledAt ?? Infinity;

  // From the first sign of life today (a check-in or a clock-in), so the chart is not half empty.
  let first = Infinity;
  for (const j of s.jobs.values()) if (j.checkedInAt >= today.start && j.checkedInAt < first) first = j.checkedInAt;
  for (const t of s.technicians.values()) {
    // The first interval ending at or after midnight starts earliest (the list is in time order; ms are integers).
    const i = firstEndingAfter(t.attendance, today.start - 1);
    if (i < t.attendance.length) first = Math.min(first, Math.max(t.attendance[i]!, today.start));
    if (t.attendingSince !== null) first = Math.min(first, Math.max(t.attendingSince, today.start));
  }
  // A customer still waiting from yesterday starts the chart at midnight.
  if (jobs.some((j) => j.checkedInAt < today.start && ended(j) > today.start)) first = today.start;

  const step = stepMin * MINUTE_MS;
  const waiting: DaySeries['waiting'] = [];
  if (first <= now) {
    for (let t = today.start + Math.floor((first - today.start) / step) * step; t <= now; t += step) {
      const waits = jobs.filter((j) => j.checkedInAt <= t && ended(j) > t).map((j) => (t - j.checkedInAt) / MINUTE_MS);
      waiting.push({ at: toIso(t), count: waits.length, averageWaitMin: waits.length ? minutes(waits.reduce((a, b) => a + b, 0) / waits.length) : null });
    }
  }
  const lastHour = localParts(now, tz).hour;
  const firstHour = Math.min(lastHour, ...byHour.keys(), first <= now ? localParts(first, tz).hour : lastHour);
  const completionsPerHour = [];
  for (let h = firstHour; h <= lastHour; h++) completionsPerHour.push({ hour: h, count: byHour.get(h) ?? 0 });
  return { workshopId: ctx.config.id, asOf: toIso(now), date: localDate(now, tz), stepMin, completionsPerHour, waiting };
}
