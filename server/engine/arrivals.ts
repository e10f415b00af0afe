import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS } from '../../shared/time.js';
import { cachedOffsetMs } from './local-hours.js';

/**
 * The check-ins of the last weeks, as the staffing plan reads them (staffing-plan.ts): when,
 * the standard minutes the event said, and whether the customer waits. Kept by the projection
 * as events are applied, so the plan never reads the log: its cost is five weeks of
 * check-ins however long the shop has run Pitwall.
 */
export interface Arrival {
  readonly at: number;
  readonly standardMinutes: number;
  readonly customerWaiting: boolean;
  /** Issue 15: it named an appointment (a walk-in otherwise: the staffing plan's and capacity view's walk-in rate). */
  readonly booked: boolean;
  readonly service: string;
  /** Its local weekday and hour (`slotOf`), worked out once: a request counts five weeks of them. */
  readonly slot: string;
}

/**
 * A moment's local weekday and hour, "6@10" for a Saturday 10:00–10:59: the arrival pattern's
 * cell. From the wall-clock time (the zone's offset is cached per quarter hour, local-hours.ts):
 * Intl's formatting per check-in was the dear part of applying one.
 */
export function slotOf(ms: number, timeZone: string): string {
  const wall = new Date(ms + cachedOffsetMs(ms, timeZone));
  return `${wall.getUTCDay()}@${wall.getUTCHours()}`;
}

/** The plan looks back four weeks from the start of today; a fifth covers the week's turn. */
export const ARRIVALS_RETENTION_MS = 35 * DAY_MS;

export class ArrivalLog {
  /** In the order they were applied (log order), which is nearly time order. */
  private list: Arrival[] = [];
  /** The earliest `at` of any event applied, ever: how much history the shop has (null: none). */
  firstAt: number | null = null;

  constructor(
    private readonly timeZone: string,
    data?: ArrivalData,
  ) {
    if (data) {
      this.list = data.list.map(([at, standardMinutes, waiting, slot, booked, service]) => ({ at, standardMinutes, customerWaiting: waiting === 1, slot, booked: booked === 1, service }));
      this.firstAt = data.firstAt;
    }
  }

  /** Every applied event passes here (for `firstAt`); check-ins are kept. */
  observe(at: number, e: PitwallEvent): void {
    if (this.firstAt === null || at < this.firstAt) this.firstAt = at;
    if (e.type !== 'job.checked_in') return;
    this.list.push({ at, standardMinutes: e.standardMinutes, customerWaiting: e.customerWaiting, slot: slotOf(at, this.timeZone), booked: e.appointmentId !== undefined, service: e.service });
  }

  /** The check-ins with `from <= at < to`. */
  between(from: number, to: number): Arrival[] {
    return this.list.filter((a) => a.at >= from && a.at < to);
  }

  forgetBefore(horizon: number): void {
    if (this.list.some((a) => a.at < horizon)) this.list = this.list.filter((a) => a.at >= horizon);
  }

  toData(): ArrivalData {
    return { list: this.list.map((a) => [a.at, a.standardMinutes, a.customerWaiting ? 1 : 0, a.slot, a.booked ? 1 : 0, a.service]), firstAt: this.firstAt };
  }
}

/** What a checkpoint keeps of it (checkpoint.ts). */
export interface ArrivalData {
  list: [number, number, 0 | 1, string, 0 | 1, string][];
  firstAt: number | null;
}
