import { describe, expect, it } from 'vitest';
import type { AppointmentView } from '../../../../shared/appointments.js';
import type { PitwallEvent } from '../../../../shared/events.js';
import { checkInFor, expected, slotIso, withPending } from './desk-appointments.js';

const view = (id: string, slotAt: string, status: AppointmentView['status'] = 'booked'): AppointmentView => ({
  id, plate: `沪A${id}`, service: 'maintenance', standardMinutes: 45, slotAt, advisorId: 'A1', customerWaiting: true,
  bookedAt: '2026-11-20T01:00:00.000Z', status, jobId: null, checkedInAt: null, cancelledAt: null,
});
const day = { from: Date.parse('2026-11-21T00:00:00+08:00'), to: Date.parse('2026-11-22T00:00:00+08:00') };

describe('the desk’s appointments', () => {
  it('lays the outbox over the hub’s list: a new booking at once, a cancelled or checked-in one off the expected list', () => {
    const hub = [view('AP1', '2026-11-21T02:00:00.000Z'), view('AP2', '2026-11-21T01:00:00.000Z', 'no_show'), view('AP3', '2026-11-21T03:00:00.000Z')];
    const pending: PitwallEvent[] = [
      { id: 'booking-AP4', type: 'appointment.booked', at: '2026-11-21T00:30:00.000Z', appointmentId: 'AP4', plate: '沪B4', service: 'repair', standardMinutes: 90, slotAt: '2026-11-21T01:30:00.000Z', advisorId: 'A1' },
      // Tomorrow's booking is not today's arrival.
      { id: 'booking-AP5', type: 'appointment.booked', at: '2026-11-21T00:30:00.000Z', appointmentId: 'AP5', plate: '沪B5', service: 'repair', standardMinutes: 90, slotAt: '2026-11-22T01:30:00.000Z', advisorId: 'A1' },
      { id: 'cancelled-AP3', type: 'appointment.cancelled', at: '2026-11-21T00:40:00.000Z', appointmentId: 'AP3' },
      { id: 'checkin-J1', type: 'job.checked_in', at: '2026-11-21T00:50:00.000Z', ...checkInFor(hub[0]!, 'J1') },
    ];
    const list = withPending(hub, pending, day);
    expect(list.map((a) => [a.id, a.status, a.pending])).toEqual([
      ['AP2', 'no_show', false],
      ['AP4', 'booked', true],
      ['AP1', 'checked_in', true],
      ['AP3', 'cancelled', true],
    ]);
    expect(expected(list).map((a) => a.id)).toEqual(['AP2', 'AP4']);
    expect(list.find((a) => a.id === 'AP1')!.jobId).toBe('J1');
  });

  it('checks a booked car in with the booking’s fields and its id', () => {
    expect(checkInFor(view('AP1', '2026-11-21T02:00:00.000Z'), 'J9')).toEqual({ jobId: 'J9', plate: '沪AAP1', service: 'maintenance', standardMinutes: 45, customerWaiting: true, advisorId: 'A1', appointmentId: 'AP1' });
  });

  it('reads a slot typed as a day and a time on the workshop’s clock', () => {
    expect(slotIso('2026-11-28', '09:30', 'Asia/Shanghai')).toBe('2026-11-28T01:30:00.000Z');
    expect(slotIso('2026-11-28', '', 'Asia/Shanghai')).toBeNull();
    expect(slotIso('', '09:30', 'Asia/Shanghai')).toBeNull();
  });
});
