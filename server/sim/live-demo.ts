import type { Logger } from 'pino';
import type { PitwallEvent } from '../../shared/events.js';
import { HOUR_MS, localDate, startOfLocalDay } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { demoRota } from './demo-day.js';
import { DemoDriver } from './demo-driver.js';
import { demoSimulatedDay } from './demo-history.js';

/** How often it checks whether the workshop's day has turned. */
const DAY_CHECK_MS = 60_000;

/**
 * The built-in demo workshop, alive in real time: today's simulated day (a weekend's 2.1× cars
 * on Saturdays and Sundays, the weekday rota every day) is played into the hub as the real
 * clock reaches each event, the part of today already past at once. Its event ids come from the
 * date, so a restart re-sends what the store has as duplicates. Half the technicians are not in
 * the rota, so someone trying a terminal page has free people and the board shows their work
 * beside the simulator's.
 */
export class LiveDemo {
  private driver: DemoDriver | null = null;
  private date = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { service: WorkshopService; workshop: WorkshopConfig; clock: () => number; logger: Logger },
  ) {}

  start(): void {
    this.roll();
    this.timer = setInterval(() => this.roll(), DAY_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.driver?.stop();
  }

  /**
   * Starts today's day when the workshop's date has changed (or at start), after what is left
   * of yesterday's (a hub that was down overnight, or the day turning): yesterday closes its
   * bays and shifts at 23:59, so today starts on a clear floor. Already-posted events come back
   * as duplicates.
   */
  roll(): void {
    const { workshop, clock, logger, service } = this.deps;
    const now = clock();
    const date = localDate(now, workshop.timezone);
    if (date === this.date) return;
    this.date = date;
    this.driver?.stop();
    const yesterday = localDate(startOfLocalDay(now, workshop.timezone) - HOUR_MS, workshop.timezone);
    const events = [...this.day(yesterday), ...this.day(date)];
    logger.info({ date, events: events.length }, `demo: workshop ${workshop.id} lives a simulated day in real time (PITWALL_DEMO=off to keep it empty)`);
    this.driver = new DemoDriver({ service, workshopId: workshop.id, events, clock, logger });
    this.driver.start();
  }

  /** The simulated day of a date: a weekend's 2.1× cars on Saturdays and Sundays, the weekday rota. */
  private day(date: string): PitwallEvent[] {
    return demoSimulatedDay(this.deps.workshop, date, demoRota(this.deps.workshop));
  }
}
