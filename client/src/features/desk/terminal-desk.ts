import { DAY_MS, HOUR_MS, localParts, MINUTE_MS, startOfLocalDay } from '../../../../shared/time.js';
import type { FloorJob } from '../terminal/terminal-projection.js';
import type { OutboxEntry } from '../terminal/outbox.js';

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

/**
 * The cars that can still take a survey: completed or delivered today or yesterday (the
 * workshop's days), without a survey at the hub or on its way from this device (`surveyed`,
 * laid on by the projection), latest first. Older cars are still kept by the hub for a week,
 * but a survey at the counter is about the last two days; a longer list only hides the car.
 */
export function surveyable(jobs: readonly FloorJob[], now: number, timeZone: string): FloorJob[] {
  const from = startOfLocalDay(startOfLocalDay(now, timeZone) - 1, timeZone);
  const doneAt = (j: FloorJob) => j.deliveredAt ?? j.completedAt ?? '';
  return jobs
    .filter((j) => (j.state === 'completed' || j.state === 'delivered') && !j.surveyed && Date.parse(doneAt(j)) >= from)
    .sort((a, b) => doneAt(b).localeCompare(doneAt(a)));
}

/** A plate as typed at the counter: case, spaces, dots and dashes do not matter ("沪a 12-345" finds 沪A12345). */
export function plateKey(plate: string): string {
  return plate.toUpperCase().replace(/[\s.\-·]/g, '');
}

/** The cars whose plate contains what was typed (all of them for an empty search). */
export function matchPlate(jobs: readonly FloorJob[], typed: string): FloorJob[] {
  const key = plateKey(typed);
  return key ? jobs.filter((j) => plateKey(j.plate).includes(key)) : [...jobs];
}

/** Earlier jobs a new check-in may be a comeback of: handed over (or done), latest first. */
export function comebackCandidates(jobs: readonly FloorJob[]): FloorJob[] {
  return jobs.filter((j) => j.state === 'delivered' || j.state === 'completed').sort((a, b) => (b.deliveredAt ?? b.completedAt ?? '').localeCompare(a.deliveredAt ?? a.completedAt ?? ''));
}

/**
 * What became of the survey the desk just sent, read from the outbox: still queued (`sending`
 * while the hub answers, `saved` while it does not: kept on the device, sent later), refused
 * with the hub's reason, or gone from the outbox after the hub took it (accepted, or a
 * duplicate of what it holds): `recorded`. A refusal the user dismissed stays a refusal.
 */
export type SurveyOutcome = { state: 'sending' | 'saved' | 'recorded' } | { state: 'refused'; code: string; message: string };

export function surveyOutcome(previous: SurveyOutcome | null, entry: OutboxEntry | undefined, online: boolean): SurveyOutcome {
  if (entry?.status === 'rejected') return { state: 'refused', code: entry.error.code, message: entry.error.message };
  if (entry) return { state: online ? 'sending' : 'saved' };
  return previous?.state === 'refused' ? previous : { state: 'recorded' };
}
