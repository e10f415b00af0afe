import { DAY_MS, HOUR_MS, localDayRange, localParts, zoneOffsetMs } from '../../shared/time.js';

/**
 * Local-hour arithmetic for the history roll-ups, which meet every event of a workshop's log:
 * `zoneOffsetMs` goes through Intl and costs microseconds, so offsets are cached per UTC
 * quarter hour (every zone's offset changes only on a quarter-hour boundary).
 */
const QUARTER_MS = HOUR_MS / 4;
const MAX_CACHED = 50_000;
const offsets = new Map<string, Map<number, number>>();

export function cachedOffsetMs(ms: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const slot = Math.floor(ms / QUARTER_MS);
  let offset = zone.get(slot);
  if (offset === undefined) {
    if (zone.size >= MAX_CACHED) zone.clear();
    offset = zoneOffsetMs(slot * QUARTER_MS, timeZone);
    zone.set(slot, offset);
  }
  return offset;
}

/**
 * The first instant of the local hour containing `ms`. In India (+5:30) that is half past a
 * UTC hour; on the night clocks go back, the two 02:00 hours are two different buckets.
 */
export function localHourStart(ms: number, timeZone: string): number {
  const wall = ms + cachedOffsetMs(ms, timeZone);
  return ms - (((wall % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

const dayRanges = new Map<string, Map<number, { start: number; end: number }>>();

/**
 * The local day containing `ms`, as `localDayRange` gives it, cached per zone and wall-clock
 * day: folding a year of hours into days (roll-ups, history) asks ~24 times per day, and each
 * uncached answer is several Intl calls.
 */
export function cachedLocalDayRange(ms: number, timeZone: string): { start: number; end: number } {
  let zone = dayRanges.get(timeZone);
  if (!zone) dayRanges.set(timeZone, (zone = new Map()));
  const wallDay = Math.floor((ms + cachedOffsetMs(ms, timeZone)) / DAY_MS);
  let range = zone.get(wallDay);
  if (range === undefined) {
    if (zone.size >= MAX_CACHED) zone.clear();
    range = localDayRange(ms, timeZone);
    zone.set(wallDay, range);
  }
  return range;
}

/**
 * Calls `add` for each local hour that [from, to) touches, with the milliseconds inside it.
 * The zone's offset is asked once a day, not once an hour: when it is the same a day later the
 * day between has no change (zones change at most a few times a year, months apart), so a
 * long interval costs its hours in arithmetic and its days in Intl calls.
 */
export function splitByLocalHour(from: number, to: number, timeZone: string, add: (hourStart: number, ms: number) => void): void {
  let t = from;
  while (t < to) {
    const dayEnd = Math.min(to, t + DAY_MS);
    const offset = cachedOffsetMs(t, timeZone);
    const steady = cachedOffsetMs(dayEnd, timeZone) === offset;
    while (t < dayEnd) {
      const wall = t + (steady ? offset : cachedOffsetMs(t, timeZone));
      const start = t - (((wall % HOUR_MS) + HOUR_MS) % HOUR_MS);
      const end = Math.min(start + HOUR_MS, to);
      add(start, end - t);
      t = end;
    }
  }
}

/** "+08:00", "-03:30": the zone's offset at `ms`, as ISO 8601 writes it. */
export function offsetText(ms: number, timeZone: string): string {
  const minutes = Math.round(cachedOffsetMs(ms, timeZone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** ISO weekday of the local date at `ms`: 1 Monday … 7 Sunday. */
export function localWeekday(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return d === 0 ? 7 : d;
}
