import { describe, expect, it } from 'vitest';
import { Projection } from '../../server/engine/projection.js';
import { staffingPlan } from '../../server/engine/staffing-plan.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import { workshopConfig } from '../../shared/workshop.js';
import { SHANGHAI, ev } from '../fixtures/workshop.js';

/** A shop whose customers accept up to 90 min: with ~45-min jobs on site, a line staffing can meet. */
const SHOP = workshopConfig.parse({ ...SHANGHAI, thresholds: { averageWait: { green: 90, yellow: 120 } } });

/** Four past Saturdays of a busy shop, then the fifth at 09:00 with only T1 on shift. */
function fiveSaturdays() {
  const past = ['2026-10-24', '2026-10-31', '2026-11-07', '2026-11-14'].flatMap((date, i) => simulateDay({ config: SHOP, date, seed: 100 + i, arrivalFactor: 2.1 }));
  const now = Date.parse('2026-11-21T09:00:00+08:00');
  const today = [ev('shift.clock_in', '2026-11-21T08:00:00+08:00', { technicianId: 'T1' })];
  const log = [...past, ...today];
  const p = new Projection(SHOP);
  p.apply(log);
  return { log, p, now, past };
}

describe('staffing for the hours ahead', () => {
  it('expects the mean arrivals of the same weekday and hour over four weeks', () => {
    const { log, p, now, past } = fiveSaturdays();
    const plan = staffingPlan(p.arrivals, p.state, p.ctx, now, 3);
    expect(plan.hours.map((h) => h.from)).toEqual(['2026-11-21T02:00:00.000Z', '2026-11-21T03:00:00.000Z', '2026-11-21T04:00:00.000Z']);
    // Counted by hand from the simulated weeks: check-ins between 10:00 and 11:00 local, ÷ 4.
    const tenToEleven = past.filter((e) => e.type === 'job.checked_in' && new Date(Date.parse(e.at) + 8 * 3_600_000).getUTCHours() === 10).length;
    expect(plan.hours[0]!.expectedArrivals).toBe(Math.round((tenToEleven / 4) * 10) / 10);
    expect(plan.onShift).toBe(1);
    expect(plan.assumptions).toMatch(/Erlang C/);
    expect(plan.assumptions).toContain('over the last 4 weeks');
  });

  it('asks for more technicians than one when a Saturday morning peak is coming, and says one cannot keep up', () => {
    const { log, p, now } = fiveSaturdays();
    const first = staffingPlan(p.arrivals, p.state, p.ctx, now, 1).hours[0]!;
    expect(first.expectedArrivals).toBeGreaterThan(3);
    expect(first.techniciansNeeded).toBeGreaterThan(2);
    // One technician against several cars an hour: the queue grows without end.
    expect(first.predictedAverageWaitMinWithOnShift).toBeNull();
  });

  it('needs nobody for an hour nobody comes, and says nothing without history', () => {
    const { log, p } = fiveSaturdays();
    const night = staffingPlan(p.arrivals, p.state, p.ctx, Date.parse('2026-11-21T01:30:00+08:00'), 1).hours[0]!;
    expect(night).toMatchObject({ expectedArrivals: 0, techniciansNeeded: 0, predictedAverageWaitMinWithOnShift: null });
    const empty = new Projection(SHOP);
    const none = staffingPlan(empty.arrivals, empty.state, empty.ctx, Date.parse('2026-11-21T09:00:00+08:00'), 1);
    expect(none).toMatchObject({ meanStandardMin: null, weeksOfHistory: 0, hours: [] });
    // Never "over the last 0 weeks" (issue 12, item 4): says there is no history yet.
    expect(none.assumptions).not.toMatch(/\b0 weeks/);
    expect(none.assumptions).toContain('none yet: it needs 1 full week');
  });
});
