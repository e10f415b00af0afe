import { describe, expect, it } from 'vitest';
import { DEMO_WORKSHOP } from '../../server/config/demo.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { MINUTE_MS, startOfLocalDate } from '../../shared/time.js';
import { workshopConfig } from '../../shared/workshop.js';

/**
 * The brief's weekend-peak story, end to end on the engine: the demo workshop on a Saturday
 * with 2.1× the weekday's cars and a weekday crew of four. The average-wait light leaves green;
 * the lead's forecast recommends more technicians; the lead calls them in; the forecast after
 * the move is what it promised, the waits the customers actually had come down, and the light
 * spends far less of the afternoon red than on the day without them.
 */
const SHOP = workshopConfig.parse(DEMO_WORKSHOP);
const SATURDAY = '2026-11-21';
const CREW = ['T1', 'T4', 'T7', 'T9'];
/** Who can be called in, in the order the lead calls them. */
const POOL = ['T3', 'T6', 'T10', 'T2'];
const dayStart = startOfLocalDate(SATURDAY, SHOP.timezone);
const minute = (m: number) => dayStart + m * MINUTE_MS;

function saturday(seed: number, calledIn = 0, atMinute = 0): PitwallEvent[] {
  return simulateDay({
    config: SHOP,
    date: SATURDAY,
    seed,
    arrivalFactor: 2.1,
    technicianIds: CREW,
    reinforcements: POOL.slice(0, calledIn).map((technicianId) => ({ technicianId, atMinute })),
  });
}

/** The floor at `now`, as the hub would have it. */
function at(day: readonly PitwallEvent[], now: number): Projection {
  const p = new Projection(SHOP);
  p.apply(day.filter((e) => Date.parse(e.at) <= now));
  expect(p.skippedOnReplay).toBe(0);
  return p;
}

/** What the customers queued at `now` actually waited for their turn, on average, in `day`. */
function actualQueueWait(day: readonly PitwallEvent[], queued: readonly string[]): number {
  const p = at(day, minute(24 * 60 - 1));
  const waits = queued.map((id) => {
    const j = p.state.jobs.get(id)!;
    return ((j.startedAt ?? minute(24 * 60)) - j.checkedInAt) / MINUTE_MS;
  });
  return waits.reduce((a, b) => a + b, 0) / waits.length;
}

/** The first moment (every 10 min from 09:00) the light is off green and the forecast asks for more staff. */
function recommendation(seed: number): { m: number; need: number; queued: string[]; promised: number; target: number } | undefined {
  const day = saturday(seed);
  for (let m = 9 * 60; m <= 16 * 60; m += 10) {
    const p = at(day, minute(m));
    const f = workshopForecast(p.state, p.ctx, minute(m));
    const light = p.figures(minute(m)).kpis.averageWait.light;
    if ((light === 'yellow' || light === 'red') && f.extraTechniciansNeeded !== null && f.extraTechniciansNeeded >= 1 && f.extraTechniciansNeeded <= POOL.length) {
      const queued = [...p.state.jobs.values()].filter((j) => j.customerWaiting && j.state === 'waiting').map((j) => j.id);
      return { m, need: f.extraTechniciansNeeded, queued, promised: f.scenarios[f.extraTechniciansNeeded]!.predictedAverageWaitMin!, target: f.targetAverageWaitMin };
    }
  }
  return undefined;
}

