import { describe, expect, it } from 'vitest';
import { CheckpointRefused, CHECKPOINT_VERSION, decodeCheckpoint, encodeCheckpoint } from '../../server/engine/checkpoint.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { staffingPlan } from '../../server/engine/staffing-plan.js';
import { technicianViews } from '../../server/engine/technicians.js';
import { appointmentViews } from '../../server/engine/appointments.js';
import { appointmentCheckIn, bookingEvent, cancellationEvent, type Booking } from '../../server/sim/appointment-events.js';
import { Random } from '../../server/sim/random.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { DAY_MS, HOUR_MS, localDate } from '../../shared/time.js';
import { SHANGHAI } from '../fixtures/workshop.js';

/** Everything a hub serves from a projection at `now`: the board, the lead console, history. */
function views(p: Projection, now: number) {
  const tz = SHANGHAI.timezone;
  const q = (from: number, bucket: 'day' | 'hour') => historyQuery.parse({ from: localDate(from, tz), to: localDate(now, tz), bucket, by: 'technician' });
  return {
    seq: p.seq,
    figures: p.figures(now),
    jobs: p.jobs(now),
    technicians: technicianViews(p.state, p.ctx, now),
    forecast: workshopForecast(p.state, p.ctx, now),
    staffing: staffingPlan(p.arrivals, p.state, p.ctx, now, 4),
    appointments: appointmentViews(p.state, p.ctx, -Infinity, Infinity, now),
    days: historyOf(p.rollups, p.state, p.ctx, q(now - 60 * DAY_MS, 'day'), SHANGHAI.id, now),
    hours: historyOf(p.rollups, p.state, p.ctx, q(now - 3 * DAY_MS, 'hour'), SHANGHAI.id, now),
  };
}

/** Days of a simulated shop, a few events of each day held back and sent the next day (an offline terminal). */
function randomLog(rnd: Random, days: number, lastDay: string): PitwallEvent[] {
  const end = Date.parse(`${lastDay}T12:00:00+08:00`);
  const log: PitwallEvent[] = [];
  let held: PitwallEvent[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const date = localDate(end - d * DAY_MS, SHANGHAI.timezone);
    const day = simulateDay({ config: SHANGHAI, date, seed: rnd.int(1, 1_000_000), arrivalFactor: 0.5 + rnd.next() * 2 });
    const late = day.filter(() => rnd.next() < 0.02);
    log.push(...held, ...withAppointments(rnd, day.filter((e) => !late.includes(e)), d));
    held = late;
  }
  return [...log, ...held];
}

/**
 * Issue 15: some of a day's check-ins come booked (the booking made the evening before, the
 * check-in naming it), some bookings are cancelled, some never come (no-shows), some are for
 * the weeks ahead.
 */
function withAppointments(rnd: Random, day: PitwallEvent[], dayIndex: number): PitwallEvent[] {
  const first = day[0];
  if (!first) return day;
  const bookAt = Date.parse(first.at) - 12 * HOUR_MS;
  const bookings: PitwallEvent[] = [];
  const out = day.map((e) => {
    if (e.type !== 'job.checked_in' || rnd.next() > 0.3) return e;
    const b: Booking = { appointmentId: `ap-${e.jobId}`, plate: e.plate, service: e.service, standardMinutes: e.standardMinutes, slotAt: Date.parse(e.at) + rnd.int(-20, 20) * 60_000, advisorId: 'A1', customerWaiting: e.customerWaiting };
    bookings.push(bookingEvent(b, bookAt));
    return { ...appointmentCheckIn(b, e.jobId, Date.parse(e.at)), id: e.id };
  });
  for (let i = 0; i < 3; i++) {
    const b: Booking = { appointmentId: `ap-extra-${dayIndex}-${i}-${rnd.int(0, 1e6)}`, plate: `沪X${i}`, service: 'maintenance', standardMinutes: 45, slotAt: bookAt + rnd.int(14, 14 * 24) * HOUR_MS, advisorId: 'A1' };
    bookings.push(bookingEvent(b, bookAt));
    if (i === 0) out.push(cancellationEvent(b.appointmentId, bookAt + HOUR_MS));
  }
  return [...bookings, ...out];
}

describe('checkpoint + tail = full replay', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`on randomised days, across compaction and day boundaries (seed ${seed})`, () => {
      const rnd = new Random(seed);
      const days = rnd.int(3, 40);
      const log = randomLog(rnd, days, '2026-11-20');
      const now = Date.parse('2026-11-20T18:30:00+08:00');

      const full = new Projection(SHANGHAI);
      full.apply(log);
      full.compact(now);

      // The live hub: applies the log in pieces, compacting as its hourly tick would, and saves a checkpoint somewhere.
      const cut = rnd.int(1, log.length - 1);
      const live = new Projection(SHANGHAI);
      for (let i = 0; i < cut; i += 500) {
        live.apply(log.slice(i, Math.min(cut, i + 500)));
        live.compact(Math.min(now, Date.parse(log[Math.min(cut, i + 500) - 1]!.at) + HOUR_MS));
      }
      const bytes = encodeCheckpoint({ workshopId: SHANGHAI.id, seq: live.seq, data: live.toData() });

      const restarted = new Projection(SHANGHAI);
      restarted.restore(decodeCheckpoint(bytes, SHANGHAI.id).data);
      restarted.apply(log.slice(cut));
      restarted.compact(now);

      expect(restarted.seq).toBe(log.length);
      expect(full.state.appointments.size).toBeGreaterThan(0);
      expect(views(restarted, now)).toEqual(views(full, now));
      // And what it accepts next is judged the same (dedupe window, known jobs).
      const again = log.slice(-20).map((event) => ({ ok: true as const, event }));
      expect(restarted.judge(again, now)).toEqual(full.judge(again, now));
    });
  }
});

describe('a checkpoint that cannot be trusted is refused, with the reason', () => {
  const p = new Projection(SHANGHAI);
  p.apply(simulateDay({ config: SHANGHAI, date: '2026-11-20', seed: 7 }));
  const good = encodeCheckpoint({ workshopId: SHANGHAI.id, seq: p.seq, data: p.toData() });

  it('a damaged byte anywhere', () => {
    for (const at of [10, 40, good.length >> 1, good.length - 1]) {
      const bad = Buffer.from(good);
      bad[at] = bad[at]! ^ 0x40;
      expect(() => decodeCheckpoint(bad, SHANGHAI.id)).toThrow(CheckpointRefused);
    }
    expect(() => decodeCheckpoint(good.subarray(0, good.length - 100), SHANGHAI.id)).toThrow(/checksum/);
  });

  it('another format version, another workshop, not a checkpoint at all', () => {
    const other = Buffer.from(good);
    other.writeUInt32BE(CHECKPOINT_VERSION + 1, 4);
    expect(() => decodeCheckpoint(other, SHANGHAI.id)).toThrow(`format version ${CHECKPOINT_VERSION + 1}`);
    expect(() => decodeCheckpoint(good, 'another')).toThrow(/belongs to workshop/);
    expect(() => decodeCheckpoint(Buffer.from('{"seq":1}'), SHANGHAI.id)).toThrow(/not a checkpoint/);
    expect(decodeCheckpoint(good, SHANGHAI.id).seq).toBe(p.seq);
  });
});
