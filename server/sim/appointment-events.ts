import type { EventOf } from '../../shared/events.js';
import { toIso } from '../../shared/time.js';

/**
 * Builders of the appointment events (issue 15), for the simulator and tests: a booking, its
 * cancellation, and the check-in that names it. Ids are derived from the appointment's, so a
 * scripted week stays readable and replays the same (ids of up to 54 characters keep the event ids within 64).
 */

export interface Booking {
  appointmentId: string;
  plate: string;
  service: EventOf<'appointment.booked'>['service'];
  standardMinutes: number;
  slotAt: number;
  advisorId: string;
  customerWaiting?: boolean;
}

export function bookingEvent(b: Booking, at: number): EventOf<'appointment.booked'> {
  const e: EventOf<'appointment.booked'> = {
    id: `booking-${b.appointmentId}`,
    type: 'appointment.booked',
    at: toIso(at),
    appointmentId: b.appointmentId,
    plate: b.plate,
    service: b.service,
    standardMinutes: b.standardMinutes,
    slotAt: toIso(b.slotAt),
    advisorId: b.advisorId,
  };
  if (b.customerWaiting !== undefined) e.customerWaiting = b.customerWaiting;
  return e;
}

export function cancellationEvent(appointmentId: string, at: number): EventOf<'appointment.cancelled'> {
  return { id: `cancelled-${appointmentId}`, type: 'appointment.cancelled', at: toIso(at), appointmentId };
}

/** The booked car arriving: a check-in naming the appointment, with the booking's service, standard time and advisor. */
export function appointmentCheckIn(b: Booking, jobId: string, at: number): EventOf<'job.checked_in'> {
  return {
    id: `checkin-${jobId}`,
    type: 'job.checked_in',
    at: toIso(at),
    jobId,
    plate: b.plate,
    service: b.service,
    standardMinutes: b.standardMinutes,
    customerWaiting: b.customerWaiting ?? false,
    advisorId: b.advisorId,
    appointmentId: b.appointmentId,
  };
}
