import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { L, SHANGHAI, Y, ev } from '../fixtures/workshop.js';

/** The daily report's rules that issue 12 found unstated or disagreeing with history (docs/api.md, "Daily layer"). */
const NOW = Date.parse(L('18:00'));
const report = (log: readonly PitwallEvent[], date = '2026-11-21', now = NOW) => dailyReport(log, SHANGHAI, date, now);

function historyByTeam(log: readonly PitwallEvent[]) {
  const p = new Projection(SHANGHAI);
  p.apply(log);
  return historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-21', to: '2026-11-21', by: 'team' }), SHANGHAI.id, NOW);
}

describe('daily team figures after a mid-day move', () => {
  // T1 (quick) clocks in at 08:00, finishes a job at 10:00, is moved to repair at 12:00 and clocks out at 14:00.
  const log = [
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('08:05'), { jobId: 'M1', plate: '沪M00001', service: 'maintenance', standardMinutes: 60, customerWaiting: false }),
    ev('job.started', L('09:00'), { jobId: 'M1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', L('10:00'), { jobId: 'M1', firstTimeFix: true }),
    ev('staff.reassigned', L('12:00'), { technicianId: 'T1', team: 'repair' }),
    ev('shift.clock_out', L('14:00'), { technicianId: 'T1' }),
  ];

  it('splits the time at the move, as history does', () => {
    const teams = report(log).teams;
    const team = (name: string) => teams.find((t) => t.team === name)!;
    expect(team('quick')).toMatchObject({ attendanceHours: 4, productiveHours: 1, jobsCompleted: 1, technicians: 1 });
    expect(team('repair')).toMatchObject({ attendanceHours: 2, productiveHours: 0, jobsCompleted: 0 });
    // The technician's own row is whole, under the team he ended the day in.
    expect(report(log).technicians.find((t) => t.technicianId === 'T1')).toMatchObject({ team: 'repair', attendanceHours: 6 });
    // One rule, two places: the daily report and history agree to the minute.
    const rows = historyByTeam(log).rows;
    for (const t of teams) {
      const row = rows.find((r) => r.key === t.team);
      expect(t.attendanceHours * 60).toBe(row?.sums.attendanceMin ?? 0);
      expect(t.jobsCompleted).toBe(row?.sums.completed ?? 0);
    }
  });
});

