import { MINUTE_MS } from '../../shared/time.js';
import type { EventOf } from '../../shared/events.js';
import type { SimDay } from './sim-day.js';

/**
 * The bookings behind a simulated day's booked cars (arrival.ts `ArrivalKind`): each booked car
 * was booked a day or more before, at the desk's hours, for the half-hour slot nearest the minute
 * it arrives (so it arrives within a quarter of an hour of its slot), and its check-in names the
 * appointment. Beside them a few bookings that bring no car: some cancelled before their slot,
 * some no-shows. Draws only from the day's own `bookings` stream, so booking changes neither
 * the cars that come nor what the floor does with them.
 */

/** Of the booked cars, per booked car: the chance of another booking cancelled, and of one that never shows. */
export const CANCELLED_PER_BOOKING = 0.06;
export const NO_SHOW_PER_BOOKING = 0.05;
/** Days ahead a customer books, with weights: most within the week, some up to two weeks ahead. */
const LEAD_DAYS: readonly (readonly [number, number])[] = [[1, 4], [2, 4], [3, 3], [4, 3], [5, 2], [6, 2], [7, 3], [8, 1], [9, 1], [10, 2], [11, 1], [12, 1], [13, 1], [14, 2]];
/** The desk takes bookings 09:00–17:30 local. */
const DESK_FROM = 9 * 60;
const DESK_TO = 17 * 60 + 30;

type Service = EventOf<'job.checked_in'>['service'];

export interface BookedCar {
  /** Local minute the car arrives. */
  minute: number;
  plate: string;
  service: Service;
  standardMinutes: number;
  customerWaiting: boolean;
  advisorId: string;
  jobId: string;
}

/** The half-hour slot nearest a minute of the day. */
export const slotOf = (minute: number) => Math.round(minute / 30) * 30;

/**
 * Books the car ahead of its arrival and returns its appointment id (for the check-in); adds the
 * day's cancelled and no-show bookings that ride on it. Bookings are dated no earlier than the
 * day's `bookedFrom` (the first day of a simulated history books the same morning).
 */
export function bookAhead(day: SimDay, car: BookedCar): string {
  const appointmentId = `apt-${car.jobId}`;
  const slot = slotOf(car.minute);
  book(day, appointmentId, { ...car, slot });
  const { bookings } = day;
  if (bookings.chance(CANCELLED_PER_BOOKING)) {
    const id = `${appointmentId}-c`;
    const bookedAt = book(day, id, { ...car, plate: otherPlate(car.plate, 'C'), slot });
    // Cancelled somewhere between the booking and the slot, at least a minute after the booking.
    const cancelAt = Math.max(bookedAt + 1, Math.round(bookedAt + (slot - bookedAt) * bookings.between(0.2, 0.9)));
    day.emit('appointment.cancelled', Math.min(cancelAt, slot - 1), { appointmentId: id });
  }
  if (bookings.chance(NO_SHOW_PER_BOOKING)) book(day, `${appointmentId}-n`, { ...car, plate: otherPlate(car.plate, 'N'), slot });
  return appointmentId;
}

/** Emits the booking at its drawn time; returns that time as a minute of the day (negative: days before). */
function book(day: SimDay, appointmentId: string, b: BookedCar & { slot: number }): number {
  const { bookings } = day;
  const lead = bookings.weighted(LEAD_DAYS);
  let minute = -lead * 24 * 60 + bookings.int(DESK_FROM, DESK_TO);
  const floor = Math.ceil((day.bookedFrom - day.at(0)) / MINUTE_MS);
  // Never after the slot (the engine allows a slot up to an hour behind its booking; the desk books ahead).
  minute = Math.min(Math.max(minute, floor), b.slot - 1);
  day.emit('appointment.booked', minute, {
    appointmentId,
    plate: b.plate,
    service: b.service,
    standardMinutes: b.standardMinutes,
    slotAt: new Date(day.at(b.slot)).toISOString(),
    advisorId: b.advisorId,
    customerWaiting: b.customerWaiting,
  });
  return minute;
}

/** A plate for a booking that brings no car: the booked car's with another last letter, so it is plainly made up. */
const otherPlate = (plate: string, mark: string) => `${plate.slice(0, -1)}${mark}`;
