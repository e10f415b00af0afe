import { HOUR_MS, localParts, zoneOffsetMs } from '../../shared/time.js';

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

/** Calls `add` for each local hour that [from, to) touches, with the milliseconds inside it. */
export function splitByLocalHour(from: number, to: number, timeZone: string, add: (hourStart: number, ms: number) => void): void {
  let t = from;
  while (t < to) {
    const start = localHourStart(t, timeZone);
    const end = Math.min(start + HOUR_MS, to);
    add(start, end - t);
    t = end;
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
