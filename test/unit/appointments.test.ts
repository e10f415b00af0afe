import { describe, expect, it } from 'vitest';
import { appointmentViews } from '../../server/engine/appointments.js';
import { Projection, type Parsed } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { staffingPlan } from '../../server/engine/staffing-plan.js';
import { appointmentCheckIn, bookingEvent, cancellationEvent, type Booking } from '../../server/sim/appointment-events.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import { MAX_OPEN_APPOINTMENTS } from '../../shared/appointments.js';
import { incomingEvent, type PitwallEvent } from '../../shared/events.js';
import { DAY_MS, MINUTE_MS } from '../../shared/time.js';
import { workshopConfig } from '../../shared/workshop.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * Appointments in the engine (issue 15): what a booking, a cancellation and a check-in that
 * names one are refused for (the field named), when a booking becomes a no-show, and what the
 * bookings do to the forecasts.
 */

const at = (hhmm: string) => Date.parse(L(hhmm));
const booking = (id: string, slot: string, more: Partial<Booking> = {}): Booking => ({
  appointmentId: id, plate: `沪A${id}`, service: 'maintenance', standardMinutes: 60, slotAt: at(slot), advisorId: 'A1', ...more,
});

function judged(p: Projection, events: PitwallEvent[], now: number) {
  const batch: Parsed[] = events.map((event) => ({ ok: true, event }));
  const trial = p.begin(batch, now);
  trial.commit();
  return trial.verdicts.map((v) => (v.status === 'rejected' ? v.result.error!.details![0] : v.status));
}

