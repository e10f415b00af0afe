import {
  DEFAULT_NO_SHOW_AFTER_MINUTES,
  MAX_BOOKING_AHEAD_DAYS,
  MAX_BOOKING_BEHIND_MINUTES,
  MAX_OPEN_APPOINTMENTS,
  type AppointmentStatus,
} from '../../shared/appointments.js';
import { MIN_STANDARD_MINUTES, type EventOf } from '../../shared/events.js';
import { DAY_MS, MINUTE_MS } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { reject, type Rejection } from './rejection.js';
import { mutate, type AppointmentRecord, type Journal, type WorkshopState } from './state.js';

/**
 * Appointments in the engine (issue 15, docs/api.md "Appointments"): booking, cancelling, and
 * the check-in that names one. Judged by the event's own `at`, so a replay judges exactly as
 * the live ingest did.
 */

/** The workshop's no-show time in ms (config `appointments.noShowAfterMinutes`, default 30 min). */
export function noShowAfterMs(ctx: WorkshopContext): number {
  return (ctx.config.appointments?.noShowAfterMinutes ?? DEFAULT_NO_SHOW_AFTER_MINUTES) * MINUTE_MS;
}

/** What the desk and reports call it at `now`: a booked one past its slot by the no-show time is a no-show. */
export function appointmentStatus(a: AppointmentRecord, now: number, noShowMs: number): AppointmentStatus {
  if (a.state !== 'booked') return a.state;
  return now > a.slotAt + noShowMs ? 'no_show' : 'booked';
}

/** Still expected at `at`: booked, and not yet a no-show. What the open-appointment cap counts. */
export function isExpected(a: AppointmentRecord, at: number, noShowMs: number): boolean {
  return appointmentStatus(a, at, noShowMs) === 'booked';
}

export function book(s: WorkshopState, ctx: WorkshopContext, e: EventOf<'appointment.booked'>, at: number, j: Journal | null): Rejection | null {
  if (s.appointments.has(e.appointmentId)) return reject('conflict', 'appointmentId', `appointment ${e.appointmentId} already exists; use a new appointmentId`);
  if (!ctx.advisorIds.has(e.advisorId)) return reject('unknown_reference', 'advisorId', `unknown advisor ${e.advisorId}`);
  const slotAt = Date.parse(e.slotAt);
  if (slotAt > at + MAX_BOOKING_AHEAD_DAYS * DAY_MS) {
    return reject('invalid_event', 'slotAt', `must be at most ${MAX_BOOKING_AHEAD_DAYS} days after the booking (${e.at})`);
  }
  if (slotAt < at - MAX_BOOKING_BEHIND_MINUTES * MINUTE_MS) {
    return reject('invalid_event', 'slotAt', `is in the past: a slot may lie at most ${MAX_BOOKING_BEHIND_MINUTES} minutes before the booking (${e.at})`);
  }
  const grace = noShowAfterMs(ctx);
  let open = 0;
  for (const a of s.bookedAppointments.values()) if (isExpected(a, at, grace)) open++;
  if (open >= MAX_OPEN_APPOINTMENTS) {
    return reject('conflict', 'appointmentId', `the workshop already holds ${MAX_OPEN_APPOINTMENTS} open appointments, the most it keeps; cancel or check in some first`);
  }
  mutate.appointment(s, {
    id: e.appointmentId,
    plate: e.plate,
    service: e.service,
    standardMinutes: Math.max(MIN_STANDARD_MINUTES, e.standardMinutes),
    slotAt,
    advisorId: e.advisorId,
    customerWaiting: e.customerWaiting ?? false,
    bookedAt: at,
    state: 'booked',
    jobId: null,
    checkedInAt: null,
    cancelledAt: null,
  }, j);
  return null;
}

export function cancelAppointment(s: WorkshopState, e: EventOf<'appointment.cancelled'>, at: number, j: Journal | null): Rejection | null {
  const a = s.appointments.get(e.appointmentId);
  const why = a === undefined ? unknownAppointment(e.appointmentId) : notBooked(a);
  if (why) return why;
  mutate.appointment(s, { ...a!, state: 'cancelled', cancelledAt: at }, j);
  return null;
}

/** Why a check-in may not name this appointment (null: it may). Asked before the job is created. */
export function appointmentCheckInRefusal(s: WorkshopState, appointmentId: string): Rejection | null {
  const a = s.appointments.get(appointmentId);
  return a === undefined ? unknownAppointment(appointmentId) : notBooked(a);
}

/** Marks the appointment checked in by `jobId` (its refusal asked first). */
export function checkInAppointment(s: WorkshopState, appointmentId: string, jobId: string, at: number, j: Journal | null): void {
  const a = s.appointments.get(appointmentId)!;
  mutate.appointment(s, { ...a, state: 'checked_in', jobId, checkedInAt: at }, j);
}

function notBooked(a: AppointmentRecord): Rejection | null {
  if (a.state === 'cancelled') return reject('illegal_transition', 'appointmentId', `appointment ${a.id} (${a.plate}) was cancelled`);
  if (a.state === 'checked_in') return reject('conflict', 'appointmentId', `appointment ${a.id} (${a.plate}) was already checked in as job ${a.jobId}`);
  return null;
}

const unknownAppointment = (id: string) => reject('unknown_reference', 'appointmentId', `unknown appointment ${id}`);
