import { describe, expect, it } from 'vitest';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { L, SHANGHAI, ev, scriptedDay } from '../fixtures/workshop.js';

/** One technician on shift at 09:00 and `n` customers waiting since 09:00 for `std`-minute jobs (three bays). */
function queue(std: number, n = 4) {
  const p = new Projection(SHANGHAI);
  p.apply([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ...Array.from({ length: n }, (_, i) => `Q${i + 1}`).map((jobId) => ev('job.checked_in', L('09:00'), { jobId, plate: `沪A${jobId}`, service: 'maintenance', standardMinutes: std, customerWaiting: true })),
  ]);
  return workshopForecast(p.state, p.ctx, Date.parse(L('09:00')));
}

describe('the staffing forecast', () => {
  it('predicts each queued customer’s wait for their turn, with the staff on shift and with more', () => {
    // 40-min jobs, one technician: started after 0, 40, 80, 120 min → average 60, p90 120.
    const f = queue(40);
    expect(f.onShift).toBe(1);
    expect(f.scenarios[0]).toEqual({ extraTechnicians: 0, predictedAverageWaitMin: 60, predictedP90WaitMin: 120 });
    // One more: 0, 0, 40, 40 → 20, under the green line.
    expect(f.scenarios[1]).toEqual({ extraTechnicians: 1, predictedAverageWaitMin: 20, predictedP90WaitMin: 40 });
    expect(f.extraTechniciansNeeded).toBe(1);
    expect(f.scenarios).toHaveLength(2);
    // 30-min jobs: 0, 30, 60, 90 → 45, on the green line (45 is green): nobody needed.
    expect(queue(30).extraTechniciansNeeded).toBe(0);
  });

  it('says when no number of extra technicians brings the wait under the line: three bays are three at a time', () => {
    // Twelve 60-min jobs. One technician: 0, 60, …, 660 → 330; two: 0, 0, 60, 60, … → 150;
    // three or more fill the three bays: 0, 0, 0, 60, 60, 60, … 180 → 90, whatever comes.
    const f = queue(60, 12);
    expect(f.scenarios.map((s) => s.predictedAverageWaitMin)).toEqual([330, 150, 90, 90, 90, 90, 90]);
    expect(f.extraTechniciansNeeded).toBeNull();
  });

  it('flags promises the queue will miss, latest first, and gives the live 90th-percentile wait', () => {
    const p = new Projection(SHANGHAI);
    p.apply(scriptedDay());
    const f = workshopForecast(p.state, p.ctx, Date.parse(L('18:00')));
    // J7, promised for 17:00, starts at 18:00 and takes 90 min.
    expect(f.promisesAtRisk).toEqual([
      { jobId: 'J7', plate: '沪H77777', promisedAt: '2026-11-21T09:00:00.000Z', predictedDoneAt: '2026-11-21T11:30:00.000Z', lateMin: 150 },
    ]);
    // On site now: J5 240 min, J7 180 min.
    expect(f.p90WaitNowMin).toBe(240);
    expect(f.waitingCustomers).toBe(2);
  });

  it('measures its own predictions: start predicted at check-in against the actual start', () => {
    const p = new Projection(SHANGHAI);
    p.apply(scriptedDay());
    // Predicted at check-in vs started: J0 21:05→21:10, J1 23:50→00:10, J2 08:05→08:15,
    // J3 08:10→08:20, J4 10:40→11:00, J5 14:00→16:00 (minutes late: 5, 20, 10, 10, 20, 120).
    expect(workshopForecast(p.state, p.ctx, Date.parse(L('18:00'))).predictionError).toEqual({ samples: 6, medianAbsMin: 10, p90AbsMin: 120, medianSignedMin: 10 });
  });

  it('predicts nothing when nobody is on shift', () => {
    const p = new Projection(SHANGHAI);
    p.apply([ev('job.checked_in', L('09:00'), { jobId: 'Q1', plate: '沪A1', service: 'repair', standardMinutes: 30, customerWaiting: true })]);
    const f = workshopForecast(p.state, p.ctx, Date.parse(L('09:00')));
    expect(f.scenarios[0]).toEqual({ extraTechnicians: 0, predictedAverageWaitMin: null, predictedP90WaitMin: null });
    // With one technician it would be green.
    expect(f.extraTechniciansNeeded).toBe(1);
  });
});
