import type { JobRecord } from './state.js';

/** Small measures shared by the figures, the forecast and the flags. */

/** In-progress time so far, pauses excluded: the closed segments' running sum plus the open one. O(1). */
export function workedMs(job: JobRecord, now: number): number {
  return job.workedClosedMs + (job.runningSince === null ? 0 : Math.max(0, now - job.runningSince));
}

export function ratio(part: number, whole: number): number {
  return Math.round((part / whole) * 10_000) / 10_000;
}

export function minutes(value: number): number {
  return Math.round(value * 10) / 10;
}
