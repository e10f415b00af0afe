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
 * The brief's weekend-peak story, end to end on the engine: a Saturday with 2.1× the weekday's
 * cars and the weekday's crew. The average-wait light turns yellow, then red; the lead's
 * forecast shows what more staff would do; the lead calls in two technicians; the forecast
 * after the move matches what it promised, and the waits the customers actually had come down.
 */
const SHOP = workshopConfig.parse(DEMO_WORKSHOP);
const SATURDAY = '2026-11-21';
const CREW = ['T1', 'T2', 'T4', 'T5', 'T7', 'T9'];
const CALLED_IN = ['T3', 'T6'];
const dayStart = startOfLocalDate(SATURDAY, SHOP.timezone);

function saturday(reinforcedAt?: number): PitwallEvent[] {
  return simulateDay({
    config: SHOP,
    date: SATURDAY,
    seed: 7,
    arrivalFactor: 2.1,
    technicianIds: CREW,
    ...(reinforcedAt !== undefined && { reinforcements: CALLED_IN.map((technicianId) => ({ technicianId, atMinute: reinforcedAt })) }),
  });
}

/** Plays the day up to `now`, as the hub would have it. */
function at(day: readonly PitwallEvent[], now: number): Projection {
  const p = new Projection(SHOP);
  p.apply(day.filter((e) => Date.parse(e.at) <= now));
  expect(p.skippedOnReplay).toBe(0);
  return p;
}

describe('the weekend peak, as the brief tells it', () => {
  it('goes yellow then red; the lead calls in two technicians; predicted and actual waits come down', () => {
    const without = saturday();
    // The light through the morning, every 10 minutes.
    const lights: { minute: number; light: string }[] = [];
    for (let m = 8 * 60; m <= 14 * 60; m += 10) {
      const now = dayStart + m * MINUTE_MS;
      lights.push({ minute: m, light: at(without, now).figures(now).kpis.averageWait.light });
    }
    const firstYellow = lights.find((l) => l.light === 'yellow')!;
    const firstRed = lights.find((l) => l.light === 'red')!;
    expect(firstYellow.minute).toBeLessThan(firstRed.minute);

    // At the first red the lead reads the forecast: what one, two, three more would do.
    const redAt = dayStart + firstRed.minute * MINUTE_MS;
    const before = workshopForecast(at(without, redAt).state, at(without, redAt).ctx, redAt);
    const wait = (extra: number) => before.scenarios.find((s) => s.extraTechnicians === extra)!.predictedAverageWaitMin!;
    expect(before.onShift).toBeGreaterThanOrEqual(5);
    expect(wait(2)).toBeLessThan(wait(0) * 0.85);

    // The lead calls two in; until they arrive the day is the same day.
    const withThem = saturday(firstRed.minute);
    const upToRed = (d: readonly PitwallEvent[]) => d.filter((e) => Date.parse(e.at) < redAt);
    expect(upToRed(withThem)).toEqual(upToRed(without));
    const after = workshopForecast(at(withThem, redAt).state, at(withThem, redAt).ctx, redAt);
    expect(after.onShift).toBe(before.onShift + 2);
    // What the forecast promised for "+2" is, within 10 %, what it predicts with them on shift
    // (the two called in are real people with teams; the "what if" ones were anyone).
    expect(Math.abs(after.scenarios[0]!.predictedAverageWaitMin! - wait(2))).toBeLessThanOrEqual(0.1 * wait(2));

    // What the customers actually had: the live average wait through the afternoon, and the
    // day's waits for their turn (history), are lower with the two called in.
    const afternoon = (day: readonly PitwallEvent[]) => {
      let sum = 0;
      let n = 0;
      for (let m = firstRed.minute + 60; m <= 17 * 60; m += 15) {
        const now = dayStart + m * MINUTE_MS;
        sum += at(day, now).figures(now).kpis.averageWait.value ?? 0;
        n++;
      }
      return sum / n;
    };
    const liveWithout = afternoon(without);
    const liveWith = afternoon(withThem);
    expect(liveWith).toBeLessThan(liveWithout * 0.95);
    const endOfDay = dayStart + 21 * 60 * MINUTE_MS;
    const dayFigures = (day: readonly PitwallEvent[]) => {
      const p = at(day, endOfDay);
      return historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: SATURDAY, to: SATURDAY }), SHOP.id, endOfDay).rows[0]!.figures;
    };
    const [dayWithout, dayWith] = [dayFigures(without), dayFigures(withThem)];
    expect(dayWith.averageWait.value!).toBeLessThan(dayWithout.averageWait.value!);
    expect(dayWith.p90WaitMin!).toBeLessThan(dayWithout.p90WaitMin!);
    // For the record of the run (visible with --reporter=verbose).
    console.info(
      `first yellow ${firstYellow.minute / 60} h, first red ${firstRed.minute / 60} h; predicted wait ${wait(0)} → +2: ${wait(2)} min; ` +
        `afternoon live average ${liveWithout.toFixed(0)} → ${liveWith.toFixed(0)} min; day queue wait avg ${dayWithout.averageWait.value} → ${dayWith.averageWait.value}, p90 ${dayWithout.p90WaitMin} → ${dayWith.p90WaitMin}`,
    );
  });
});
