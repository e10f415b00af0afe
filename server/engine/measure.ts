import type { JobRecord, TechnicianRecord } from './state.js';

/** Small measures shared by the figures, the forecast and the flags. */

/** In-progress time so far, pauses excluded: the closed segments' running sum plus the open one. O(1). */
export function workedMs(job: JobRecord, now: number): number {
  return job.workedClosedMs + (job.runningSince === null ? 0 : Math.max(0, now - job.runningSince));
}

/**
 * The technician's attendance up to `at` (clocked in, not on break), as a clock: a job keeps
 * its reading when it starts running and reads it again when it stops. Exact while events come
 * in time order; an event dated before the technician's last change reads that change's clock.
 */
export function attendanceClock(t: TechnicianRecord, at: number): number {
  return t.attendanceClosedMs + (t.attendingSince === null ? 0 : Math.max(0, at - t.attendingSince));
}

/** The running interval [since, at)'s time inside the technician's attendance; all of it without a technician record. */
export function attendedSince(since: number, clock: number | null, t: TechnicianRecord | undefined, at: number): number {
  const span = Math.max(0, at - since);
  if (t === undefined || clock === null) return span;
  return Math.min(span, Math.max(0, attendanceClock(t, at) - clock));
}

/**
 * Worked time (issue 12, item 9): the job's in-progress time inside its technician's
 * attendance, so breaks and time clocked out are not work, as utilisation counts it. What the
 * bay's elapsed figure, the overrun flag, completions and the daily report use. O(1).
 */
export function attendedWorkMs(job: JobRecord, technicians: ReadonlyMap<string, TechnicianRecord>, now: number): number {
  if (job.runningSince === null) return job.attendedClosedMs;
  const t = job.technicianId === null ? undefined : technicians.get(job.technicianId);
  return job.attendedClosedMs + attendedSince(job.runningSince, job.runningClock, t, now);
}

export function ratio(part: number, whole: number): number {
  return Math.round((part / whole) * 10_000) / 10_000;
}

export function minutes(value: number): number {
  return Math.round(value * 10) / 10;
}
