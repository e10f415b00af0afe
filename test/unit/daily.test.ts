import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { L, SHANGHAI, ev, scriptedDay } from '../fixtures/workshop.js';

/** The scripted day (see scripted-day.test.ts for the minutes), seen by the service manager. */
describe('the daily layer', () => {
  const report = () => dailyReport(scriptedDay(), SHANGHAI, '2026-11-21', Date.parse(L('18:00')));

  it('gives every technician their KPIs, lights, ranks and weighted score', () => {
    const r = report();
    expect(r.asOf).toBe('2026-11-21T10:00:00.000Z');
    const row = (id: string) => r.technicians.find((t) => t.technicianId === id)!;
    // T1: 195 of 580 min productive; J2 (60/60) and J4 (45 std, 75 worked) completed, both fixed first time.
    expect(row('T1')).toMatchObject({
      jobsCompleted: 2,
      productiveHours: 3.25,
      attendanceHours: 9.67,
      utilisation: { value: 0.3362, light: 'red', rank: 3, sample: 580 },
      laborAchievement: { value: 0.7778, light: 'red', rank: 2, sample: 2 },
      firstTimeFix: { value: 1, light: 'green', rank: 1 },
      comebackRate: { value: 0, light: 'green', rank: 1, sample: 2 },
      // NADA's proficiency: 105 standard minutes in 580 available.
      proficiency: { value: 0.181, light: 'none', rank: 2, sample: 580 },
      // (50·25 + 100·30 + 50·20 + 100·10) / 85
      score: 73.5,
    });
    // T2 completed nothing: only utilisation has a value.
    expect(row('T2')).toMatchObject({ utilisation: { value: 0.807, light: 'green', rank: 1 }, laborAchievement: { value: null, light: 'none', rank: null }, score: 100 });
    // T3: J1 not fixed first time, and J4 came back for T3's J0 (delivered yesterday): 1 of 1 delivery.
    expect(row('T3')).toMatchObject({
      utilisation: { value: 0.5, rank: 2 },
      laborAchievement: { value: 1, light: 'green', rank: 1 },
      firstTimeFix: { value: 0, light: 'red', rank: 2 },
      comebackRate: { value: 1, light: 'red', rank: 2 },
      score: 61.8,
    });
  });

  it('adds technicians up per team', () => {
    const repair = report().teams.find((t) => t.team === 'repair')!;
    // T2 + T3: 490 of 630 min.
    expect(repair).toMatchObject({ technicians: 2, utilisation: { value: 0.7778, light: 'green' }, jobsCompleted: 1 });
    expect(report().teams.map((t) => t.team)).toEqual(['quick', 'repair']);
  });

  it('scores advisors on reception, satisfaction and complaints', () => {
    expect(report().advisors).toEqual([
      {
        advisorId: 'A1',
        name: 'Li Na',
        received: 1,
        csat: { value: 1, light: 'green', rank: 1, sample: 1, enough: true },
        complaintRate: { value: 0, light: 'green', rank: 1, sample: 1, enough: true },
        // (12.5·20 + 100·30 + 100·15) / 65
        score: 73.1,
      },
    ]);
  });

  // Issue 12, item 14: 100 % on six minutes of attendance is not the best of the day.
  it('gives a figure below the minimum sample no light and no rank, and keeps its value', () => {
    // T3 clocks in at 17:54 and starts J6 at once: 6 of 6 min productive by 18:00.
    const log = [...scriptedDay(), ev('shift.clock_in', L('17:54'), { technicianId: 'T3' }), ev('job.started', L('17:54'), { jobId: 'J6', bayId: 'B3', technicianId: 'T3' })];
    const r = dailyReport(log, SHANGHAI, '2026-11-21', Date.parse(L('18:00')));
    const t3 = r.technicians.find((t) => t.technicianId === 'T3')!;
    // T3's night shift (00:00–01:00) plus these six minutes: 66 min, enough; the six minutes alone are not.
    expect(t3.utilisation.enough).toBe(true);
    const fresh = dailyReport(log.filter((e) => !(e.type.startsWith('shift.') && 'technicianId' in e && e.technicianId === 'T3' && Date.parse(e.at) < Date.parse(L('17:00')))), SHANGHAI, '2026-11-21', Date.parse(L('18:00')));
    const six = fresh.technicians.find((t) => t.technicianId === 'T3')!;
    expect(six.utilisation).toMatchObject({ sample: 6, light: 'none', rank: null, enough: false });
    expect(six.utilisation.value).toBeGreaterThan(0.9);
    // Rank 1 goes to the best of those with an hour behind them.
    expect(fresh.technicians.find((t) => t.technicianId === 'T2')!.utilisation).toMatchObject({ rank: 1, enough: true });
    // A workshop's own minSample raises the floor: two completions are not enough for five.
    const strict = dailyReport(scriptedDay(), { ...SHANGHAI, lightPolicy: { firstTimeFix: { minSample: 5 } } }, '2026-11-21', Date.parse(L('18:00')));
    expect(strict.technicians.find((t) => t.technicianId === 'T1')!.firstTimeFix).toMatchObject({ value: 1, light: 'none', rank: null, enough: false });
  });

  it('lists the problem work orders with what happened', () => {
    expect(report().problems.map((p) => [p.kind, p.jobId, p.state, p.detail])).toEqual([
      ['over_standard', 'J3', 'in_progress', '460 min worked against a standard of 120 min'],
      ['paused_long', 'J3', 'in_progress', 'waited 90 min for parts'],
      ['over_standard', 'J4', 'delivered', '75 min worked against a standard of 45 min'],
      ['comeback', 'J4', 'delivered', 'comeback of J0 (worked by T3)'],
      ['over_standard', 'J5', 'paused', '60 min worked against a standard of 30 min'],
    ]);
  });

  it('reports a past day as it ended, unchanged by later events', () => {
    const log = [...scriptedDay(), ev('survey.submitted', '2026-11-22T09:00:00+08:00', { jobId: 'J0', score: 1 })];
    const yesterday = dailyReport(log, SHANGHAI, '2026-11-20', Date.parse('2026-11-25T12:00:00+08:00'));
    expect(yesterday.asOf).toBe('2026-11-20T16:00:00.000Z');
    expect(yesterday.technicians.find((t) => t.technicianId === 'T3')).toMatchObject({ jobsCompleted: 1, laborAchievement: { value: 0.75 } });
    // J0: 80 min of work against 60 (over the 120 % line); J1 was completed on the 21st, not here.
    expect(yesterday.problems.map((p) => [p.kind, p.jobId])).toEqual([['over_standard', 'J0']]);
    // And the 22nd sees the complaint.
    const next = dailyReport(log, SHANGHAI, '2026-11-22', Date.parse('2026-11-25T12:00:00+08:00'));
    expect(next.problems).toContainEqual(expect.objectContaining({ kind: 'low_score', jobId: 'J0', detail: 'customer scored 1 of 5' }));
  });
});