describe('the weekend peak, as the brief tells it', () => {
  it('leaves green; the forecast asks for more; the lead calls them in; the queue drains and red comes far less', () => {
    const seed = 7;
    const without = saturday(seed);
    const rec = recommendation(seed)!;
    expect(rec).toBeDefined();

    // The lead calls in the technicians the forecast asked for; until they come it is the same day.
    const withThem = saturday(seed, rec.need, rec.m);
    const before = (d: readonly PitwallEvent[]) => d.filter((e) => Date.parse(e.at) < minute(rec.m));
    expect(before(withThem)).toEqual(before(without));
    // The moment they clock in, before they take a car (the forecast's "+need" is that moment).
    const arrived = new Projection(SHOP);
    arrived.apply(withThem.filter((e) => Date.parse(e.at) < minute(rec.m) || (Date.parse(e.at) === minute(rec.m) && e.type === 'shift.clock_in')));
    const after = workshopForecast(arrived.state, arrived.ctx, minute(rec.m));
    const then = at(without, minute(rec.m));
    expect(after.onShift).toBe(workshopForecast(then.state, then.ctx, minute(rec.m)).onShift + rec.need);
    // The forecast with them on shift is what it promised for "+need" (within 10 %, or 5 min).
    expect(Math.abs(after.scenarios[0]!.predictedAverageWaitMin! - rec.promised)).toBeLessThanOrEqual(Math.max(5, 0.1 * rec.promised));
    expect(after.extraTechniciansNeeded).toBe(0);

    // What the customers in the queue then actually waited: on target with them, over it without.
    expect(actualQueueWait(withThem, rec.queued)).toBeLessThanOrEqual(rec.target);
    expect(actualQueueWait(without, rec.queued)).toBeGreaterThan(rec.target);

    // The rest of the day: the day without them reaches red, the day with them does not.
    const lightsFrom = (d: readonly PitwallEvent[]) => {
      const out: string[] = [];
      for (let m = rec.m; m <= 18 * 60; m += 10) out.push(at(d, minute(m)).figures(minute(m)).kpis.averageWait.light);
      return out;
    };
    const reds = (d: readonly PitwallEvent[]) => lightsFrom(d).filter((l) => l === 'red').length;
    console.info(`red samples (every 10 min) from then to 18:00: ${reds(without)} without, ${reds(withThem)} with them`);
    expect(reds(without)).toBeGreaterThan(0);
    expect(reds(withThem)).toBeLessThanOrEqual(reds(without) / 2);

    // And the day's waits for their turn (history), on average and for the 90th percentile customer.
    const end = minute(21 * 60);
    const day = (d: readonly PitwallEvent[]) => {
      const p = at(d, end);
      return historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: SATURDAY, to: SATURDAY }), SHOP.id, end).rows[0]!.figures;
    };
    const [dayWithout, dayWith] = [day(without), day(withThem)];
    expect(dayWith.averageWait.value!).toBeLessThan(dayWithout.averageWait.value!);
    expect(dayWith.p90WaitMin!).toBeLessThan(dayWithout.p90WaitMin!);
    console.info(
      `seed ${seed}: at ${rec.m / 60} h the forecast asks for ${rec.need} (predicts ${rec.promised} min with them); ` +
        `queue wait of those waiting then: ${actualQueueWait(without, rec.queued).toFixed(0)} → ${actualQueueWait(withThem, rec.queued).toFixed(0)} min; ` +
        `day p90 ${dayWithout.p90WaitMin} → ${dayWith.p90WaitMin} min`,
    );
  });

  /**
   * Brute force: at a moment the forecast asks for more, call in 0, 1, 2, … at that minute,
   * replay the whole day (real job times, pauses, breaks, the cars that arrive after), and take
   * the fewest that kept the queue wait of the customers waiting then on the forecast's target
   * (more than the pool: pool + 1).
   */
  function bruteForce(seed: number, m: number): { need: number; fewest: number }[] {
    const out: { need: number; fewest: number }[] = [];
    for (; m <= 14 * 60; m += 20) {
      const p = at(saturday(seed), minute(m));
      const f = workshopForecast(p.state, p.ctx, minute(m));
      if (f.extraTechniciansNeeded === null || f.extraTechniciansNeeded === 0) continue;
      const queued = [...p.state.jobs.values()].filter((j) => j.customerWaiting && j.state === 'waiting').map((j) => j.id);
      let fewest = POOL.length + 1;
      for (let n = 0; n <= POOL.length && fewest > POOL.length; n++) if (actualQueueWait(saturday(seed, n, m), queued) <= f.targetAverageWaitMin) fewest = n;
      out.push({ need: f.extraTechniciansNeeded, fewest });
    }
    return out;
  }

  it('recommends within one technician of what a brute-force simulation of the same Saturday finds, every time it asks', () => {
    const points = bruteForce(7, 9 * 60);
    expect(points.length).toBeGreaterThanOrEqual(3);
    for (const p of points) expect(Math.abs(p.need - p.fewest), JSON.stringify(p)).toBeLessThanOrEqual(1);
  });

  it('is within one technician at nine in ten such moments over five Saturdays', () => {
    const points = [7, 8, 9, 10, 11].flatMap((seed) => bruteForce(seed, 9 * 60).map((p) => ({ seed, ...p })));
    const misses = points.filter((p) => Math.abs(p.need - p.fewest) > 1);
    console.info(`${points.length} moments, ${misses.length} off by more than one: ${JSON.stringify(misses)}`);
    expect(points.length).toBeGreaterThanOrEqual(10);
    expect(misses.length / points.length).toBeLessThanOrEqual(0.1);
  });
});
