import type { PitwallEvent } from '../../shared/events.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { demoCalendar, WEEKEND_ARRIVAL_FACTOR } from './demo-calendar.js';
import { simulateDay } from './simulate-day.js';

export { datesBefore, WEEKEND_ARRIVAL_FACTOR } from './demo-calendar.js';

/**
 * The days before the demo's Saturday: 8 weeks, so the staffing plan's 4 weeks of arrivals, the
 * reports' weekday / weekend cut and a month-on-month comparison all have data from the start.
 */
export const DEMO_HISTORY_DAYS = 56;

/**
 * A date's day as the live demo (`npm start`, live-demo.ts) simulates it: the weekday's rota
 * every day, a weekend's 2.1× cars on Saturdays and Sundays, every car a walk-in (it has no
 * history to have booked them in).
 */
export function demoSimulatedDay(workshop: WorkshopConfig, date: string, rota: readonly string[]): PitwallEvent[] {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return simulateDay({
    config: workshop,
    date,
    // The seed is the date: the same date is the same day, whenever it is played.
    seed: Number(date.replaceAll('-', '')),
    arrivalFactor: weekday === 0 || weekday === 6 ? WEEKEND_ARRIVAL_FACTOR : 1,
    technicianIds: rota,
  });
}

/**
 * The demo's history (`npm run demo`): each of the `days` days before `date` as demo-calendar.ts
 * simulates it (the weekday's rota every day, weekends as bad as the case's, bookings rising
 * over the weeks), one array per day, oldest first. Pure.
 */
export function demoHistory(workshop: WorkshopConfig, date: string, rota: readonly string[], days = DEMO_HISTORY_DAYS): PitwallEvent[][] {
  return demoCalendar(workshop, date, rota, days).history;
}
