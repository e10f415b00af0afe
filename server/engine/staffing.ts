import type { WorkshopForecast } from '../../shared/forecast.js';
import { percentile } from '../../shared/percentile.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, toIso } from '../../shared/time.js';
import { expectedArrivals } from './appointments.js';
import type { WorkshopContext } from './context.js';
import { BOOKED_ARRIVALS_HOURS, forecastQueue } from './forecast.js';
import { minutes } from './measure.js';
import type { JobRecord, WorkshopState } from './state.js';

/** The most extra technicians the advice considers: beyond that the answer is "call the manager". */
export const MAX_EXTRA_TECHNICIANS = 6;
/** How close to the best still possible counts as "as good as it gets" once the line is crossed. */
export const FLOOR_TOLERANCE_MIN = 5;
/** A technician who cuts the predicted average by less than this is not worth calling in (the closest advice). */
export const WORTH_CALLING_MIN = 1;

/**
 * The lead's view forward (docs/api.md, "Forecasts"): how long the customers waiting on site
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
  const green = ctx.thresholds.averageWait.green;

  // One list scheduling per number of extra technicians, shared by both pieces of advice.
  const runs = new Map<number, QueueRun>();
  const run: RunWith = (extra) => runs.get(extra) ?? runs.set(extra, forecastQueue(s, ctx, now, extra)).get(extra)!;
  const waits = waitAdvice(onSite, run, now, green);
  const promises = promiseAdvice(s, run, onShift);

  const liveWaits = onSite.map((j) => Math.max(0, now - j.checkedInAt) / MINUTE_MS);
  return {
    workshopId: ctx.config.id,
    asOf: toIso(now),
    onShift,
    waitingCustomers: onSite.length,
    queuedCars: [...s.openJobs.values()].filter((j) => j.state === 'waiting').length,
    bookedArrivals: expectedArrivals(s, ctx, -Infinity, now + BOOKED_ARRIVALS_HOURS * HOUR_MS, now).length,
    p90WaitNowMin: liveWaits.length > 0 ? minutes(percentile(liveWaits, 0.9)) : null,
    greenLineMin: green,
    ...waits,
    promiseAdvice: promises.promiseAdvice,
    predictionError: predictionError(s, now),
    promisesAtRisk: promises.promisesAtRisk,
  };
}

type QueueRun = ReturnType<typeof forecastQueue>;
/** The queue's schedule with `extra` more technicians (cached by the caller). */
type RunWith = (extra: number) => QueueRun;

/**
 * The average-wait advice: the predicted wait of the on-site customers still in the queue with
 * 0, 1, 2, … extra technicians, the fewest that bring it under the target, or the closest.
 */
function waitAdvice(
  onSite: readonly JobRecord[],
  run: RunWith,
  now: number,
  green: number,
): Pick<WorkshopForecast, 'bestPossibleAverageWaitMin' | 'targetAverageWaitMin' | 'scenarios' | 'extraTechniciansNeeded' | 'closest'> {
  // More staff changes the wait of the cars still in the queue; those on a bay are done when they are done.
  const waiters = onSite.filter((j) => j.state === 'waiting');
  const scenario = (extra: number) => {
    const f = run(extra);
    const waits = waiters.map((j) => f.starts.get(j.id)).map((t, i) => (t == null ? null : (t - waiters[i]!.checkedInAt) / MINUTE_MS));
    const known = waits.filter((w): w is number => w !== null);
    return {
      extraTechnicians: extra,
      predictedAverageWaitMin: known.length === waiters.length && known.length > 0 ? minutes(known.reduce((a, b) => a + b, 0) / known.length) : null,
      predictedP90WaitMin: known.length === waiters.length && known.length > 0 ? minutes(percentile(known, 0.9)) : null,
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

  // Out of reach within the most considered: the fewest that get as close as staff can
  // ("call in 3: 145 → 94 min"), rather than the most, or nothing at all.
  const known = scenarios.filter((sc) => sc.predictedAverageWaitMin !== null);
  const lowest = known.length ? Math.min(...known.map((sc) => sc.predictedAverageWaitMin!)) : null;
  const closestRun = needed === null && lowest !== null ? known.find((sc) => sc.predictedAverageWaitMin! <= lowest + WORTH_CALLING_MIN)! : null;
  const closest = closestRun && { extraTechnicians: closestRun.extraTechnicians, predictedAverageWaitMin: closestRun.predictedAverageWaitMin! };
  return { bestPossibleAverageWaitMin: floor, targetAverageWaitMin: target, scenarios, extraTechniciansNeeded: needed, closest };
}

/** Every promise the queue will miss with the staff on shift, and how many extra keep the most of them. */
function promiseAdvice(s: WorkshopState, run: RunWith, onShift: number): Pick<WorkshopForecast, 'promisesAtRisk' | 'promiseAdvice'> {
  const promised = [...s.openJobs.values()].filter((j) => j.promisedAt !== null && (j.state === 'waiting' || j.state === 'in_progress' || j.state === 'paused'));
  const missedWith = (extra: number) => promised.filter((j) => (run(extra).done.get(j.id) ?? -Infinity) > j.promisedAt!).length;
  const promisesAtRisk = promised
    .flatMap((j) => {
      const done = run(0).done.get(j.id) ?? null;
      if (done === null || done <= j.promisedAt!) return [];
      return [{ jobId: j.id, plate: j.plate, promisedAt: toIso(j.promisedAt!), predictedDoneAt: toIso(done), lateMin: Math.ceil((done - j.promisedAt!) / MINUTE_MS) }];
    })
    .sort((a, b) => b.lateMin - a.lateMin);

  // Promises count as much as the customers on site: drop-off cars queue too, and a missed
  // promise is a phone call. The fewest extra that keep the most promises (some may be lost whatever).
  let advice: WorkshopForecast['promiseAdvice'] = null;
  if (promisesAtRisk.length > 0 && onShift + MAX_EXTRA_TECHNICIANS > 0) {
    let best = { extraTechnicians: 0, atRiskAfter: promisesAtRisk.length };
    for (let extra = 1; extra <= MAX_EXTRA_TECHNICIANS && best.atRiskAfter > 0; extra++) {
      const after = missedWith(extra);
      if (after < best.atRiskAfter) best = { extraTechnicians: extra, atRiskAfter: after };
    }
    advice = { ...best, atRiskNow: promisesAtRisk.length };
  }
  return { promisesAtRisk, promiseAdvice: advice };
}

/** How far the start predicted at check-in was from the real start, over the last 7 days (the lead's figure, and the customer page's ranges). */
export function predictionError(s: WorkshopState, now: number): WorkshopForecast['predictionError'] {
  const errors = [...s.jobs.values()]
    .filter((j) => j.startedAt !== null && j.predictedStartAtCheckIn !== null && j.startedAt > now - 7 * DAY_MS && j.startedAt <= now)
    .map((j) => (j.startedAt! - j.predictedStartAtCheckIn!) / MINUTE_MS);
  return {
    samples: errors.length,
    medianAbsMin: errors.length ? minutes(percentile(errors.map(Math.abs), 0.5)) : null,
    p90AbsMin: errors.length ? minutes(percentile(errors.map(Math.abs), 0.9)) : null,
    medianSignedMin: errors.length ? minutes(percentile(errors, 0.5)) : null,
  };
}

export { percentile };
