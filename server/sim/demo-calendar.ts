import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS, HOUR_MS, localDate, startOfLocalDate } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { bookedShare, bookedWithShare, historyWeek, shiftedArrivalFactor } from './demo-bookings.js';
import { simulateDay } from './simulate-day.js';

/** The seed's weekend: 2.1 times the weekday arrivals, with the weekday staff. */
export const WEEKEND_ARRIVAL_FACTOR = 2.1;
/** The days after the demo's day whose bookings are already made (the lead's 14-day capacity view). */
export const DEMO_FUTURE_DAYS = 14;

/** The `days` local dates before `date` (YYYY-MM-DD), oldest first. */
export function datesBefore(date: string, days: number): string[] {
  return datesFrom(date, -days, days);
}

function datesFrom(date: string, offset: number, count: number): string[] {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(noon + (offset + i) * DAY_MS).toISOString().slice(0, 10));
}

const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay());

export interface DemoCalendar {
  /** One array per day before the demo's, oldest first: what the terminals and the desk sent that day (bookings for later days too). */
  history: PitwallEvent[][];
  /** The demo's day: its cars (some booked before), and the bookings the desk takes that day. */
  day: PitwallEvent[];
}

/**
 * The demo's days (pure, seeded by each date): `days` days of history before `date`, the day
 * itself, and the bookings already taken for the DEMO_FUTURE_DAYS after it. Each event goes to
 * the day it is dated: a car's booking to a day before it comes, a booking for next week to the
 * history or the demo's day; what is dated after the demo's day has not happened yet and is left
 * out. The history's first day books the same morning (nothing before it is written).
 */
export function demoCalendar(workshop: WorkshopConfig, date: string, rota: readonly string[], days: number): DemoCalendar {
  const history = datesBefore(date, days);
  const bookedFrom = startOfLocalDate(history[0] ?? date, workshop.timezone) + 7 * HOUR_MS;
  const simulate = (d: string, daysBefore: number) => {
    const weekend = isWeekend(d);
    const week = historyWeek(daysBefore);
    const factor = weekend ? WEEKEND_ARRIVAL_FACTOR : 1;
    return simulateDay({
      config: workshop,
      date: d,
      // The seed is the date: the same date is the same day, in the history and when it is played live.
      seed: Number(d.replaceAll('-', '')),
      // The demo's day is the case's: the weekday's cars, or a weekend's 2.1×; the history's later weeks move demand.
      arrivalFactor: daysBefore === 0 ? factor : shiftedArrivalFactor(weekend, week, factor),
      technicianIds: rota,
      arrivalKind: bookedWithShare(d, bookedShare(weekend, week)),
      bookedFrom,
    });
  };
  const byDate = new Map<string, PitwallEvent[]>([...history, date].map((d) => [d, []]));
  const file = (events: readonly PitwallEvent[]) => {
    for (const e of events) byDate.get(localDate(Date.parse(e.at), workshop.timezone))?.push(e);
  };
  history.forEach((d, i) => file(simulate(d, days - i)));
  file(simulate(date, 0));
  for (const [i, d] of datesFrom(date, 1, DEMO_FUTURE_DAYS).entries()) file(simulate(d, -1 - i).filter((e) => e.type === 'appointment.booked' || e.type === 'appointment.cancelled'));
  const sorted = (d: string) => byDate.get(d)!.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { history: history.map(sorted), day: sorted(date) };
}