describe('a survey dated before its job’s completion', () => {
  // The tablet's clock says 22:00 the evening before; the job was completed at 09:00 today.
  const log = [
    ev('job.checked_in', Y('20:00'), { jobId: 'S1', plate: '沪S00001', service: 'maintenance', standardMinutes: 60, customerWaiting: false, advisorId: 'A1' }),
    ev('job.started', L('08:00'), { jobId: 'S1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', L('09:00'), { jobId: 'S1', firstTimeFix: true }),
    ev('survey.submitted', Y('22:00'), { jobId: 'S1', score: 5 }),
  ];

  it('counts on the day of the completion (the last change), in the report, on the board and in history', () => {
    const today = report(log);
    expect(today.advisors[0]!.csat).toMatchObject({ value: 1, sample: 1 });
    expect(today.cx.day.csat).toMatchObject({ value: 1, sample: 1 });
    const yesterday = report(log, '2026-11-20');
    expect(yesterday.advisors[0]!.csat.sample).toBe(0);
    expect(yesterday.cx.day.csat.sample).toBe(0);
    const p = new Projection(SHANGHAI);
    p.apply(log);
    expect(p.figures(NOW).kpis.csat.value).toBe(1);
    const h = historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-20', to: '2026-11-21' }), SHANGHAI.id, NOW);
    expect(h.rows.map((r) => [r.label, r.sums.surveys])).toEqual([
      ['2026-11-20', 0],
      ['2026-11-21', 1],
    ]);
  });
});

describe('a parts wait across midnight', () => {
  // Paused at 23:50, resumed at 01:00: 70 minutes, 10 of them before midnight.
  const log = [
    ev('job.checked_in', Y('22:30'), { jobId: 'P1', plate: '沪P00001', service: 'repair', standardMinutes: 180, customerWaiting: false }),
    ev('job.started', Y('23:00'), { jobId: 'P1', bayId: 'B2', technicianId: 'T2' }),
    ev('job.paused', Y('23:50'), { jobId: 'P1', reason: 'parts' }),
    ev('job.resumed', L('01:00'), { jobId: 'P1' }),
  ];
  const waits = (date: string) => report(log, date).problems.filter((p) => p.kind === 'paused_long').map((p) => [p.jobId, p.detail]);

  it('is on the list of the day it ends', () => {
    expect(waits('2026-11-21')).toEqual([['P1', 'waited 70 min for parts']]);
    // At the evening's end it had lasted 10 minutes: not too long yet.
    expect(waits('2026-11-20')).toEqual([]);
  });

  it('is on every day it is still running at the end of, as still waiting', () => {
    const still = log.slice(0, 3);
    const at = (date: string, now: number) => dailyReport(still, SHANGHAI, date, now).problems.filter((p) => p.kind === 'paused_long').map((p) => p.detail);
    expect(at('2026-11-21', Date.parse(L('01:00')))).toEqual(['waited 70 min for parts (still waiting)']);
    expect(at('2026-11-20', Date.parse(L('01:00')))).toEqual([]);
  });
});

describe('the comeback rate and the wait, as documented', () => {
  const D = (date: string, hhmm: string) => `${date}T${hhmm}:00+08:00`;
  const done = (jobId: string, date: string) => [
    ev('job.checked_in', D(date, '08:00'), { jobId, plate: `沪${jobId}`, service: 'maintenance', standardMinutes: 60, customerWaiting: false }),
    ev('job.started', D(date, '08:10'), { jobId, bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', D(date, '09:00'), { jobId, firstTimeFix: true }),
    ev('job.delivered', D(date, '09:30'), { jobId }),
  ];
  // Two cars T1 delivered 9 days ago come back today; one car is delivered today; one comeback is then cancelled.
  const log = [
    ...done('C0A', '2026-11-12'),
    ...done('C0B', '2026-11-12'),
    ...done('D1', '2026-11-21'),
    ev('job.checked_in', L('11:00'), { jobId: 'CB1', plate: '沪C0A', service: 'repair', standardMinutes: 30, customerWaiting: false, comebackOf: 'C0A' }),
    ev('job.checked_in', L('11:30'), { jobId: 'CB2', plate: '沪C0B', service: 'repair', standardMinutes: 30, customerWaiting: false, comebackOf: 'C0B' }),
    ev('job.cancelled', L('11:40'), { jobId: 'CB2' }),
  ];

  it('is capped at 100 %, counts a cancelled comeback, the same on the board, the daily report and history', () => {
    const p = new Projection(SHANGHAI);
    p.apply(log);
    // 2 comebacks (one cancelled: the car still came back) against 1 delivery in the window.
    expect(p.figures(NOW).kpis.comebackRate.value).toBe(1);
    expect(report(log).technicians.find((t) => t.technicianId === 'T1')!.comebackRate).toMatchObject({ value: 1, sample: 1 });
    const h = historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-21', to: '2026-11-21' }), SHANGHAI.id, NOW);
    expect(h.rows[0]!.sums).toMatchObject({ comebacks: 2, delivered: 1 });
    expect(h.rows[0]!.figures.comebackRate.value).toBe(1);
  });

  it('looks back a rolling 168 hours', () => {
    const p = new Projection(SHANGHAI);
    p.apply(log);
    // 168 h after D1's delivery it has left the window: no delivery, no rate.
    const delivered = Date.parse(L('09:30'));
    expect(p.figures(delivered + 168 * 3_600_000 - 60_000).kpis.comebackRate.value).toBe(1);
    expect(p.figures(delivered + 168 * 3_600_000 + 60_000).kpis.comebackRate.value).toBeNull();
  });

  it('gives a wait of 0 to a check-in dated a few minutes ahead of the hub', () => {
    const p = new Projection(SHANGHAI);
    p.apply([ev('job.checked_in', L('18:03'), { jobId: 'W1', plate: '沪W00001', service: 'maintenance', standardMinutes: 30, customerWaiting: true })]);
    expect(p.figures(NOW).waitingCustomers).toEqual({ count: 1, averageWaitMin: 0, longestWaitMin: 0 });
  });
});
