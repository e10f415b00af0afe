import { z } from 'zod';
import { isoTime } from './events.js';

/**
 * The day so far, for the board's charts (an addition to the first contract, docs/api.md, served by
 * `GET /api/v1/workshops/:ws/series`): completions per local hour, and waiting customers
 * with their average wait sampled every `stepMin` minutes since the day's first activity.
 */
export const daySeries = z.object({
  workshopId: z.string(),
  asOf: isoTime,
  /** The workshop's local date, YYYY-MM-DD. */
  date: z.string(),
  stepMin: z.number().int().positive(),
  completionsPerHour: z.array(z.object({ hour: z.number().int().min(0).max(23), count: z.number().int().nonnegative() })),
  waiting: z.array(z.object({ at: isoTime, count: z.number().int().nonnegative(), averageWaitMin: z.number().nullable() })),
});
export type DaySeries = z.infer<typeof daySeries>;
