import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { ArrivalKindOf } from './arrival.js';
import { simulateDay } from './simulate-day.js';

/** The seed's weekend: 2.1 times the weekday arrivals, with the weekday staff. */
export const WEEKEND_ARRIVAL_FACTOR = 2.1;

/**
 * The days before the demo's Saturday: 8 weeks, so the staffing plan's 4 weeks of arrivals, the
 * reports' weekday / weekend cut and a month-on-month comparison all have data from the start.
 */
export const DEMO_HISTORY_DAYS = 56;

/**
 * A date's day as the demo simulates it: the weekday's rota every day, a weekend's 2.1× cars on
 * Saturdays and Sundays; every car a walk-in unless `arrivalKind` books some (arrival.ts).
 */
export function demoSimulatedDay(workshop: WorkshopConfig, date: string, rota: readonly string[], arrivalKind?: ArrivalKindOf): PitwallEvent[] {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
  return simulateDay({
    config: workshop,
    date,
    // The seed is the date: the same date is the same day, in the history and when it is played live.
    seed: Number(date.replaceAll('-', '')),
    arrivalFactor: weekday === 0 || weekday === 6 ? WEEKEND_ARRIVAL_FACTOR : 1,
    technicianIds: rota,
    ...(arrivalKind && { arrivalKind }),
  });
}

/** The `days` local dates before `date` (YYYY-MM-DD), oldest first. */
export function datesBefore(date: string, days: number): string[] {
  const noon = Date.parse(`${date}T12:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(noon - (days - i) * DAY_MS).toISOString().slice(0, 10));
}

/**
 * The demo's history: each of the `days` days before `date` simulated (the weekday's rota every
 * day: weekends before the fix, as the case tells them), one array per day, oldest first. Pure.
 */
export function demoHistory(workshop: WorkshopConfig, date: string, rota: readonly string[], days = DEMO_HISTORY_DAYS, arrivalKind?: ArrivalKindOf): PitwallEvent[][] {
  return datesBefore(date, days).map((d) => demoSimulatedDay(workshop, d, rota, arrivalKind));
}
