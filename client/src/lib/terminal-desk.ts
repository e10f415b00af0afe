import { DAY_MS, HOUR_MS, localParts, MINUTE_MS, startOfLocalDay } from '../../../shared/time.js';
import type { FloorJob } from './terminal-projection.js';

/**
 * The advisor desk's readings of the job list: cars to hand over, cars to survey, earlier
 * jobs a comeback may name, and the promised time typed as a wall-clock time.
 */

/**
 * "17:30" typed at the desk → the next 17:30 on the workshop's clock, as ISO with offset: a
 * time already past today means tomorrow (a car promised "09:00" at 17:00 is promised for the
 * morning). On a day whose clocks change, the minutes are counted from local midnight.
 */
export function promisedIso(hhmm: string, now: number, timeZone: string): string | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  let at = startOfLocalDay(now, timeZone) + minutes * MINUTE_MS;
  if (at <= now) at = startOfLocalDay(now + DAY_MS, timeZone) + minutes * MINUTE_MS;
  return new Date(at).toISOString();
}

/** "In two hours" as the desk's time field wants it: HH:MM on the workshop's clock, up to the next quarter hour. */
export function hhmmIn(hours: number, now: number, timeZone: string): string {
  const quarter = 15 * MINUTE_MS;
  const at = Math.ceil((now + hours * HOUR_MS) / quarter) * quarter;
  const p = localParts(at, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** Completed and not yet handed over, oldest completion first. */
export function deliverable(jobs: readonly FloorJob[]): FloorJob[] {
  return jobs.filter((j) => j.state === 'completed').sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''));
}

/** Completed or delivered, without a survey from this desk yet, latest first. */
export function surveyable(jobs: readonly FloorJob[], surveyed: readonly string[]): FloorJob[] {
  const done = new Set(surveyed);
  return jobs
    .filter((j) => (j.state === 'completed' || j.state === 'delivered') && !done.has(j.jobId))
    .sort((a, b) => (b.deliveredAt ?? b.completedAt ?? '').localeCompare(a.deliveredAt ?? a.completedAt ?? ''));
}

/** Earlier jobs a new check-in may be a comeback of: handed over (or done), latest first. */
export function comebackCandidates(jobs: readonly FloorJob[]): FloorJob[] {
  return jobs.filter((j) => j.state === 'delivered' || j.state === 'completed').sort((a, b) => (b.deliveredAt ?? b.completedAt ?? '').localeCompare(a.deliveredAt ?? a.completedAt ?? ''));
}