describe('appointments in the engine', () => {
  it('books, cancels and checks in, refusing what cannot be with the field and why', () => {
    const p = new Projection(SHANGHAI);
    const now = at('08:00');
    const far = { ...booking('AP9', '08:00'), slotAt: now + 61 * DAY_MS };
    const verdicts = judged(p, [
      bookingEvent(booking('AP1', '10:00'), now),
      bookingEvent(booking('AP2', '11:00', { customerWaiting: true }), now),
      { ...bookingEvent(booking('AP1', '12:00'), now + 1), id: 'booking-AP1-again' },
      { ...bookingEvent(booking('AP3', '12:00'), now), advisorId: 'nobody' },
      { ...bookingEvent(far, now), id: 'booking-far-ahead' },
      { ...bookingEvent(booking('AP4', '06:00'), now), id: 'booking-in-the-past' },
      cancellationEvent('AP2', now),
      { ...cancellationEvent('AP2', now + 1), id: 'cancelled-AP2-again' },
      { ...cancellationEvent('nope', now) },
      appointmentCheckIn(booking('AP1', '10:00'), 'J1', now),
      { ...appointmentCheckIn(booking('AP1', '10:00'), 'J2', now), id: 'checkin-again' },
      appointmentCheckIn(booking('AP2', '11:00'), 'J3', now),
      appointmentCheckIn(booking('AP7', '11:00'), 'J4', now),
    ], now);
    expect(verdicts).toEqual([
      'accepted',
      'accepted',
      { path: 'appointmentId', message: 'appointment AP1 already exists; use a new appointmentId' },
      { path: 'advisorId', message: 'unknown advisor nobody' },
      { path: 'slotAt', message: 'must be at most 60 days after the booking (2026-11-21T00:00:00.000Z)' },
      { path: 'slotAt', message: 'is in the past: a slot may lie at most 60 minutes before the booking (2026-11-21T00:00:00.000Z)' },
      'accepted',
      { path: 'appointmentId', message: 'appointment AP2 (沪AAP2) was cancelled' },
      { path: 'appointmentId', message: 'unknown appointment nope' },
      'accepted',
      { path: 'appointmentId', message: 'appointment AP1 (沪AAP1) was already checked in as job J1' },
      { path: 'appointmentId', message: 'appointment AP2 (沪AAP2) was cancelled' },
      { path: 'appointmentId', message: 'unknown appointment AP7' },
    ]);
    // A refused check-in leaves no job behind.
    expect(p.state.jobs.has('J2') || p.state.jobs.has('J3')).toBe(false);
    const list = appointmentViews(p.state, p.ctx, at('00:00'), at('23:59'), now);
    expect(list.map((a) => [a.id, a.status, a.jobId])).toEqual([['AP1', 'checked_in', 'J1'], ['AP2', 'cancelled', null]]);
  });

  it('calls a booking a no-show once its slot passed by the no-show time (config, default 30 min)', () => {
    for (const [config, noShowFrom] of [[SHANGHAI, '10:30'], [workshopConfig.parse({ ...SHANGHAI, appointments: { noShowAfterMinutes: 90 } }), '11:30']] as const) {
      const p = new Projection(config);
      p.apply([bookingEvent(booking('AP1', '10:00'), at('08:00'))]);
      const status = (now: number) => appointmentViews(p.state, p.ctx, at('00:00'), at('23:59'), now)[0]!.status;
      expect(status(at(noShowFrom))).toBe('booked');
      expect(status(at(noShowFrom) + 1)).toBe('no_show');
      // A late customer is still checked in against the booking.
      expect(p.judge([{ ok: true, event: appointmentCheckIn(booking('AP1', '10:00'), 'J1', at('12:00')) }], at('12:00'))[0]!.status).toBe('accepted');
    }
  });

  it(`holds at most ${MAX_OPEN_APPOINTMENTS} open appointments; no-shows and past ones do not count`, () => {
    const p = new Projection(SHANGHAI);
    const now = at('08:00');
    const slots = Array.from({ length: MAX_OPEN_APPOINTMENTS }, (_, i) => bookingEvent({ ...booking(`B${i}`, '09:00'), slotAt: now + (i % 50) * DAY_MS + DAY_MS }, now));
    p.apply(slots);
    const next = bookingEvent(booking('ONE-MORE', '09:00'), now);
    expect(p.judge([{ ok: true, event: next }], now)[0]).toMatchObject({ status: 'rejected', result: { error: { details: [{ path: 'appointmentId', message: expect.stringContaining(`already holds ${MAX_OPEN_APPOINTMENTS} open appointments`) }] } } });
    p.apply([cancellationEvent('B0', now)]);
    expect(p.judge([{ ok: true, event: next }], now)[0]!.status).toBe('accepted');
  });

  it('forgets appointments once the report window is past their slot, and keeps the ones ahead', () => {
    const p = new Projection(SHANGHAI);
    p.apply([bookingEvent(booking('OLD', '10:00'), at('08:00')), bookingEvent({ ...booking('AHEAD', '10:00'), slotAt: at('10:00') + 59 * DAY_MS }, at('08:00'))]);
    p.apply([ev('shift.clock_in', new Date(at('08:00') + 99 * DAY_MS).toISOString(), { technicianId: 'T1' })]);
    p.compact(at('08:00') + 99 * DAY_MS);
    expect([...p.state.appointments.keys()]).toEqual(['AHEAD']);
    expect([...p.state.bookedAppointments.keys()]).toEqual(['AHEAD']);
  });

  it('parses the events as a terminal sends them, refusing hidden characters in the appointment id', () => {
    expect(incomingEvent.safeParse(bookingEvent(booking('AP1', '10:00'), at('08:00'))).success).toBe(true);
    const bad = incomingEvent.safeParse({ ...cancellationEvent('AP1', at('08:00')), appointmentId: 'A\u202eP1' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['appointmentId']);
  });
});

describe('the forecasts count the bookings', () => {
  /** Four past Saturdays of walk-ins (no appointment), then the fifth at 09:00 with T1 and T2 on shift. */
  function saturdays(bookings: Booking[]) {
    const past = ['2026-10-24', '2026-10-31', '2026-11-07', '2026-11-14'].flatMap((date, i) => simulateDay({ config: SHANGHAI, date, seed: 200 + i, arrivalFactor: 1.5 }));
    const p = new Projection(SHANGHAI);
    p.apply([
      ...past,
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
      ev('job.checked_in', L('08:50'), { jobId: 'W1', plate: '沪W1', service: 'repair', standardMinutes: 60, customerWaiting: true }),
      ...bookings.map((b) => bookingEvent(b, at('07:00'))),
    ]);
    return p;
  }
  const now = at('09:00');
  const morning = ['09:10', '09:20', '09:30', '10:05', '10:10', '10:15', '10:20', '10:40'].map((slot, i) => booking(`S${i}`, slot, { standardMinutes: 90 }));

  it('changes the staffing plan: same history, bookings vs none', () => {
    const plain = saturdays([]);
    const none = staffingPlan(plain.arrivals, plain.state, plain.ctx, now, 2);
    const p = saturdays(morning);
    const booked = staffingPlan(p.arrivals, p.state, p.ctx, now, 2);
    expect(none.basis).toBe('arrivals');
    expect(booked.basis).toBe('walk_ins_and_bookings');
    expect(booked.assumptions).toContain('the cars booked for the hour plus the mean rate of walk-ins');
    // 10:00–10:59: five bookings on top of the same walk-in rate (no past check-in named an appointment).
    const [a, b] = [none.hours[0]!, booked.hours[0]!];
    expect(b.walkInArrivals).toBe(a.expectedArrivals);
    expect(b.bookedArrivals).toBe(5);
    expect(b.expectedArrivals).toBeCloseTo(a.expectedArrivals + 5, 5);
    expect(b.techniciansNeeded!).toBeGreaterThan(a.techniciansNeeded!);
    expect(a).toMatchObject({ bookedArrivals: 0, walkInArrivals: a.expectedArrivals });
  });

  it('puts the booked cars of the next hours in the queue: a car behind them is told a later start', () => {
    const without = saturdays([]);
    const withBookings = saturdays(morning);
    const start = (p: Projection) => p.jobs(now).find((j) => j.jobId === 'W1')!.predictedStartAt;
    // Two technicians free at 09:00: W1 starts at once without bookings.
    expect(start(without)).toBe(new Date(now).toISOString());
    // W1 waits on site since 08:50 (latest start 09:35): more urgent than every booking, it still starts at once.
    expect(start(withBookings)).toBe(new Date(now).toISOString());
    expect(workshopForecast(withBookings.state, withBookings.ctx, now).bookedArrivals).toBe(8);
    expect(workshopForecast(without.state, without.ctx, now).bookedArrivals).toBe(0);
    // A car checked in at 09:25 (a drop-off, latest start 13:25) queues behind the booked 90-min jobs due before it.
    const dropOff = ev('job.checked_in', L('09:25'), { jobId: 'D1', plate: '沪D1', service: 'repair', standardMinutes: 30, customerWaiting: false });
    for (const p of [without, withBookings]) p.apply([dropOff]);
    const t = at('09:25');
    const predicted = (p: Projection) => Date.parse(p.jobs(t).find((j) => j.jobId === 'D1')!.predictedStartAt!);
    expect(predicted(withBookings) - predicted(without)).toBeGreaterThanOrEqual(60 * MINUTE_MS);
  });
});
