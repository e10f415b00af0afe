import type { ArrivalKindOf } from './arrival.js';
import { Random } from './random.js';

/**
 * How the demo's shop books (the case's fix, 推广工作日预约): over its 8 weeks of history a
 * rising share of the cars come booked, more on weekdays than at weekends, and from the third
 * week some of the weekend's demand moves to weekdays (weekday traffic up to +18 %, weekends
 * down as much). The Saturday the demo plays stays the case's 2.1× with the last week's booked share.
 */

/** Booked share of the arrivals in the history's first and last week (straight line between). */
export const BOOKED_SHARE = { weekday: [0.05, 0.3], weekend: [0.03, 0.12] } as const;
/** Weeks of the history before demand starts to move: weeks 3–6 move it, a quarter more each week; weeks 6–8 are the fix in full. */
const SHIFT_FROM_WEEK = 2;
const SHIFT_WEEKS = 4;
/**
 * At full shift: weekday cars +18 % (the case's figure), and what the five weekdays gain the two
 * weekend days lose (5 × 0.18 ÷ 2 = 0.45: weekends from 2.1× to 1.65×), the shop's cars the same.
 */
export const WEEKDAY_GAIN = 0.18;
export const WEEKEND_LOSS = (5 * WEEKDAY_GAIN) / 2;

const WEEKS = 8;

/** 1 … 8: the history's week a day `daysBefore` the demo's day falls in (8: the last 7 days); the demo day and after count as week 8. */
export function historyWeek(daysBefore: number): number {
  return daysBefore <= 0 ? WEEKS : Math.max(1, WEEKS - Math.floor((daysBefore - 1) / 7));
}

export function bookedShare(weekend: boolean, week: number): number {
  const [first, last] = BOOKED_SHARE[weekend ? 'weekend' : 'weekday'];
  return first + ((last - first) * (Math.min(week, WEEKS) - 1)) / (WEEKS - 1);
}

/** Arrivals against a plain weekday: 1 or 2.1 before the shift, then demand moving from weekends to weekdays. */
export function shiftedArrivalFactor(weekend: boolean, week: number, weekendFactor: number): number {
  const shift = Math.min(1, Math.max(0, (week - SHIFT_FROM_WEEK) / SHIFT_WEEKS));
  return weekend ? weekendFactor - WEEKEND_LOSS * shift : 1 + WEEKDAY_GAIN * shift;
}

/** Each arrival of the date booked with the given chance, from a stream seeded by the date: the same date books the same cars. */
export function bookedWithShare(date: string, share: number): ArrivalKindOf {
  const rnd = new Random(Number(date.replaceAll('-', '')) * 31 + 5);
  return () => (rnd.chance(share) ? 'booked' : 'walk-in');
}
