import type { TechnicianRecord } from './state.js';
import { HOUR_MS } from '../../shared/time.js';

/** A gap in attendance up to this long is a break inside one shift, not the end of it. */
export const SHIFT_GAP_MS = 2 * HOUR_MS;

/**
 * When the current shift began: the first attendance interval that runs into the open one
 * without a gap longer than a break. Kept on the record as attendance opens (evolve.ts), so
 * asking costs nothing however many breaks the shift had, and compaction cannot change it.
 */
export function shiftStart(t: TechnicianRecord): number | null {
  return t.status === 'off' ? null : t.shiftStartedAt;
}
