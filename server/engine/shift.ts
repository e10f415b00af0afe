import { HOUR_MS } from '../../shared/time.js';

/** A gap in attendance up to this long is a break inside one shift, not the end of it. */
export const SHIFT_GAP_MS = 2 * HOUR_MS;

/**
 * When the current shift began: the first attendance interval that runs into the open one
 * without a gap longer than a break. Compaction keeps these intervals, so the answer does not
 * change when old attendance is dropped.
 */
export function shiftStart(attendance: readonly number[], attendingSince: number | null): number | null {
  let start = attendingSince;
  for (let i = attendance.length - 2; i >= 0; i -= 2) {
    const end = attendance[i + 1]!;
    if (start !== null && start - end > SHIFT_GAP_MS) break;
    start = attendance[i]!;
  }
  return start;
}
