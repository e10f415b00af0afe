import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { can } from '../../shared/permissions.js';
import { parseEvent } from '../../server/workshops/parse.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * Issue 12, item 8: a job started and completed within seconds (a technician who forgot to tap
 * Start) gave 189,076 % labour-time achievement on the daily report and turned the workshop
 * tile red. A completed job worked for less than 20 % of its standard or under 3 minutes, or
 * more than 5× its standard, is listed for the lead and left out of labour-time achievement
 * and proficiency.
 *
 * T1: J1 (60 min standard) worked 60 min, a plausible job; J2 (120 min) started and completed
 * 2 seconds apart. T2: J3 (30 min) worked 4 h (more than 5×).
 */
function day(): PitwallEvent[] {
  return [
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
    ev('job.checked_in', L('08:00'), { jobId: 'J1', plate: '沪A30001', service: 'maintenance', standardMinutes: 60, customerWaiting: false }),
    ev('job.checked_in', L('08:00'), { jobId: 'J2', plate: '沪A30002', service: 'repair', standardMinutes: 120, customerWaiting: false }),
    ev('job.checked_in', L('08:00'), { jobId: 'J3', plate: '沪A30003', service: 'repair', standardMinutes: 30, customerWaiting: false }),
    ev('job.started', L('08:00'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.started', L('08:00'), { jobId: 'J3', bayId: 'B3', technicianId: 'T2' }),
    ev('job.completed', L('09:00'), { jobId: 'J1', firstTimeFix: true }),
    ev('job.started', '2026-11-21T10:00:00+08:00', { jobId: 'J2', bayId: 'B2', technicianId: 'T1' }),
    ev('job.completed', '2026-11-21T10:00:02+08:00', { jobId: 'J2', firstTimeFix: true }),
    ev('job.completed', L('12:00'), { jobId: 'J3', firstTimeFix: true }),
  ];
}
const NOW = Date.parse(L('12:30'));

describe('implausible worked time is flagged and left out of labour-time achievement', () => {
  it('the board tile counts only the plausible job: 100 %, not 2 h of standard over a minute', () => {
    const p = new Projection(SHANGHAI);
    p.apply(day());
    expect(p.figures(NOW).kpis.laborAchievement).toEqual({ value: 1, light: 'green' });
    expect(p.figures(NOW).jobs.completedToday).toBe(3);
  });

  it('the daily report: labour-time achievement and proficiency without them, both listed for the lead', () => {
    const daily = dailyReport(day(), SHANGHAI, '2026-11-21', NOW);
    const t1 = daily.technicians.find((t) => t.technicianId === 'T1')!;
    const t2 = daily.technicians.find((t) => t.technicianId === 'T2')!;
    expect(t1.laborAchievement).toMatchObject({ value: 1, sample: 1 });
    expect(t1.jobsCompleted).toBe(2);
    // 60 standard minutes over 4.5 h of attendance (08:00–12:30), not 180.
    expect(t1.proficiency.value).toBe(0.2222);
    expect(t2.laborAchievement).toMatchObject({ value: null, sample: 0 });
    expect(t2.proficiency.value).toBe(0);
    expect(daily.problems.filter((x) => x.kind === 'implausible_time').map((x) => [x.jobId, x.detail])).toEqual([
      ['J2', '0 min worked against a standard of 120 min: left out of labour-time achievement and proficiency'],
      ['J3', '240 min worked against a standard of 30 min: left out of labour-time achievement and proficiency'],
    ]);
    // Listed once, not also as over standard.
    expect(daily.problems.filter((x) => x.jobId === 'J3')).toHaveLength(1);
  });

  it('the history: labour-time achievement from the plausible job only', () => {
    const p = new Projection(SHANGHAI);
    p.apply(day());
    const r = historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-21', to: '2026-11-21' }), SHANGHAI.id, NOW);
    const all = r.rows.find((row) => row.key === 'all')!;
    expect(all.sums).toMatchObject({ completed: 3, standardMin: 60, workedMin: 60 });
    expect(all.figures.laborAchievement.value).toBe(1);
  });

  it('a lead confirms one (job.time_confirmed): it counts again on the board, the daily report and the history', () => {
    const confirmed = [...day(), ev('job.time_confirmed', L('12:10'), { jobId: 'J2' })];
    const p = new Projection(SHANGHAI);
    p.apply(confirmed);
    expect(p.skippedOnReplay).toBe(0);
    // J1 + J2: 180 standard minutes over 60 min and 2 s worked.
    expect(p.figures(NOW).kpis.laborAchievement.value).toBe(2.9983);
    const daily = dailyReport(confirmed, SHANGHAI, '2026-11-21', NOW);
    expect(daily.technicians.find((t) => t.technicianId === 'T1')!.laborAchievement).toMatchObject({ value: 2.9983, sample: 2 });
    expect(daily.problems.filter((x) => x.kind === 'implausible_time').map((x) => x.jobId)).toEqual(['J3']);
    const r = historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-21', to: '2026-11-21' }), SHANGHAI.id, NOW);
    expect(r.rows.find((row) => row.key === 'all')!.sums.standardMin).toBe(180);
  });

  it('only a lead may confirm, only a finished job, once', () => {
    expect(can('terminal', 'post:job.time_confirmed')).toBe(false);
    expect(can('lead', 'post:job.time_confirmed')).toBe(true);
    const p = new Projection(SHANGHAI);
    p.apply([...day(), ev('job.checked_in', L('12:00'), { jobId: 'J4', plate: '沪A30004', service: 'repair', standardMinutes: 30, customerWaiting: false })]);
    const [open] = p.judge([parseEvent(ev('job.time_confirmed', L('12:10'), { jobId: 'J4' }))], NOW);
    expect(open!.status === 'rejected' && open!.result.error).toMatchObject({ code: 'illegal_transition', details: [{ path: 'jobId' }] });
    p.apply([ev('job.time_confirmed', L('12:10'), { jobId: 'J2' })]);
    const [again] = p.judge([parseEvent(ev('job.time_confirmed', L('12:11'), { jobId: 'J2' }))], NOW);
    expect(again!.status === 'rejected' && again!.result.error).toMatchObject({ code: 'conflict', details: [{ path: 'jobId' }] });
  });
});
