import type { CustomerJobView, CustomerState, TimeRange } from '../../shared/customer-view.js';
import { OPEN_STATES } from '../../shared/jobs.js';
import { MINUTE_MS, toIso } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { forecastQueue, queueOrder, type QueueForecast } from './forecast.js';
import { predictionError } from './staffing.js';
import type { JobRecord, WorkshopState } from './state.js';

/**
 * What a customer's page ("到店提醒", docs/api.md, "The customer's page") shows of one car,
 * from the same list schedule as the lead's forecast (forecast.ts) and its observed error
 * (staffing.ts, `predictionError`). Pure: the caller passes `now`.
 *
 * Ranges: a predicted moment ± the 90th percentile of the start error of the last 7 days
 * (once it has MIN_ERROR_SAMPLES starts; before that ± DEFAULT_SPREAD_MIN), rounded outwards
 * to 5 minutes (a customer reads "10:30–11:00", not "10:37–10:59"), never starting before now.
 */

/** Starts measured before the observed error is trusted for the ranges. */
export const MIN_ERROR_SAMPLES = 5;
/** The ranges' half-width until then: a quarter of an hour either way. */
export const DEFAULT_SPREAD_MIN = 15;
/** A customer on site is told to go and come back only when their turn is at least this far off… */
export const BACK_BY_FAR_MS = 60 * MINUTE_MS;
/** …and to be back this long before the earliest predicted start (parking, finding the desk). */
export const BACK_BY_MARGIN_MS = 20 * MINUTE_MS;
/** Ranges and "back by" are rounded to this. */
const ROUND_MS = 5 * MINUTE_MS;

const floorTo = (t: number) => Math.floor(t / ROUND_MS) * ROUND_MS;
const ceilTo = (t: number) => Math.ceil(t / ROUND_MS) * ROUND_MS;

/** What every view of one workshop at `now` shares: the schedule, the queue and the ranges' width. */
export interface CustomerForecast {
  readonly forecast: QueueForecast;
  /** Waiting job id → cars ahead of it. */
  readonly positions: ReadonlyMap<string, number>;
  readonly spreadMs: number;
}

export function customerForecast(s: WorkshopState, ctx: WorkshopContext, now: number): CustomerForecast {
  const error = predictionError(s, now);
  const spreadMin = error.samples >= MIN_ERROR_SAMPLES && error.p90AbsMin !== null ? error.p90AbsMin : DEFAULT_SPREAD_MIN;
  const queue = queueOrder(s.openJobs.values(), ctx.thresholds.averageWait.green * MINUTE_MS);
  return {
    forecast: forecastQueue(s, ctx, now),
    positions: new Map(queue.map((j, i) => [j.id, i])),
    spreadMs: spreadMin * MINUTE_MS,
  };
}

/** The view of one job, or null when the workshop does not know it (never checked in, or compacted away). */
export function customerView(s: WorkshopState, ctx: WorkshopContext, jobId: string, now: number, shared?: CustomerForecast): CustomerJobView | null {
  const job = s.jobs.get(jobId);
  if (job === undefined) return null;
  // A car off the floor (ready, handed back, cancelled) needs no schedule: none is computed for it.
  return viewOf(job, ctx, now, shared ?? (OPEN_STATES.has(job.state) ? customerForecast(s, ctx, now) : NO_FORECAST));
}

const NO_FORECAST: CustomerForecast = { forecast: { starts: new Map(), done: new Map() }, positions: new Map(), spreadMs: 0 };

/**
 * The views of every job a customer may still be waiting on (not delivered or cancelled), by
 * job id, from one schedule: what the notifications diff from one change to the next.
 */
export function customerViews(s: WorkshopState, ctx: WorkshopContext, now: number): Map<string, CustomerJobView> {
  const shared = customerForecast(s, ctx, now);
  const views = new Map<string, CustomerJobView>();
  for (const job of s.jobs.values()) if (job.state !== 'delivered' && job.state !== 'cancelled') views.set(job.id, viewOf(job, ctx, now, shared));
  return views;
}

