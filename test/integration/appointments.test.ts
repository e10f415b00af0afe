import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appointmentCheckIn, bookingEvent, cancellationEvent, type Booking } from '../../server/sim/appointment-events.js';
import { appointmentsResponse, appointmentReport, capacityView } from '../../shared/appointments.js';
import { TOKENS } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';
import { NOW, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Appointments over HTTP (issue 15): a desk books, lists the day, checks a booked car in by its
 * appointment and is told why a second check-in of it is refused; the reads are bounded and
 * refuse a bad range naming the field; the capacity view is the lead's.
 */

const api = (p: string) => `/api/v1/workshops/sh-test${p}`;
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const booking = (id: string, hhmm: string): Booking => ({ appointmentId: id, plate: `沪A${id}`, service: 'maintenance', standardMinutes: 45, slotAt: Date.parse(L(hhmm)), advisorId: 'A1', customerWaiting: true });

describe('appointments over HTTP', () => {
  let t: TestHub;
  beforeEach(async () => {
    t = await startTestHub();
  });
  afterEach(() => t.stop());

  const post = (events: unknown[]) => request(t.hub.app).post(api('/events')).set(bearer(TOKENS.terminal)).send({ events });

  it('books, lists today with no-shows marked, checks in by appointment and refuses it twice', async () => {
    const booked = [booking('AP1', '17:30'), booking('AP2', '16:00'), booking('AP3', '17:50')];
    const res = await post([...booked.map((b) => bookingEvent(b, NOW - 3_600_000 * 9)), cancellationEvent('AP3', NOW - 60_000)]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);

    const list = appointmentsResponse.parse((await request(t.hub.app).get(api('/appointments')).set(bearer(TOKENS.terminal)).expect(200)).body);
    expect(list).toMatchObject({ from: '2026-11-21', to: '2026-11-21', noShowAfterMin: 30 });
    // 16:00 passed by more than 30 min at 18:00: a no-show.
    expect(list.appointments.map((a) => [a.id, a.status])).toEqual([['AP2', 'no_show'], ['AP1', 'booked'], ['AP3', 'cancelled']]);

    const checkIn = await post([appointmentCheckIn(booked[0]!, 'J-AP1', NOW - 60_000)]);
    expect(checkIn.body.results[0].status).toBe('accepted');
    const again = await post([{ ...appointmentCheckIn(booked[0]!, 'J-AP1-B', NOW - 30_000), id: 'checkin-again-0001' }]);
    expect(again.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'conflict', details: [{ path: 'appointmentId', message: 'appointment AP1 (沪AAP1) was already checked in as job J-AP1' }] } });

    const after = appointmentsResponse.parse((await request(t.hub.app).get(api('/appointments?from=2026-11-21&to=2026-11-22')).set(bearer(TOKENS.lead)).expect(200)).body);
    expect(after.appointments.find((a) => a.id === 'AP1')).toMatchObject({ status: 'checked_in', jobId: 'J-AP1' });
  });

  it('refuses a bad range naming the field, and a board token', async () => {
    const ask = (q: string, token: string = TOKENS.terminal) => request(t.hub.app).get(api(`/appointments${q}`)).set(bearer(token));
    expect((await ask('?from=2026-11-22&to=2026-11-21').expect(400)).body.error.details).toEqual([{ path: 'to', message: 'must not be before from' }]);
    expect((await ask('?from=2026-01-01&to=2026-12-31').expect(400)).body.error.details).toEqual([{ path: 'to', message: 'spans at most 62 days' }]);
    expect((await ask('?from=2026-02-30').expect(400)).body.error.details[0].path).toBe('from');
    expect((await ask('?days=3').expect(400)).body.error.details[0].path).toBe('days');
    expect((await ask('', TOKENS.board).expect(403)).body.error.message).toBe('a board token may not read the appointments (terminal, lead or admin only)');
  });

  it('gives the lead the capacity view and the appointment report; a terminal neither', async () => {
    await post([bookingEvent({ ...booking('SAT', '10:00'), slotAt: Date.parse('2026-11-28T10:00:00+08:00') }, NOW - 60_000)]);
    const view = capacityView.parse((await request(t.hub.app).get(api('/capacity')).set(bearer(TOKENS.lead)).expect(200)).body);
    expect(view.days).toHaveLength(14);
    expect(view.days.find((d) => d.date === '2026-11-28')!.total.bookedHours).toBe(0.8);
    const report = appointmentReport.parse((await request(t.hub.app).get(api('/appointments/report')).set(bearer(TOKENS.admin)).expect(200)).body);
    expect(report.weeks.at(-1)!.weekStart).toBe('2026-11-16');
    await request(t.hub.app).get(api('/capacity')).set(bearer(TOKENS.terminal)).expect(403);
    await request(t.hub.app).get(api('/appointments/report')).set(bearer(TOKENS.terminal)).expect(403);
  });
});
