import type { EventOf, PitwallEvent } from '../../shared/events.js';
import { MINUTE_MS, startOfLocalDate } from '../../shared/time.js';
import { DAMAGED_BATTERY_LEVEL, HV_JOB_LEVEL, hvLevelOf, type WorkshopConfig } from '../../shared/workshop.js';
import { resolveThresholds } from '../../shared/lights.js';
import { allWalkIns, type ArrivalKindOf } from './arrival.js';
import { arrive, deliver } from './customers.js';
import { changeShifts, roster, sendHome, takeCars, work, type Reinforcement } from './floor.js';
import { Random } from './random.js';
import type { Emit, SimDay } from './sim-day.js';

/**
 * A realistic day at a service centre, as the events its terminals would send: technicians
 * clock in, take staggered lunch breaks and clock out; cars arrive through the day (morning
 * peak, lunch dip), each waits for a free technician and bay, is worked on (sometimes paused
 * for parts or the customer's approval), completed, delivered and sometimes surveyed (score,
 * NPS, effort and touchpoints, worse after a long wait: survey.ts); a few come back, and now
 * and then an EV brings a damaged battery for the isolation bay and a level-3 technician. Pure and seeded: the same options always give the same day. The customers' side
 * is in customers.ts, the floor's in floor.ts; this file runs the day minute by minute.
 *
 * The weekend-peak story of the brief is `arrivalFactor: 2.1` with the weekday staff: the
 * queue builds up and the average wait turns red by late morning.
 */
export interface SimulateDayOptions {
  config: WorkshopConfig;
  /** Local date, YYYY-MM-DD, in the workshop's time zone. */
  date: string;
  seed: number;
  /** Arrivals relative to a weekday (the seed's weekend was 2.1×). */
  arrivalFactor?: number;
  /** Technicians who work that day; default all. */
  technicianIds?: readonly string[];
  /**
   * Technicians the lead calls in during the day (the weekend-peak story): each clocks in at
   * the given local minute, takes no break and stays until 18:00. Until they come the day is
   * exactly the day without them (they draw nothing from the seeded randomness before).
   */
  reinforcements?: readonly Reinforcement[];
  /**
   * Walk-in or booked, per arrival (arrival.ts); default every car walks in. A booked car's
   * booking is among the day's events, dated a day or more before (bookings.ts).
   */
  arrivalKind?: ArrivalKindOf;
  /** Epoch ms before which no booking is dated (default none): a history's first day books the same morning. */
  bookedFrom?: number;
}

export function simulateDay(opts: SimulateDayOptions): PitwallEvent[] {
  const { config } = opts;
  const rnd = new Random(opts.seed);
  const dayStart = startOfLocalDate(opts.date, config.timezone);
  const at = (minute: number) => dayStart + minute * MINUTE_MS;
  const idPrefix = `sim-${config.id}-${opts.date}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 48);

  const out: PitwallEvent[] = [];
  let n = 0;
  const emit: Emit = <T extends PitwallEvent['type']>(type: T, minute: number, fields: Omit<EventOf<T>, 'id' | 'type' | 'at'>) => {
    n++;
    out.push({ id: `${idPrefix}-${n}`, type, at: new Date(at(minute)).toISOString(), ...fields } as EventOf<T>);
  };

  const working = new Set(opts.technicianIds ?? config.technicians.map((t) => t.id));
  const day: SimDay = {
    config,
    date: opts.date,
    rnd,
    techs: roster(config, working, opts.reinforcements ?? [], rnd),
    // The cars that come (when, what, who waits) draw from their own stream: the same seed brings
    // the same cars whatever the staff does with them, so two staffings of one day compare.
    arrivals: new Random(opts.seed * 7919 + 17),
    surveys: new Random(opts.seed * 104_729 + 31),
    bookings: new Random(opts.seed * 15_485_863 + 47),
    bookedFrom: opts.bookedFrom ?? -Infinity,
    arrivalKind: opts.arrivalKind ?? allWalkIns,
    arrivalFactor: opts.arrivalFactor ?? 1,
    at,
    emit,
    queue: [],
    waiterSlack: resolveThresholds(config.thresholds).averageWait.green,
    bayFree: new Map(config.bays.map((b) => [b.id, true])),
    hvPossible: config.bays.some((b) => b.highVoltage && !b.isolation) && config.technicians.some((t) => hvLevelOf(t) >= HV_JOB_LEVEL && working.has(t.id)),
    damagedPossible: config.bays.some((b) => b.isolation) && config.technicians.some((t) => hvLevelOf(t) >= DAMAGED_BATTERY_LEVEL && working.has(t.id)),
    delivered: [],
    deliveries: [],
    jobNo: 0,
  };

  // The day runs to 21:00, and on while someone still has a car on the bay (never past 23:58).
  const LAST = 24 * 60 - 2;
  for (let m = 7 * 60 + 30; m <= 21 * 60 || (m <= LAST && day.techs.some((t) => t.work || t.state === 'on' || t.state === 'break')); m++) {
    changeShifts(day, m);
    arrive(day, m);
    work(day, m);
    takeCars(day, m);
    deliver(day, m);
  }
  // Cars nobody started today are sent home rebooked: the next day starts with its own queue.
  for (const car of day.queue) emit('job.cancelled', LAST + 1, { jobId: car.jobId, reason: 'not started before closing; rebooked' });
  sendHome(day, LAST + 1);
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
