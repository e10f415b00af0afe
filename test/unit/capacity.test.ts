import { describe, expect, it } from 'vitest';
import { appointmentReport } from '../../server/engine/appointment-report.js';
import { capacityView } from '../../server/engine/capacity.js';
import { Projection } from '../../server/engine/projection.js';
import { appointmentCheckIn, bookingEvent, cancellationEvent, type Booking } from '../../server/sim/appointment-events.js';
import type { PitwallEvent } from '../../shared/events.js';
import { workshopConfig } from '../../shared/workshop.js';
import { SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * The capacity view and the appointment report against sums worked out by hand on a scripted
 * fortnight (issue 15): one Saturday and one Monday of history, a week of bookings ahead, a
 * roster per technician.
 */

const SHOP = workshopConfig.parse({
  ...SHANGHAI,
  serviceTeams: { maintenance: 'quick', repair: 'repair' },
  appointments: { weekdayDiscountPercent: 15 },
  technicians: [
    // Monday first: T1 works a short Saturday, T3 only Sundays.
    { id: 'T1', name: 'Zhang Wei', team: 'quick', weeklyHours: [8, 8, 8, 8, 8, 4, 0] },
    { id: 'T2', name: 'Wang Fang', team: 'repair', weeklyHours: [8, 8, 8, 8, 8, 8, 0] },
    { id: 'T3', name: 'Li Qiang', team: 'repair', weeklyHours: [0, 0, 0, 0, 0, 0, 8] },
  ],
});

const t = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+08:00`);
const iso = (date: string, hhmm: string) => `${date}T${hhmm}:00+08:00`;
const walkIn = (jobId: string, date: string, hhmm: string, service: 'maintenance' | 'repair', standardMinutes: number) =>
  ev('job.checked_in', iso(date, hhmm), { jobId, plate: `沪${jobId}`, service, standardMinutes, customerWaiting: true });
const booking = (id: string, date: string, hhmm: string, service: 'maintenance' | 'repair', standardMinutes: number): Booking => ({
  appointmentId: id, plate: `沪${id}`, service, standardMinutes, slotAt: t(date, hhmm), advisorId: 'A1',
});

function scriptedFortnight(): PitwallEvent[] {
  const booked = booking('HIST', '2026-11-14', '10:00', 'repair', 90);
  const noShow = booking('NOSHOW', '2026-11-20', '10:00', 'repair', 60);
  const ahead = [
    booking('SAT1', '2026-11-28', '09:00', 'maintenance', 60),
    booking('SAT2', '2026-11-28', '10:00', 'maintenance', 60),
    booking('SAT3', '2026-11-28', '09:00', 'repair', 120),
    booking('SAT4', '2026-11-28', '11:00', 'repair', 120),
    booking('SAT5', '2026-11-28', '13:00', 'repair', 120),
    booking('SAT6', '2026-11-28', '14:00', 'repair', 120),
    booking('TUE1', '2026-11-24', '09:00', 'repair', 60),
  ];
  return [
    // Saturday 14 November: three maintenance walk-ins of an hour, two repairs of two hours, one booked repair.
    bookingEvent(booked, t('2026-11-13', '17:00')),
    walkIn('W1', '2026-11-14', '09:00', 'maintenance', 60),
    walkIn('W2', '2026-11-14', '09:30', 'maintenance', 60),
    walkIn('W3', '2026-11-14', '10:30', 'maintenance', 60),
    walkIn('W4', '2026-11-14', '11:00', 'repair', 120),
    walkIn('W5', '2026-11-14', '14:00', 'repair', 120),
    appointmentCheckIn(booked, 'J-HIST', t('2026-11-14', '10:05')),
    ev('shift.clock_in', iso('2026-11-14', '08:30'), { technicianId: 'T1' }),
    ev('job.started', iso('2026-11-14', '09:05'), { jobId: 'W1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', iso('2026-11-14', '10:00'), { jobId: 'W1', firstTimeFix: true }),
    ev('survey.submitted', iso('2026-11-14', '10:10'), { jobId: 'W1', score: 4, touchpoints: { waiting: 6 } }),
    ev('shift.clock_out', iso('2026-11-14', '17:00'), { technicianId: 'T1' }),
    // Monday 16 November: one half-hour maintenance walk-in; a booking for Friday that never comes.
    walkIn('W6', '2026-11-16', '09:00', 'maintenance', 30),
    bookingEvent(noShow, t('2026-11-16', '12:00')),
    // Booked on Sunday 22 November for the week ahead; one Saturday booking cancelled.
    ...ahead.map((b) => bookingEvent(b, t('2026-11-22', '12:00'))),
    bookingEvent(booking('SAT7', '2026-11-28', '15:00', 'repair', 120), t('2026-11-22', '12:00')),
    cancellationEvent('SAT7', t('2026-11-22', '13:00')),
  ];
}

const NOW = t('2026-11-23', '09:00'); // a Monday

describe('the capacity view', () => {
  it('sums booked, walk-in and roster hours per day and team as by hand', () => {
    const p = new Projection(SHOP);
    p.apply(scriptedFortnight());
    const view = capacityView(p.arrivals, p.state, p.ctx, NOW);
    expect(view).toMatchObject({ walkInWeeks: 1, rosterSource: 'weeklyHours', weekdayDiscountPercent: 15 });
    expect(view.days).toHaveLength(14);
    const day = (date: string) => view.days.find((d) => d.date === date)!;

    // Monday 23: the Monday walk-in (0.5 h maintenance, quick), T1 8 h, T2 8 h.
    expect(day('2026-11-23')).toMatchObject({
      dayOfWeek: 1, weekend: false, overbooked: false, spare: true,
      teams: [
        { team: 'quick', bookedHours: 0, walkInHours: 0.5, rosterHours: 8, spareHours: 7.5 },
        { team: 'repair', bookedHours: 0, walkInHours: 0, rosterHours: 8, spareHours: 8 },
      ],
      total: { bookedHours: 0, walkInHours: 0.5, rosterHours: 16, spareHours: 15.5 },
    });
    // Tuesday 24: one booked repair hour.
    expect(day('2026-11-24').total).toEqual({ team: null, bookedHours: 1, walkInHours: 0, rosterHours: 16, spareHours: 15 });
    // Saturday 28: quick 2 h booked + 3 h walk-ins against T1's 4 h; repair 8 h booked (the cancelled
    // booking not counted) + 4 h walk-ins (the booked repair of the 14th is not a walk-in) against T2's 8 h.
    expect(day('2026-11-28')).toMatchObject({
      dayOfWeek: 6, weekend: true, overbooked: true, spare: false,
      teams: [
        { team: 'quick', bookedHours: 2, walkInHours: 3, rosterHours: 4, spareHours: -1 },
        { team: 'repair', bookedHours: 8, walkInHours: 4, rosterHours: 8, spareHours: -4 },
      ],
      total: { bookedHours: 10, walkInHours: 7, rosterHours: 12, spareHours: -5 },
    });
    // Sunday 29: only T3 on the roster; a weekend's spare hours are not offered.
    expect(day('2026-11-29')).toMatchObject({ weekend: true, overbooked: false, spare: false, total: { bookedHours: 0, walkInHours: 0, rosterHours: 8, spareHours: 8 } });
  });

  it('falls back to the opening hours for a technician without a roster', () => {
    const p = new Projection(workshopConfig.parse({ ...SHANGHAI, hours: { open: '08:30', close: '18:00' } }));
    const view = capacityView(p.arrivals, p.state, p.ctx, NOW);
    expect(view.rosterSource).toBe('openingHours');
    expect(view.days[0]!.total.rosterHours).toBe(3 * 9.5);
    expect(view.walkInWeeks).toBe(0);
  });
});

describe('the appointment report', () => {
  it('gives appointment share, no-shows, weekday share per week and weekend vs weekday scores', () => {
    const p = new Projection(SHOP);
    p.apply(scriptedFortnight());
    const report = appointmentReport(p.rollups, p.state, p.ctx, NOW);
    expect(report.weeks).toHaveLength(13);
    expect(report.weeks.at(-1)!.weekStart).toBe('2026-11-23');
    const week = (start: string) => report.weeks.find((w) => w.weekStart === start)!;
    // Week of 9 November: six check-ins on the Saturday, one of them booked and kept.
    expect(week('2026-11-09')).toEqual({ weekStart: '2026-11-09', checkIns: 6, appointmentCheckIns: 1, appointmentShare: 0.167, due: 1, noShows: 0, noShowRate: 0, weekdayShare: 0 });
    // Week of 16 November: the Monday walk-in; Friday's booking is a no-show.
    expect(week('2026-11-16')).toEqual({ weekStart: '2026-11-16', checkIns: 1, appointmentCheckIns: 0, appointmentShare: 0, due: 1, noShows: 1, noShowRate: 1, weekdayShare: 1 });
    // This week: bookings ahead are not due yet.
    expect(week('2026-11-23')).toMatchObject({ checkIns: 0, due: 0, noShowRate: null, weekdayShare: null });
    expect(report.weekend).toEqual({ surveys: 1, averageScore: 4, csat: 1, waitingScore: 6, waitingAnswers: 1 });
    expect(report.weekday).toEqual({ surveys: 0, averageScore: null, csat: null, waitingScore: null, waitingAnswers: 0 });
  });
});
