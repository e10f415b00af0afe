import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, localDate, localParts, startOfLocalDay } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { DemoSettings } from '../config/env.js';
import { demoCalendar } from './demo-calendar.js';
import { DEMO_HISTORY_DAYS } from './demo-history.js';

/**
 * Who works in the demo, weekday or weekend alike (the story's "staffing was not adjusted"):
 * every other technician of the config (the second, fourth, …), enough for a weekday; the rest
 * are off, the people a lead would call in when the weekend light turns red. In the demo
 * workshop that rota holds its level-3 technician (T8), so a damaged battery can be taken in.
 */
export function demoRota(workshop: WorkshopConfig): string[] {
  return workshop.technicians.filter((_, i) => i % 2 === 1).map((t) => t.id);
}

export interface DemoDay {
  date: string;
  /** The day's events, its desk's bookings among them. */
  events: PitwallEvent[];
  /** The DEMO_HISTORY_DAYS days before it (demo-calendar.ts), for demo-preload.ts. */
  history: PitwallEvent[][];
  /** Where the accelerated clock starts. */
  startMs: number;
}

/**
 * The day the demo plays: the latest Saturday (weekend) or Wednesday (weekday) up to today in
 * the workshop's time zone, so the board shows dates that make sense, simulated from a seed
 * taken from the date (the same date, the same day), with the weeks before it and the bookings
 * already made for the days after (demo-calendar.ts).
 */
export function demoDay(settings: DemoSettings, workshop: WorkshopConfig, now: number): DemoDay {
  const tz = workshop.timezone;
  const wanted = settings.day === 'weekend' ? 6 : 3;
  let dayStart = startOfLocalDay(now, tz);
  for (let i = 0; i < 7; i++) {
    const noon = dayStart + 12 * HOUR_MS;
    const p = localParts(noon, tz);
    if (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() === wanted) break;
    dayStart = startOfLocalDay(dayStart - 12 * HOUR_MS, tz);
  }
  const date = localDate(dayStart + 12 * HOUR_MS, tz);
  const [h, m] = settings.start.split(':').map(Number) as [number, number];
  const { day: events, history } = demoCalendar(workshop, date, demoRota(workshop), DEMO_HISTORY_DAYS);
  return { date, events, history, startMs: Math.min(dayStart + h * HOUR_MS + m * MINUTE_MS, dayStart + DAY_MS - MINUTE_MS) };
}
