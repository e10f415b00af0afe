import { describe, expect, it } from 'vitest';
import { Projection } from '../../server/engine/projection.js';
import { technicianViews } from '../../server/engine/technicians.js';
import { L, SCRIPTED_DAY_AT_1800, SHANGHAI, ev, scriptedDay } from '../fixtures/workshop.js';

/**
 * A day at a Shanghai workshop with every figure derived by hand (minutes are local time).
 *
 * Attendance today (from local midnight to 18:00):
 *   T3  night shift 21:00 (yesterday) – 01:00, clipped at midnight          60
 *   T1  08:00–10:00, break, 10:20–18:00                             120 + 460 = 580
 *   T2  08:00–12:00, break, 12:30–18:00                             240 + 330 = 570   → 1210
 * Productive today (a job in progress, inside attendance):
 *   T3  J1 00:10–00:40                                                         30
 *   T1  J2 08:15–09:15, J4 11:00–12:15, J5 16:00–17:00 (then paused)  60+75+60 = 195
 *   T2  J3 08:20–09:00, paused until 10:30, then running to 18:00 minus the
 *       12:00–12:30 break: 40 + 90 + 330                                      460  → 685
 *   utilisation 685 / 1210 = 0.56611… → 0.5661, red (< 65 %)
 * Completed today: J1 (std 30, worked 30, not fixed first time), J2 (60, 60, fixed),
 *   J4 (45, 75, fixed); J0 finished yesterday and does not count.
 *   labour-time achievement 135 / 165 = 0.81818… → 0.8182, yellow (80–90 %)
 *   first-time fix 2 / 3 → 0.6667, red
 * Comebacks in the last 7 days: J4 (of J0) = 1; deliveries J0 (yesterday), J2, J4 = 3
 *   comeback rate 0.3333, red
 * Surveys today: 5, 3, 4 → 2 of 3 at 4 or 5: CSAT 0.6667, red
 * Waiting customers: J5 (paused, since 14:00) 240 min, J7 (waiting, since 15:00) 180 min
 *   average 210, longest 240, average-wait light red (> 90)
 * Bays: B1 J5 paused (approval) 60 of 30 min, red; B2 J3 running 40 + 450 − 30 (T2's break) = 460 of 120, red;
 *   B3 idle.
 */
describe('a scripted day in Asia/Shanghai', () => {
  const build = () => {
    const p = new Projection(SHANGHAI);
    p.apply(scriptedDay());
    expect(p.skippedOnReplay).toBe(0);
    return p;
  };

  it('gives the hand-derived board at 18:00 local', () => {
    const f = build().figures(Date.parse(L('18:00')));
    expect(f.seq).toBe(scriptedDay().length);
    expect(f.asOf).toBe('2026-11-21T10:00:00.000Z');
    expect(f).toEqual({ ...SCRIPTED_DAY_AT_1800, seq: f.seq });
  });

  it('starts a new day at local midnight, not UTC midnight', () => {
    // 00:05 on the 22nd in Shanghai is still the 21st in UTC.
    const f = build().figures(Date.parse('2026-11-22T00:05:00+08:00'));
    expect(f.jobs.completedToday).toBe(0);
    expect(f.jobs.deliveredToday).toBe(0);
    expect(f.kpis.laborAchievement).toEqual({ value: null, light: 'none' });
    expect(f.kpis.firstTimeFix).toEqual({ value: null, light: 'none' });
    expect(f.kpis.csat).toEqual({ value: null, light: 'none' });
    // T1 and T2 never clocked out: 5 min each; only T2's J3 is running → 5 / 10.
    expect(f.kpis.utilisation).toEqual({ value: 0.5, light: 'red' });
    // The comeback window is 7 days, not "today".
    expect(f.kpis.comebackRate).toEqual({ value: 0.3333, light: 'red' });
  });

  it('at 08:10 local, before anything was completed in the day shift, counts the night shift only', () => {
    const p = new Projection(SHANGHAI);
    const cutoff = Date.parse(L('08:10'));
    p.apply(scriptedDay().filter((e) => Date.parse(e.at) <= cutoff));
    const f = p.figures(cutoff);
    // J1 is today's only completion (std 30 / worked 30).
    expect(f.kpis.laborAchievement).toEqual({ value: 1, light: 'green' });
    expect(f.jobs.completedToday).toBe(1);
    // T3 60 min attendance, 30 productive; T1 and T2 10 min each, idle. 30 / 80.
    expect(f.kpis.utilisation).toEqual({ value: 0.375, light: 'red' });
    // J2 waits since 08:05.
    expect(f.waitingCustomers).toEqual({ count: 1, averageWaitMin: 5, longestWaitMin: 5 });
    expect(f.kpis.averageWait).toEqual({ value: 5, light: 'green' });
  });

  it('predicts start times for the queue: promised car first, each to the first free technician', () => {
    const jobs = build().jobs(Date.parse(L('18:00')), 'waiting');
    // T1 is free (J5 is paused); T2's J3 is past its standard, so taken to end now.
    expect(jobs.map((j) => [j.jobId, j.predictedStartAt])).toEqual([
      ['J6', '2026-11-21T10:00:00.000Z'],
      ['J7', '2026-11-21T10:00:00.000Z'],
    ]);
  });

  it('gives the promised car the first free technician when only one is on shift', () => {
    const p = build();
    p.apply([ev('shift.break_start', L('17:30'), { technicianId: 'T2' })]);
    const jobs = p.jobs(Date.parse(L('18:00')), 'waiting');
    // J7 (promised 17:00) goes first at 18:00; J6 after J7's 90 standard minutes.
    expect(Object.fromEntries(jobs.map((j) => [j.jobId, j.predictedStartAt]))).toEqual({
      J7: '2026-11-21T10:00:00.000Z',
      J6: '2026-11-21T11:30:00.000Z',
    });
  });

  it('predicts nothing when nobody is on shift', () => {
    const p = build();
    p.apply([ev('shift.clock_out', L('17:30'), { technicianId: 'T1' }), ev('shift.clock_out', L('17:30'), { technicianId: 'T2' })]);
    expect(p.jobs(Date.parse(L('18:00')), 'waiting').map((j) => j.predictedStartAt)).toEqual([null, null]);
  });
});

describe('technicians for the lead console', () => {
  it('gives each technician their status, jobs and utilisation, summing to the board', () => {
    const p = new Projection(SHANGHAI);
    p.apply(scriptedDay());
    const views = technicianViews(p.state, p.ctx, Date.parse(L('18:00')));
    expect(views.map((v) => [v.technicianId, v.status, v.currentJobId, v.pausedJobIds, v.attendanceMin, v.productiveMin, v.utilisation, v.completedToday])).toEqual([
      ['T1', 'on_shift', null, ['J5'], 580, 195, 0.3362, 2],
      ['T2', 'on_shift', 'J3', [], 570, 460, 0.807, 0],
      ['T3', 'off', null, [], 60, 30, 0.5, 1],
    ]);
  });
});

describe('a workshop with no data', () => {
  it('shows every figure as null with light none, never 0 or green', () => {
    const f = new Projection(SHANGHAI).figures(Date.parse(L('09:00')));
    expect(f.seq).toBe(0);
    for (const k of Object.values(f.kpis)) expect(k).toEqual({ value: null, light: 'none' });
    expect(f.waitingCustomers).toEqual({ count: 0, averageWaitMin: null, longestWaitMin: null });
    expect(f.bays.every((b) => b.state === 'idle' && b.light === 'none')).toBe(true);
  });
});
