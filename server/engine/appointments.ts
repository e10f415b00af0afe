import type { AppointmentView } from '../../shared/appointments.js';
import { toIso } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { appointmentStatus, noShowAfterMs } from './evolve-appointments.js';
import type { AppointmentRecord, WorkshopState } from './state.js';

/**
 * Reads of the appointments the state holds (issue 15): the desk's list of a day and the
 * bookings the forecasts count. Pure: `now` decides which are no-shows.
 */

/** Every appointment whose slot is in [from, to), by slot then id, as the desk shows it. */
export function appointmentViews(s: WorkshopState, ctx: WorkshopContext, from: number, to: number, now: number): AppointmentView[] {
  const grace = noShowAfterMs(ctx);
  return [...s.appointments.values()]
    .filter((a) => a.slotAt >= from && a.slotAt < to)
    .sort(bySlot)
    .map((a) => ({
      id: a.id,
      plate: a.plate,
      service: a.service,
      standardMinutes: a.standardMinutes,
      slotAt: toIso(a.slotAt),
      advisorId: a.advisorId,
      customerWaiting: a.customerWaiting,
      bookedAt: toIso(a.bookedAt),
      status: appointmentStatus(a, now, grace),
      jobId: a.jobId,
      checkedInAt: a.checkedInAt === null ? null : toIso(a.checkedInAt),
      cancelledAt: a.cancelledAt === null ? null : toIso(a.cancelledAt),
    }));
}

/**
 * The cars still expected with a slot in [from, to): booked, not checked in, not cancelled,
 * not (yet) a no-show at `now`. A slot already passed but inside the no-show time is expected now.
 */
export function expectedArrivals(s: WorkshopState, ctx: WorkshopContext, from: number, to: number, now: number): AppointmentRecord[] {
  const grace = noShowAfterMs(ctx);
  const out: AppointmentRecord[] = [];
  for (const a of s.bookedAppointments.values()) if (a.slotAt >= from && a.slotAt < to && appointmentStatus(a, now, grace) === 'booked') out.push(a);
  return out.sort(bySlot);
}

const bySlot = (a: AppointmentRecord, b: AppointmentRecord) => a.slotAt - b.slotAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