/** A customer link stops opening this long after delivery or cancellation (docs/security.md, "The customer's link"). */
export function customerLinkExpired(job: Pick<JobRecord, 'deliveredAt' | 'cancelledAt'>, now: number, ttlMs: number): boolean {
  const closedAt = job.deliveredAt ?? job.cancelledAt;
  return closedAt !== null && now >= closedAt + ttlMs;
}

function viewOf(job: JobRecord, ctx: WorkshopContext, now: number, f: CustomerForecast): CustomerJobView {
  const state = customerStateOf(job);
  const start = job.state === 'waiting' ? (f.forecast.starts.get(job.id) ?? null) : null;
  // Paused for parts or approval: nobody knows when it resumes, so no ready time is made up.
  const done = job.state === 'waiting' || job.state === 'in_progress' ? (f.forecast.done.get(job.id) ?? null) : null;
  const predictedStart = start === null ? null : range(start - f.spreadMs, start + f.spreadMs, now);
  // On a bay the start is known: only overrunning can move the end, so the range opens late.
  const predictedReady = done === null ? null : job.state === 'waiting' ? range(done - f.spreadMs, done + f.spreadMs, now) : range(done, done + f.spreadMs, now);
  const onBay = job.state === 'in_progress' || job.state === 'paused' || job.state === 'completed';
  const technician = onBay && job.technicianId !== null ? ctx.config.technicians.find((t) => t.id === job.technicianId) : undefined;
  return {
    workshopName: ctx.config.name,
    plateMasked: maskPlate(job.plate),
    service: job.service,
    state,
    queuePosition: job.state === 'waiting' ? (f.positions.get(job.id) ?? null) : null,
    predictedStart,
    predictedReady,
    promisedAt: job.promisedAt === null ? null : toIso(job.promisedAt),
    promiseAtRisk: job.promisedAt !== null && done !== null && done > job.promisedAt,
    customerWaiting: job.customerWaiting,
    backBy: backBy(job, predictedStart, now),
    technicianGivenName: technician === undefined ? null : givenName(technician.name),
    asOf: toIso(now),
  };
}

function customerStateOf(job: JobRecord): CustomerState {
  switch (job.state) {
    case 'paused':
      return job.pauseReason === 'parts' ? 'waiting_for_parts' : 'paused';
    case 'completed':
      return 'ready';
    default:
      return job.state;
  }
}

function range(earliest: number, latest: number, now: number): TimeRange {
  return { earliest: toIso(floorTo(Math.max(now, earliest))), latest: toIso(ceilTo(Math.max(now, latest))) };
}

/** A customer waiting on site whose turn is far: back by the earliest start less the margin. */
function backBy(job: JobRecord, start: TimeRange | null, now: number): string | null {
  if (!job.customerWaiting || start === null) return null;
  const earliest = Date.parse(start.earliest);
  return earliest - now >= BACK_BY_FAR_MS ? toIso(floorTo(earliest - BACK_BY_MARGIN_MS)) : null;
}

/**
 * The plate with all but its first two characters and its last one hidden ("沪A·····5"): the
 * customer recognises their car, a passer-by reading the phone learns nothing. Four characters
 * or fewer keep only the first.
 */
export function maskPlate(plate: string): string {
  const chars = [...plate.replace(/\s+/g, '')];
  if (chars.length <= 4) return chars[0] + '·'.repeat(Math.max(1, chars.length - 1));
  return chars.slice(0, 2).join('') + '·'.repeat(chars.length - 3) + chars.at(-1);
}

const HAN = /^\p{Script=Han}+$/u;

/**
 * A technician's given name from the config's `name`, never the surname: "Surname Given"
 * (the config's convention, "Zhao Lei") gives everything after the first word ("Lei"); one
 * word of Chinese characters ("赵磊") drops its first character, the surname (a two-character
 * surname such as 欧阳 would leave its second: write those names with a space, "欧阳 明");
 * one word of anything else could be either name, so nothing is shown.
 */
export function givenName(name: string): string | null {
  const words = name.trim().split(/\s+/);
  if (words.length >= 2) return words.slice(1).join(' ');
  const chars = [...words[0]!];
  return HAN.test(words[0]!) && chars.length >= 2 ? chars.slice(1).join('') : null;
}
