/**
 * Workshop-local calendar arithmetic without a clock: every function takes the instant it
 * reasons about. "Today" on the board is the calendar day of `now` in the workshop's time
 * zone, which is not the server's day (a hub in UTC serving Shanghai flips at 16:00 UTC).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** How far the zone's wall clock is ahead of UTC at `ms` (Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** "2026-11-22": the workshop's calendar date at `ms`. */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The first instant of the workshop's calendar day that contains `ms`. Where a daylight-
 * saving change skips local midnight (Santiago, Havana), the day starts at the first wall
 * time that exists.
 */
export function startOfLocalDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wallMidnight = Date.UTC(p.year, p.month - 1, p.day);
  let start = wallMidnight - zoneOffsetMs(wallMidnight, timeZone);
  start = wallMidnight - zoneOffsetMs(start, timeZone);
  const target = localDate(ms, timeZone);
  // Skipped midnight: the candidate lands on the previous day; the day begins when the gap ends.
  for (let i = 0; i < 4 && localDate(start, timeZone) < target; i++) start += HOUR_MS / 2;
  // Never later than a moment of the same day (guards repeated-hour corner cases).
  while (localDate(start - HOUR_MS / 2, timeZone) === target) start -= HOUR_MS / 2;
  return start;
}

/** The workshop's day containing `ms`, as [start, next day's start). */
export function localDayRange(ms: number, timeZone: string): { start: number; end: number } {
  const start = startOfLocalDay(ms, timeZone);
  // 26 h from the start is always inside the next day, whatever the DST shift.
  const end = startOfLocalDay(start + 26 * HOUR_MS, timeZone);
  return { start, end };
}

/** Whole minutes between two instants, as a wall clock shows elapsed time (never negative). */
export function wholeMinutes(fromMs: number, toMs: number): number {
  return Math.max(0, Math.floor((toMs - fromMs) / MINUTE_MS));
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The first instant of the workshop's calendar date "YYYY-MM-DD" (its local noon lies safely inside it). */
export function startOfLocalDate(date: string, timeZone: string): number {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return startOfLocalDay(noon - zoneOffsetMs(noon, timeZone), timeZone);
}

/** The years a workshop's calendar date may name: the epoch (no log holds anything earlier) to the last four-digit year. */
export const CALENDAR_YEARS = { first: 1970, last: 9999 } as const;
export const CALENDAR_DATE_RULE = `must be a calendar date YYYY-MM-DD between ${CALENDAR_YEARS.first}-01-01 and ${CALENDAR_YEARS.last}-12-31`;

/**
 * Whether "YYYY-MM-DD" names a day that exists. `Date.parse` is no check: it rolls
 * 2026-02-30 over to 2 March and takes 0000-01-01 as a date.
 */
export function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
