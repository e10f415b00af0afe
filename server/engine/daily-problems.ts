import type { DailyReport } from '../../shared/daily.js';
import { MINUTE_MS } from '../../shared/time.js';
import { originalJob } from './compaction.js';
import { attendedWorkMs } from './measure.js';
import { implausibleDetail, implausibleTime } from './outliers.js';
import type { DayWindow } from './daily-window.js';
import type { JobRecord, WorkshopState } from './state.js';

/**
 * The daily report's problem work orders (daily.ts): implausible or over-standard worked time,
 * long waits for parts, comebacks and low survey scores.
 */

/** A pause for parts longer than this is a problem work order (the KPI article's default). */
export const PAUSED_TOO_LONG_MS = 30 * MINUTE_MS;
/** Over standard: worked beyond the bay light's red line. */
const OVER_STANDARD_FACTOR = 1.2;

export function problems(s: WorkshopState, surveys: ReadonlyMap<string, { score: number }>, { inDay, dayStart, until }: DayWindow): DailyReport['problems'] {
  const out: DailyReport['problems'] = [];
  const row = (kind: DailyReport['problems'][number]['kind'], j: JobRecord, detail: string) =>
    out.push({ kind, jobId: j.id, plate: j.plate, technicianId: j.technicianId, state: j.state, detail });
  for (const j of s.jobs.values()) {
    const worked = attendedWorkMs(j, s.technicians, until) / MINUTE_MS;
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
      const original = originalJob(s, j.comebackOf);
      row('comeback', j, `comeback of ${j.comebackOf}${original?.technicianId ? ` (worked by ${original.technicianId})` : ''}`);
    }
    const survey = surveys.get(j.id);
    if (survey && survey.score <= 2) row('low_score', j, `customer scored ${survey.score} of 5`);
  }
  return out;
}
