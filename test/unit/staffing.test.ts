import { describe, expect, it } from 'vitest';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { L, SHANGHAI, ev, scriptedDay } from '../fixtures/workshop.js';

/** One technician on shift at 09:00 and four customers waiting since 09:00 for `std`-minute jobs. */
function queue(std: number) {
  const p = new Projection(SHANGHAI);
  p.apply([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ...['Q1', 'Q2', 'Q3', 'Q4'].map((jobId) => ev('job.checked_in', L('09:00'), { jobId, plate: `沪A${jobId}`, service: 'maintenance', standardMinutes: std, customerWaiting: true })),
  ]);
  return workshopForecast(p.state, p.ctx, Date.parse(L('09:00')));
}

describe('the staffing forecast', () => {
  it('predicts each queued customer’s wait to completion, with the staff on shift and with more', () => {
    // 30-min jobs, one technician: done after 30, 60, 90, 120 min → average 75, p90 120.
    const f = queue(30);
    expect(f.onShift).toBe(1);
    expect(f.scenarios[0]).toEqual({ extraTechnicians: 0, predictedAverageWaitMin: 75, predictedP90WaitMin: 120 });
    // One more: 30, 30, 60, 60 → 45, on the green line (45 is green).
    expect(f.scenarios[1]).toEqual({ extraTechnicians: 1, predictedAverageWaitMin: 45, predictedP90WaitMin: 60 });
    expect(f.extraTechniciansNeeded).toBe(1);
    expect(f.scenarios).toHaveLength(2);
  });

  it('says when no number of extra technicians brings the wait under the line', () => {
    // 60-min jobs: even with everyone started at once each customer waits 60 > 45.
    const f = queue(60);
    expect(f.scenarios.map((s) => s.predictedAverageWaitMin)).toEqual([150, 90, 75, 60, 60, 60, 60]);
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
