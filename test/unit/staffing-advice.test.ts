import { describe, expect, it } from 'vitest';
import { Projection } from '../../server/engine/projection.js';
import { staffingPlan } from '../../server/engine/staffing-plan.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * Issue 12, item 4: the advice names the fewest technicians that reach the target, or else the
 * fewest that get as close as staff can; drop-off cars and promises count; the next hours say
 * when there is too little history instead of printing zeros.
 */
const DAY_MS = 24 * 60 * 60_000;

function forecastOf(events: Parameters<Projection['apply']>[0], at = '09:00') {
  const p = new Projection(SHANGHAI);
  p.apply(events);
  return workshopForecast(p.state, p.ctx, Date.parse(L(at)));
}

const clockIn = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' });

describe('the staffing advice', () => {
  it('names the fewest extra technicians that get as close as staff can when the target is out of reach', () => {
    // Twelve 60-min jobs on three bays: 330, 150, then 90 whatever comes (three at a time).
    const f = forecastOf([clockIn, ...Array.from({ length: 12 }, (_, i) => ev('job.checked_in', L('09:00'), { jobId: `Q${i}`, plate: `沪A${i}`, service: 'maintenance', standardMinutes: 60, customerWaiting: true }))]);
    expect(f.scenarios.map((s) => s.predictedAverageWaitMin)).toEqual([330, 150, 90, 90, 90, 90, 90]);
    expect(f.extraTechniciansNeeded).toBeNull();
    // Two more give the 90 that six more give: call in two, not "even six would not".
    expect(f.closest).toEqual({ extraTechnicians: 2, predictedAverageWaitMin: 90 });
  });

  it('has no closest when the target is reachable', () => {
    const f = forecastOf([clockIn, ...Array.from({ length: 4 }, (_, i) => ev('job.checked_in', L('09:00'), { jobId: `Q${i}`, plate: `沪A${i}`, service: 'maintenance', standardMinutes: 40, customerWaiting: true }))]);
    expect(f.extraTechniciansNeeded).toBe(1);
    expect(f.closest).toBeNull();
  });

  it('counts drop-off cars and their promises: twelve queued with no customer on site is not "nothing to add"', () => {
    // One technician, twelve 60-min drop-offs promised for 12:00: one at a time, nine are late.
    const f = forecastOf([
      clockIn,
      ...Array.from({ length: 12 }, (_, i) =>
        ev('job.checked_in', L('09:00'), { jobId: `D${i}`, plate: `沪D${i}`, service: 'repair', standardMinutes: 60, customerWaiting: false, promisedAt: L('12:00') }),
      ),
    ]);
    expect(f.waitingCustomers).toBe(0);
    expect(f.queuedCars).toBe(12);
    expect(f.promisesAtRisk).toHaveLength(9);
    // Three bays, so at most nine done by 12:00: two more (three on three bays) keep the most.
    expect(f.promiseAdvice).toEqual({ extraTechnicians: 2, atRiskNow: 9, atRiskAfter: 3 });
  });

  it('keeps every promise with the fewest that can', () => {
    const f = forecastOf([
      clockIn,
      ...Array.from({ length: 3 }, (_, i) => ev('job.checked_in', L('09:00'), { jobId: `D${i}`, plate: `沪D${i}`, service: 'repair', standardMinutes: 60, customerWaiting: false, promisedAt: L('10:00') })),
    ]);
    expect(f.promiseAdvice).toEqual({ extraTechnicians: 2, atRiskNow: 2, atRiskAfter: 0 });
  });

  it('has no promise advice when every promise holds', () => {
    const f = forecastOf([clockIn, ev('job.checked_in', L('09:00'), { jobId: 'D0', plate: '沪D0', service: 'repair', standardMinutes: 60, customerWaiting: false, promisedAt: L('17:00') })]);
    expect(f.queuedCars).toBe(1);
    expect(f.promiseAdvice).toBeNull();
  });
});

describe('the next hours on short history', () => {
  /** Six check-ins at 10:xx on each of the past `weeks` Saturdays, then today (a Saturday) at 09:00. */
  function saturdays(weeks: number, extraDaysBack = 0) {
    const now = Date.parse(L('09:00'));
    const log = [];
    for (let w = 1; w <= weeks; w++) {
      for (let k = 0; k < 6; k++) {
        const at = new Date(Date.parse(L(`10:${k}0`)) - w * 7 * DAY_MS).toISOString();
        log.push(ev('job.checked_in', at, { jobId: `H${w}-${k}`, plate: `沪H${w}${k}`, service: 'maintenance', standardMinutes: 20, customerWaiting: true }), ev('job.cancelled', at, { jobId: `H${w}-${k}` }));
      }
    }
    if (extraDaysBack) log.unshift(ev('shift.clock_in', new Date(now - extraDaysBack * DAY_MS).toISOString(), { technicianId: 'T2' }), ev('shift.clock_out', new Date(now - extraDaysBack * DAY_MS + 60_000).toISOString(), { technicianId: 'T2' }));
    log.push(clockIn);
    const p = new Projection(SHANGHAI);
    p.apply(log);
    return staffingPlan(p.arrivals, p.state, p.ctx, now, 2);
  }

  it('takes the mean over the weeks it has, not over four', () => {
    const plan = saturdays(1);
    expect(plan.weeksOfHistory).toBe(1);
    expect(plan.historyDays).toBe(7);
    // Six cars in the 10:00 hour last Saturday: six expected, not 1.5.
    expect(plan.hours.find((h) => h.from === new Date(Date.parse(L('10:00'))).toISOString())?.expectedArrivals).toBe(6);
  });

  it('estimates nothing on less than a week, and says how much it has', () => {
    const plan = saturdays(0, 3);
    expect(plan).toMatchObject({ weeksOfHistory: 0, historyDays: 3, weeksNeeded: 1, hours: [] });
  });

  it('reads four weeks at most', () => {
    expect(saturdays(4, 60)).toMatchObject({ weeksOfHistory: 4, historyDays: 28 });
  });
});
