import type { EventOf } from '../../shared/events.js';

/**
 * How a simulated car came to the shop: a walk-in, or booked ahead. A booked car's booking is
 * sent a day or more before it comes, its check-in names the appointment (bookings.ts), and
 * its customer also rates the appointment touchpoint.
 */
export type ArrivalKind = 'walk-in' | 'booked';

/** What is known of a car when it arrives, for deciding how it came. */
export interface Arrival {
  /** Local minute of the day. */
  minute: number;
  service: EventOf<'job.checked_in'>['service'];
  standardMinutes: number;
  customerWaiting: boolean;
  /** Local date, YYYY-MM-DD. */
  date: string;
}

/** Decides, per arrival, walk-in or booked (simulate-day.ts `arrivalKind`). */
export type ArrivalKindOf = (arrival: Arrival) => ArrivalKind;

/** Every car walks in: the shop of the case before it promoted weekday appointments. */
export const allWalkIns: ArrivalKindOf = () => 'walk-in';
