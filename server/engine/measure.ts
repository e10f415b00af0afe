import { pairs, totalMs } from './intervals.js';
import type { JobRecord } from './state.js';

/** Small measures shared by the figures, the forecast and the flags. */

/** In-progress time so far, pauses excluded. */
export function workedMs(job: JobRecord, now: number): number {
  return totalMs(pairs(job.workSegments, job.runningSince, Math.max(now, job.runningSince ?? now)));
}

export function ratio(part: number, whole: number): number {
  return Math.round((part / whole) * 10_000) / 10_000;
}

export function minutes(value: number): number {
  return Math.round(value * 10) / 10;
}
