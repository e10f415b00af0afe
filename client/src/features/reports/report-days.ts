import { DAY_MS, localDate } from '../../../../shared/time.js';

/** The report's calendar: local dates as YYYY-MM-DD labels, the day to show, the days a cut or a fold covers. */
/** Calendar arithmetic on YYYY-MM-DD (no zone: a local date is a label, not an instant). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The report's default: yesterday in the workshop's zone, by the hub's clock (the demo runs it fast). */
export function yesterdayOf(hubNowIso: string, timeZone: string): string {
  return addDays(localDate(Date.parse(hubNowIso), timeZone), -1);
}

/** ISO weekday of a local date: 1 Monday … 7 Sunday (history's `dayOfWeek` labels). */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** "Sat 21 Nov 2026" / "2026年11月21日 周六", the calendar day as such (noon UTC keeps it on its date in any zone). */
export function dayTitle(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** How many times each ISO weekday (1–7) occurs in [from, to]: the divisor of a folded count. */
export function weekdayCounts(from: string, to: string): Record<number, number> {
  const out: Record<number, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0 };
  for (let d = from; d <= to; d = addDays(d, 1)) out[isoWeekday(d)]! += 1;
  return out;
}

/** Days covered by each key of a `daytype` cut: weekday / weekend. */
export function daytypeDays(from: string, to: string): Record<'weekday' | 'weekend', number> {
  const c = weekdayCounts(from, to);
  return { weekday: c[1]! + c[2]! + c[3]! + c[4]! + c[5]!, weekend: c[6]! + c[7]! };
}
