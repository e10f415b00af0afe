import { describe, expect, it } from 'vitest';
import { forecastQueue } from '../../server/engine/forecast.js';
import { Projection } from '../../server/engine/projection.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { PitwallEvent } from '../../shared/events.js';
import { BUSY_SHAPE, workshopConfigFor } from '../../bench/lib/traffic.js';

/**
 * The start a car is told at check-in is computed for that car alone (the schedule stops at
 * it, and skips what only the full forecast reports). It must be exactly the start the full
 * list schedule gives the same car at the same moment, on every check-in of busy days, long
 * queues, high-voltage work and team rules included.
 */
describe("a check-in's predicted start", () => {
  it('equals the full forecast at that moment, on every check-in of a week of busy days', () => {
    const config = { ...workshopConfigFor(0, BUSY_SHAPE), serviceTeams: { bodywork: 'g2' } };
    const p = new Projection(config);
    let compared = 0;
    let queued = 0;
    for (let d = 0; d < 7; d++) {
      const date = new Date(Date.UTC(2026, 10, 2 + d)).toISOString().slice(0, 10);
      // Twice the weekend's arrivals: queues far longer than the floor can work off.
      for (const e of simulateDay({ config, date, seed: 40 + d, arrivalFactor: 2 * BUSY_SHAPE.arrivalFactor }) as PitwallEvent[]) {
        p.apply([e]);
        if (e.type !== 'job.checked_in') continue;
        const at = Date.parse(e.at);
        const job = p.state.jobs.get(e.jobId)!;
        // The full schedule on the state just after the check-in (the stored prediction changes nothing it reads).
        const full = forecastQueue(p.state, p.ctx, at).starts.get(e.jobId) ?? null;
        expect(job.predictedStartAtCheckIn, `${e.jobId} at ${e.at}`).toBe(full);
        compared++;
        queued += [...p.state.openJobs.values()].filter((j) => j.state === 'waiting').length;
      }
    }
    expect(compared).toBeGreaterThan(400);
    // Long queues were part of it.
    expect(queued / compared).toBeGreaterThan(5);
  });
});
