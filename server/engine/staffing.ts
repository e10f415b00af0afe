import type { WorkshopForecast } from '../../shared/forecast.js';
import { percentile } from '../../shared/percentile.js';
import { DAY_MS, MINUTE_MS, toIso } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { forecastQueue } from './forecast.js';
import { minutes } from './measure.js';
import type { WorkshopState } from './state.js';

/** The most extra technicians the advice considers: beyond that the answer is "call the manager". */
export const MAX_EXTRA_TECHNICIANS = 6;
/** How close to the best still possible counts as "as good as it gets" once the line is crossed. */
export const FLOOR_TOLERANCE_MIN = 5;

/**
 * The lead's view forward (BRIEF.md, "Forecasts"): how long the customers waiting on site
 * whose car is still in the queue will have waited for their turn (check-in to predicted
 * start), on average and at the 90th percentile, with the technicians on shift now and with
 * 1, 2, … more. The queue wait, not check-in to completion: it is what more staff changes
 * (a 2-hour repair takes 2 hours however many are on shift) and what the brief's lead hears
 * ("the queue will wait ~110 min; one more technician brings it to ~40"); the fewest extra technicians that bring the
 * average under the average-wait green line; and every promise the queue will miss.
 *
 * Deterministic list scheduling of the cars already here (forecast.ts), not a queueing model
 * of future arrivals: it answers "what does the queue in front of us need now". It assumes
 * every technician can take every job, jobs take their standard time, and paused jobs resume now.
 */
export function workshopForecast(s: WorkshopState, ctx: WorkshopContext, now: number): WorkshopForecast {
  const onShift = [...s.technicians.values()].filter((t) => t.status === 'on_shift' && ctx.technicianIds.has(t.id)).length;
  const onSite = [...s.openJobs.values()].filter((j) => j.customerWaiting && (j.state === 'waiting' || j.state === 'in_progress' || j.state === 'paused'));
  // More staff changes the wait of the cars still in the queue; those on a bay are done when they are done.
  const waiters = onSite.filter((j) => j.state === 'waiting');
  const green = ctx.thresholds.averageWait.green;

  const scenario = (extra: number) => {
    const f = forecastQueue(s, ctx, now, extra);
    const waits = waiters.map((j) => f.starts.get(j.id)).map((t, i) => (t == null ? null : (t - waiters[i]!.checkedInAt) / MINUTE_MS));
    const known = waits.filter((w): w is number => w !== null);
    return {
      extraTechnicians: extra,
      predictedAverageWaitMin: known.length === waiters.length && known.length > 0 ? minutes(known.reduce((a, b) => a + b, 0) / known.length) : null,
      predictedP90WaitMin: known.length === waiters.length && known.length > 0 ? minutes(percentile(known, 0.9)) : null,
      forecast: f,
    };
  };

  // Once the queue has waited past the line, no staff can undo that: the target becomes the
  // best still possible (every queued car started now) plus a few minutes, so the advice is
  // there exactly when the light is red, instead of "not even with 6".
  const floor = waiters.length > 0 ? minutes(waiters.reduce((a, j) => a + (now - j.checkedInAt) / MINUTE_MS, 0) / waiters.length) : null;
  const target = floor === null ? green : Math.max(green, floor + FLOOR_TOLERANCE_MIN);
  const base = scenario(0);
  const scenarios = [base];
  let needed: number | null = base.predictedAverageWaitMin !== null && base.predictedAverageWaitMin <= target ? 0 : null;
  for (let extra = 1; extra <= MAX_EXTRA_TECHNICIANS && needed === null && waiters.length > 0; extra++) {
    const sc = scenario(extra);
    scenarios.push(sc);
    if (sc.predictedAverageWaitMin !== null && sc.predictedAverageWaitMin <= target) needed = extra;
  }

  const promisesAtRisk = [...s.openJobs.values()]
    .filter((j) => j.promisedAt !== null && (j.state === 'waiting' || j.state === 'in_progress' || j.state === 'paused'))
    .flatMap((j) => {
      const done = base.forecast.done.get(j.id) ?? null;
      if (done === null || done <= j.promisedAt!) return [];
      return [{ jobId: j.id, plate: j.plate, promisedAt: toIso(j.promisedAt!), predictedDoneAt: toIso(done), lateMin: Math.ceil((done - j.promisedAt!) / MINUTE_MS) }];
    })
    .sort((a, b) => b.lateMin - a.lateMin);

  const errors = [...s.jobs.values()]
    .filter((j) => j.startedAt !== null && j.predictedStartAtCheckIn !== null && j.startedAt > now - 7 * DAY_MS && j.startedAt <= now)
    .map((j) => (j.startedAt! - j.predictedStartAtCheckIn!) / MINUTE_MS);
  const predictionError = {
    samples: errors.length,
    medianAbsMin: errors.length ? minutes(percentile(errors.map(Math.abs), 0.5)) : null,
    p90AbsMin: errors.length ? minutes(percentile(errors.map(Math.abs), 0.9)) : null,
    medianSignedMin: errors.length ? minutes(percentile(errors, 0.5)) : null,
  };

  const liveWaits = onSite.map((j) => Math.max(0, now - j.checkedInAt) / MINUTE_MS);
  return {
    workshopId: ctx.config.id,
    asOf: toIso(now),
    onShift,
    waitingCustomers: onSite.length,
    p90WaitNowMin: liveWaits.length > 0 ? minutes(percentile(liveWaits, 0.9)) : null,
    greenLineMin: green,
    bestPossibleAverageWaitMin: floor,
    targetAverageWaitMin: target,
    scenarios: scenarios.map(({ extraTechnicians, predictedAverageWaitMin, predictedP90WaitMin }) => ({ extraTechnicians, predictedAverageWaitMin, predictedP90WaitMin })),
    extraTechniciansNeeded: needed,
    predictionError,
    promisesAtRisk,
  };
}

export { percentile };
