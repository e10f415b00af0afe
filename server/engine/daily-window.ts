import { DAY_MS, HOUR_MS, localDayRange, startOfLocalDate } from '../../shared/time.js';

/**
 * Which moments belong to a daily report (daily.ts): the local day, up to `now` for today, and
 * the week ending with it (comeback rates and the week's CX). One home for these bounds, so
 * every part of the report cuts the day the same way.
 */
export interface DayWindow {
  dayStart: number;
  /** The day's end, or `now` for today: what the report is "as of". */
  until: number;
  /** Dated within the report's events: before the day's end, and at or before `now`. */
  before: (t: number) => boolean;
  /** Happened on the day, so far. */
  inDay: (t: number | null) => t is number;
  /** Happened in the 7 days up to `until`. */
  inWeek: (t: number | null) => t is number;
}

/** When the local date ends (a day of 23 or 25 hours where the clocks change). */
export function dayEndOf(date: string, timezone: string): number {
  return localDayRange(startOfLocalDate(date, timezone) + 12 * HOUR_MS, timezone).end;
}

export function dayWindow(date: string, timezone: string, now: number): DayWindow {
  const dayStart = startOfLocalDate(date, timezone);
  const dayEnd = dayEndOf(date, timezone);
  const until = Math.min(dayEnd, now);
  // Today so far includes what happened at `now` itself (a lead's confirmation a moment ago).
  const before = (t: number) => t < dayEnd && t <= now;
  return {
    dayStart,
    until,
    before,
    inDay: (t): t is number => t !== null && t >= dayStart && before(t),
    inWeek: (t): t is number => t !== null && t > until - 7 * DAY_MS && t <= until,
  };
}
