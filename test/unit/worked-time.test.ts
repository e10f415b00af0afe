import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { Projection } from '../../server/engine/projection.js';
import type { PitwallEvent } from '../../shared/events.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * Issue 12, item 9: a job's worked minutes included its technician's lunch break and time
 * clocked out (only pauses were left out), so a bay turned red over lunch. Worked time is the
 * job's running time inside its technician's attendance, as utilisation counts it.
 *
 * T1 starts J1 (standard 60 min) at 11:30, goes to lunch 12:00–13:00 with the job running,
 * and completes it at 13:40: 30 + 40 = 70 min worked, not 130.
 */
function lunch(): PitwallEvent[] {
  return [
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('11:00'), { jobId: 'J1', plate: '沪A20001', service: 'maintenance', standardMinutes: 60, customerWaiting: false }),
    ev('job.started', L('11:30'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
    ev('shift.break_start', L('12:00'), { technicianId: 'T1' }),
    ev('shift.break_end', L('13:00'), { technicianId: 'T1' }),
  ];
}
const complete = ev('job.completed', L('13:40'), { jobId: 'J1', firstTimeFix: true });

function projection(events: readonly PitwallEvent[]): Projection {
  const p = new Projection(SHANGHAI);
  p.apply(events);
  expect(p.skippedOnReplay).toBe(0);
  return p;
}

describe('worked time is running time inside the technician attendance', () => {
  it('the bay does not count the lunch break: 50 min at 13:20, green, and none during the break', () => {
    const p = projection(lunch());
    expect(p.figures(Date.parse(L('12:45'))).bays.find((b) => b.bayId === 'B1')).toMatchObject({ elapsedMin: 30 });
    expect(p.figures(Date.parse(L('13:20'))).bays.find((b) => b.bayId === 'B1')).toMatchObject({ elapsedMin: 50, light: 'green' });
    expect(p.jobs(Date.parse(L('13:20')), 'in_progress')).toMatchObject([{ jobId: 'J1', workedMin: 50 }]);
    expect(p.figures(Date.parse(L('13:20'))).flags).toEqual([]);
  });

  it('a completed job: labour-time achievement 60 ÷ 70 on the board and in the daily report alike', () => {
    const now = Date.parse(L('14:00'));
    const board = projection([...lunch(), complete]).figures(now);
    expect(board.kpis.laborAchievement.value).toBe(0.8571);
    const daily = dailyReport([...lunch(), complete], SHANGHAI, '2026-11-21', now);
    expect(daily.technicians.find((t) => t.technicianId === 'T1')!.laborAchievement.value).toBe(0.8571);
    expect(daily.problems.filter((x) => x.kind === 'over_standard')).toEqual([]);
  });

  it('time clocked out is not worked either: a job left running over the evening counts until clock-out', () => {
    const events: PitwallEvent[] = [
      ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
      ev('job.checked_in', L('16:00'), { jobId: 'J2', plate: '沪A20002', service: 'repair', standardMinutes: 120, customerWaiting: false }),
      ev('job.started', L('16:30'), { jobId: 'J2', bayId: 'B2', technicianId: 'T2' }),
      ev('shift.clock_out', L('17:00'), { technicianId: 'T2' }),
    ];
    expect(projection(events).figures(Date.parse(L('20:00'))).bays.find((b) => b.bayId === 'B2')).toMatchObject({ elapsedMin: 30, light: 'green' });
  });

  it('a job started before clock-in counts from the clock-in', () => {
    const events: PitwallEvent[] = [
      ev('job.checked_in', L('07:30'), { jobId: 'J3', plate: '沪A20003', service: 'repair', standardMinutes: 120, customerWaiting: false }),
      ev('job.started', L('07:40'), { jobId: 'J3', bayId: 'B3', technicianId: 'T3' }),
      ev('shift.clock_in', L('08:00'), { technicianId: 'T3' }),
      ev('job.paused', L('08:30'), { jobId: 'J3', reason: 'parts' }),
    ];
    expect(projection(events).figures(Date.parse(L('09:00'))).bays.find((b) => b.bayId === 'B3')).toMatchObject({ elapsedMin: 30 });
  });
});
