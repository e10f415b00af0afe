import type { EventOf, PitwallEvent } from '../../shared/events.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { ArrivalKindOf } from './arrival.js';
import type { Random } from './random.js';

/**
 * The state of one simulated day (simulate-day.ts) that its steps share, minute by minute:
 * the customers' side (customers.ts: arrivals, the queue, deliveries) and the floor's
 * (floor.ts: shifts, work, who takes which car).
 */

export interface Car {
  jobId: string;
  /** Actual work ÷ standard, and whether it stops once for parts or approval: the car's own, drawn when it arrives. */
  factor: number;
  pausesOnce: boolean;
  highVoltage: boolean;
  /** A damaged high-voltage battery: an isolation bay and a level-3 technician only. */
  damagedBattery: boolean;
  /** Booked ahead (arrival.ts `ArrivalKind`) or a walk-in: a booked customer also rates the appointment. */
  booked: boolean;
  standard: number;
  waiting: boolean;
  checkedInAt: number;
  promisedAt: number | null;
  /** Cars already queued when it arrived: a crowded reception is what the customer meets first. */
  queuedAhead: number;
}

export interface Work {
  car: Car;
  bayId: string;
  /** Minutes of work still to do. */
  remaining: number;
  pauseAtRemaining: number | null;
  pausedUntil: number | null;
}

export interface Tech {
  id: string;
  team: string | undefined;
  hv: boolean;
  /** May work on a damaged battery (level 3). */
  damagedOk: boolean;
  state: 'off' | 'on' | 'break' | 'gone';
  clockIn: number;
  breakAt: number;
  breakLen: number;
  clockOut: number;
  work: Work | null;
}

/** Adds one event at a local minute of the day (id and time filled in). */
export type Emit = <T extends PitwallEvent['type']>(type: T, minute: number, fields: Omit<EventOf<T>, 'id' | 'type' | 'at'>) => void;

export interface SimDay {
  config: WorkshopConfig;
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** The floor's randomness (shifts, work, pauses, surveys). */
  rnd: Random;
  /** The cars' own stream (when, what, who waits): the same seed brings the same cars whatever the staff does. */
  arrivals: Random;
  /** The surveys' own stream: what customers answer never shifts what the floor draws. */
  surveys: Random;
  /** The bookings' own stream (bookings.ts: when booked, cancellations, no-shows): booking shifts nothing else. */
  bookings: Random;
  /** Epoch ms before which no booking is dated (the first day of a simulated history); -Infinity: none. */
  bookedFrom: number;
  /** Walk-in or booked, per arrival (arrival.ts); walk-in unless the options say otherwise. */
  arrivalKind: ArrivalKindOf;
  arrivalFactor: number;
  /** Epoch ms of a local minute of the day. */
  at: (minute: number) => number;
  emit: Emit;
  techs: Tech[];
  /** Cars waiting for a technician and a bay, in the order the floor takes them. */
  queue: Car[];
  /** Minutes a waiting customer's car may wait before it is late (the average-wait green threshold). */
  waiterSlack: number;
  bayFree: Map<string, boolean>;
  /** Some bay can take a high-voltage job and some technician on shift may do it. */
  hvPossible: boolean;
  /** An isolation bay exists and a level-3 technician is on shift: a damaged battery can be taken in. */
  damagedPossible: boolean;
  /** Job ids delivered so far (a comeback refers to one). */
  delivered: string[];
  /** Cars completed and waiting to be collected, with when they were ready. */
  deliveries: { minute: number; car: Car; readyAt: number }[];
  jobNo: number;
}
