import type { AppointmentView } from '../../../../shared/appointments.js';
import type { EventOf, PitwallEvent } from '../../../../shared/events.js';
import { MINUTE_MS, startOfLocalDate } from '../../../../shared/time.js';

/**
 * The desk's readings of the appointments (issue 15): today's list from the hub with the taps
 * still in the outbox laid over it (a booking shows at once, a cancelled or checked-in one
 * leaves the expected list at once), and the slot typed as a day and a wall-clock time.
 */

/** An appointment on the desk: the hub's view, or a booking still on its way (`pending`). */
export type DeskAppointment = AppointmentView & { pending: boolean };

export function withPending(list: readonly AppointmentView[], pending: readonly PitwallEvent[], day: { from: number; to: number }): DeskAppointment[] {
  const out = new Map<string, DeskAppointment>(list.map((a) => [a.id, { ...a, pending: false }]));
  for (const e of pending) {
    if (e.type === 'appointment.booked' && !out.has(e.appointmentId)) {
      const slot = Date.parse(e.slotAt);
      if (slot < day.from || slot >= day.to) continue;
      out.set(e.appointmentId, {
        id: e.appointmentId, plate: e.plate, service: e.service, standardMinutes: e.standardMinutes, slotAt: e.slotAt, advisorId: e.advisorId,
        customerWaiting: e.customerWaiting ?? false, bookedAt: e.at, status: 'booked', jobId: null, checkedInAt: null, cancelledAt: null, pending: true,
      });
    }
    const target = e.type === 'appointment.cancelled' || (e.type === 'job.checked_in' && e.appointmentId !== undefined) ? out.get(e.appointmentId!) : undefined;
    if (!target || (target.status !== 'booked' && target.status !== 'no_show')) continue;
    out.set(target.id, e.type === 'appointment.cancelled' ? { ...target, status: 'cancelled', cancelledAt: e.at, pending: true } : { ...target, status: 'checked_in', jobId: (e as EventOf<'job.checked_in'>).jobId, checkedInAt: e.at, pending: true });
  }
  return [...out.values()].sort((a, b) => a.slotAt.localeCompare(b.slotAt) || a.id.localeCompare(b.id));
}

/** Still expected: booked, or a no-show who may yet come (the list marks them). */
export const expected = (list: readonly DeskAppointment[]) => list.filter((a) => a.status === 'booked' || a.status === 'no_show');

/** The check-in that a tap on a booked car sends: the booking's own fields, and its id. */
export function checkInFor(a: AppointmentView, jobId: string): Omit<EventOf<'job.checked_in'>, 'id' | 'at' | 'type'> {
  return { jobId, plate: a.plate, service: a.service, standardMinutes: a.standardMinutes, customerWaiting: a.customerWaiting, advisorId: a.advisorId, appointmentId: a.id };
}

/** "2026-11-28" and "09:30" on the workshop's clock → ISO; null when either is missing or malformed. */
export function slotIso(date: string, hhmm: string, timeZone: string): string | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  return new Date(startOfLocalDate(date, timeZone) + (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS).toISOString();
}
