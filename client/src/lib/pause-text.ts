import type { PauseReason } from '../../../shared/events.js';

/**
 * The reason a paused job's status line names after "Paused ·", or null when it should say
 * just "Paused": the generic reason's own label is "Paused" (暂停), so naming it would read
 * "Paused · Paused" on the terminal and the board. Null (an old snapshot) is the generic one.
 */
export function namedPauseReason(reason: PauseReason | null): Exclude<PauseReason, 'other'> | null {
  return reason === null || reason === 'other' ? null : reason;
}
