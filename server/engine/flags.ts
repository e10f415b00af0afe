import type { DataFlag } from '../../shared/snapshot.js';
import { HOUR_MS, MINUTE_MS, toIso } from '../../shared/time.js';
import { cachedLocalDayRange } from './local-hours.js';
import type { WorkshopContext } from './context.js';
import { attendedWorkMs } from './measure.js';
import { implausibleTime } from './outliers.js';
import { shiftStart } from './shift.js';
import type { WorkshopState } from './state.js';

/**
 * Where the floor probably forgot to tap (issue "The live board": data-quality flags). Each
 * flag says since when, so the board can show how long a record has been suspect.
 */
export const OVERRUN_FACTOR = 2;
export const PAUSED_LONG_MS = 2 * HOUR_MS;
export const AFTER_CLOSING_GRACE_MS = 30 * MINUTE_MS;
export const LONG_SHIFT_MS = 14 * HOUR_MS;

export function dataFlags(s: WorkshopState, ctx: WorkshopContext, now: number): DataFlag[] {
  const flags: DataFlag[] = [];
  for (const job of s.jobs.values()) {
    if (job.state !== 'in_progress' && job.state !== 'paused') continue;
    const limitMs = job.standardMinutes * OVERRUN_FACTOR * MINUTE_MS;
    const worked = attendedWorkMs(job, s.technicians, now);
    if (worked > limitMs) {
      // Crossed the line `worked - limit` of work ago: that long before now if running, before the pause if paused.
      const crossedAt = (job.state === 'paused' && job.pausedAt !== null ? job.pausedAt : now) - (worked - limitMs);
      flags.push({
        kind: 'overrun',
        jobId: job.id,
        technicianId: job.technicianId,
        bayId: job.bayId,
        since: toIso(crossedAt),
        message: `${job.plate}: ${Math.floor(worked / MINUTE_MS)} min worked against a standard of ${job.standardMinutes} min; still running, or not marked complete?`,
      });
    }
    if (job.state === 'paused' && job.pausedAt !== null && now - job.pausedAt >= PAUSED_LONG_MS) {
      flags.push({
        kind: 'paused_long',
        jobId: job.id,
        technicianId: job.technicianId,
        bayId: job.bayId,
        since: toIso(job.pausedAt),
        message: `${job.plate}: paused (${job.pauseReason ?? 'other'}) for ${Math.floor((now - job.pausedAt) / HOUR_MS)} h ${Math.floor(((now - job.pausedAt) % HOUR_MS) / MINUTE_MS)} min`,
      });
    }
  }
  const closing = closingTime(ctx, now);
  for (const t of s.technicians.values()) {
    if (t.status === 'off' || !ctx.technicianIds.has(t.id)) continue;
    const since = shiftStart(t);
    if (closing !== null && now >= closing + AFTER_CLOSING_GRACE_MS) {
      flags.push({ kind: 'after_closing', jobId: null, technicianId: t.id, bayId: null, since: toIso(closing), message: `${t.id} is still clocked in after closing (${ctx.config.hours!.close})` });
    } else if (since !== null && now - since >= LONG_SHIFT_MS) {
      flags.push({ kind: 'after_closing', jobId: null, technicianId: t.id, bayId: null, since: toIso(since + LONG_SHIFT_MS), message: `${t.id} has been clocked in for ${Math.floor((now - since) / HOUR_MS)} h; forgot to clock out?` });
    }
  }
  // The floor's flags first (something to go and look at now), then the lead's questions about
  // finished work: a burst of quick jobs never pushes a running overrun out of the listed ten.
  return [...flags.sort((a, b) => a.since.localeCompare(b.since)), ...implausibleToday(s, ctx, now)];
}

/**
 * Today's completed jobs whose worked time is implausible (outliers.ts) and no lead has
 * confirmed yet: each left out of labour-time achievement until confirmed (`job.time_confirmed`).
 * Oldest completion first; bounded by today's completions.
 */
function implausibleToday(s: WorkshopState, ctx: WorkshopContext, now: number): DataFlag[] {
  const { start } = cachedLocalDayRange(now, ctx.timezone);
  const flags: DataFlag[] = [];
  for (const c of s.completions) {
    if (c.at < start || c.at > now || implausibleTime(c.workedMs, c.standardMinutes) === null) continue;
    const job = s.jobs.get(c.jobId);
    if (!job || job.timeConfirmed) continue;
    const worked = Math.round((c.workedMs / MINUTE_MS) * 10) / 10;
    flags.push({
      kind: 'implausible_time',
      jobId: job.id,
      plate: job.plate,
      technicianId: job.technicianId,
      bayId: job.bayId,
      since: toIso(c.at),
      message: `${job.plate}: ${worked} min worked against a standard of ${c.standardMinutes} min; left out of labour-time achievement until a lead confirms the time`,
    });
  }
  return flags.sort((a, b) => a.since.localeCompare(b.since));
}

/** Today's closing time (ms), when the config gives opening hours. */
function closingTime(ctx: WorkshopContext, now: number): number | null {
  const close = ctx.config.hours?.close;
  if (!close) return null;
  const [h, m] = close.split(':').map(Number) as [number, number];
  const { start } = cachedLocalDayRange(now, ctx.timezone);
  // Wall-clock hours after local midnight; on a DST-change day this is off by the shift, which a flag can bear.
  return start + h * HOUR_MS + m * MINUTE_MS;
}
