import { MINUTE_MS } from '../../shared/time.js';
import { DAMAGED_BATTERY_LEVEL, HV_JOB_LEVEL } from '../../shared/workshop.js';
import type { WorkshopContext } from './context.js';
import { expectedArrivals } from './appointments.js';
import { workedMs } from './measure.js';
import type { JobRecord, WorkshopState } from './state.js';

/**
 * Predicted start time of every waiting job (the KPI article's "arrival reminder"), by list
 * scheduling: each technician on shift is free once the remaining standard time of the job
 * they are running has passed (a job already over its standard is taken to end now); the
 * queue (`queueOrder`) goes one job at a time to whoever is free first, at a free bay. Nobody
 * on shift → no prediction (null), never a made-up time.
 *
 * High-voltage jobs go only to technicians qualified for them (level 2; a damaged battery
 * level 3, and only to an isolation bay), and a service the config maps to a team
 * (`serviceTeams`) only to that team's technicians (nobody eligible on shift → null). An
 * isolation bay is kept for damaged batteries: the forecast never gives it to other work
 * (a car with a damaged battery may come in any time and must not wait in the car park).
 * Jobs take their standard time.
 */

/**
 * Booked cars due within this many hours are in the queue (issue 15): they arrive at their slot
 * and take their turn like a car already here, so a waiting car behind them is told the truth.
 */
export const BOOKED_ARRIVALS_HOURS = 4;

/** A drop-off with no promised time can wait this long after check-in before it is late. */
export const DROP_OFF_SLACK_MS = 4 * 60 * MINUTE_MS;

/**
 * The latest moment a car can start and still be on time: a promised car, its promise less
 * its standard time; a customer waiting on site, check-in plus the average-wait green line
 * (their implicit promise); a drop-off without a promise, check-in plus 4 hours. Promised
 * times come first wherever they are tighter; a customer on site is never starved by
 * drop-offs promised for the evening (which "promises first, then arrival" did on a busy day).
 */
export function latestStart(j: Pick<JobRecord, 'promisedAt' | 'standardMinutes' | 'customerWaiting' | 'checkedInAt'>, waiterSlackMs: number): number {
  if (j.promisedAt !== null) return j.promisedAt - j.standardMinutes * MINUTE_MS;
  return j.checkedInAt + (j.customerWaiting ? waiterSlackMs : DROP_OFF_SLACK_MS);
}

/** The queue, most urgent first (earliest latest start; then check-in, then id). */
export function queueOrder(jobs: Iterable<JobRecord>, waiterSlackMs: number, upTo?: JobRecord): JobRecord[] {
  // Keys computed once per job, not once per comparison (this runs at every check-in).
  type Keyed = { job: JobRecord; key: number };
  const before = (a: Keyed, b: Keyed) => a.key - b.key || a.job.checkedInAt - b.job.checkedInAt || (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0);
  // With `upTo`, only the jobs that come before it (and it): the rest cannot change its turn.
  const last: Keyed | null = upTo === undefined ? null : { job: upTo, key: latestStart(upTo, waiterSlackMs) };
  const keyed: Keyed[] = [];
  for (const job of jobs) {
    if (job.state !== 'waiting') continue;
    const k = { job, key: latestStart(job, waiterSlackMs) };
    if (last === null || before(k, last) <= 0) keyed.push(k);
  }
  keyed.sort(before);
  return keyed.map((k) => k.job);
}

export interface QueueForecast {
  /** Waiting jobs: when a technician is predicted to start them (null: nobody on shift). */
  starts: Map<string, number | null>;
  /** Open jobs: when they are predicted to be done (waiting: start + standard; running or paused: now + remaining standard). */
  done: Map<string, number | null>;
}

/** Every waiting job's predicted start and every open job's predicted end (forecastQueue's view of listSchedule). */
export function forecastQueue(s: WorkshopState, ctx: WorkshopContext, now: number, extraTechnicians = 0): QueueForecast {
  const starts = new Map<string, number | null>();
  const done = new Map<string, number | null>();
  for (const job of s.openJobs.values()) if (job.state === 'in_progress' || job.state === 'paused') done.set(job.id, now + remainingMs(job, now));
  listSchedule(s, ctx, now, extraTechnicians, undefined, (job, start, end) => {
    starts.set(job.id, start);
    done.set(job.id, end);
  });
  return { starts, done };
}

export function predictStarts(s: WorkshopState, ctx: WorkshopContext, now: number): Map<string, number | null> {
  return forecastQueue(s, ctx, now).starts;
}

/**
 * One waiting job's predicted start (what the car's check-in is told): the same schedule,
 * stopped at that job, and keeping nothing but its start (this runs at every check-in).
 */
export function predictStart(s: WorkshopState, ctx: WorkshopContext, now: number, jobId: string): number | null {
  const target = s.openJobs.get(jobId);
  if (target?.state !== 'waiting') return null;
  let start: number | null = null;
  listSchedule(s, ctx, now, 0, target, (job, at) => {
    if (job === target) start = at;
  });
  return start;
}

/**
 * The list schedule, optionally with `extraTechnicians` more on shift (free now): the "what
 * if" behind the lead's staffing advice. Calls `scheduled` for each waiting job in queue
 * order with its start and end (null: nobody eligible on shift, or no bay for it); with
 * `until`, only the jobs up to it (the rest of the queue cannot change its start).
 */
function listSchedule(
  s: WorkshopState,
  ctx: WorkshopContext,
  now: number,
  extraTechnicians: number,
  until: JobRecord | undefined,
  scheduled: (job: JobRecord, start: number | null, end: number | null) => void,
): void {
  // When each technician on shift is free next, and whether they may take high-voltage work.
  const freeAt: number[] = [];
  const levels: number[] = [];
  const teams: (string | null)[] = [];
  const runningByTech = new Map<string, JobRecord>();
  for (const job of s.openJobs.values()) if (job.state === 'in_progress' && job.technicianId !== null) runningByTech.set(job.technicianId, job);
  for (const t of s.technicians.values()) {
    if (t.status !== 'on_shift' || !ctx.technicianIds.has(t.id)) continue;
    const job = runningByTech.get(t.id);
    freeAt.push(now + (job ? remainingMs(job, now) : 0));
    levels.push(ctx.hvLevels.get(t.id) ?? 0);
    teams.push(t.team);
  }
  // "What if" staff are general technicians: high-voltage work still waits for the qualified.
  for (let i = 0; i < extraTechnicians; i++) {
    freeAt.push(now);
    levels.push(0);
    teams.push(null);
  }
  // A technician needs a bay: a bay is free now, or when the job holding it is done (a paused
  // job keeps its bay). More technicians than bays only queue for the bays.
  const bayFreeAt = ctx.config.bays.map((b) => {
    const holder = s.bayHolders.get(b.id);
    const job = holder === undefined ? undefined : s.openJobs.get(holder);
    return job && (job.state === 'in_progress' || job.state === 'paused') ? now + remainingMs(job, now) : now;
  });
  const { bayHv, bayIsolation } = ctx;
  const booked = bookedJobs(s, ctx, now);
  const queue = booked.size === 0 ? s.openJobs.values() : [...s.openJobs.values(), ...booked];
  for (const job of queueOrder(queue, ctx.thresholds.averageWait.green * MINUTE_MS, until)) {
    let bay = -1;
    for (let b = 0; b < bayFreeAt.length; b++) {
      if (job.highVoltage && !bayHv[b]) continue;
      // A damaged battery only on an isolation bay, and an isolation bay only for a damaged battery.
      if (job.damagedBattery !== bayIsolation[b]) continue;
      // An ordinary job leaves the high-voltage bay to high-voltage work while another bay is as free.
      if (bay < 0 || bayFreeAt[b]! < bayFreeAt[bay]! || (bayFreeAt[b] === bayFreeAt[bay] && bayHv[bay] && !bayHv[b])) bay = b;
    }
    let best = -1;
    const team = ctx.config.serviceTeams?.[job.service];
    const level = job.damagedBattery ? DAMAGED_BATTERY_LEVEL : job.highVoltage ? HV_JOB_LEVEL : 0;
    for (let i = 0; i < freeAt.length; i++) {
      if (levels[i]! < level) continue;
      // A "what if" technician (team null) may join whichever team needs them.
      if (team !== undefined && teams[i] !== null && teams[i] !== team) continue;
      if (best < 0 || freeAt[i]! < freeAt[best]!) best = i;
    }
    const isBooked = booked.has(job);
    if (best < 0 || bay < 0) {
      if (!isBooked) scheduled(job, null, null);
    } else {
      // A booked car cannot start before it is here.
      const start = Math.max(freeAt[best]!, bayFreeAt[bay]!, isBooked ? job.checkedInAt : -Infinity);
      freeAt[best] = bayFreeAt[bay] = start + job.standardMinutes * MINUTE_MS;
      if (!isBooked) scheduled(job, start, freeAt[best]!);
    }
    if (job === until) return;
  }
}

/**
 * The booked cars due in the next BOOKED_ARRIVALS_HOURS as waiting jobs that "check in" at
 * their slot (or now, when the slot has just passed inside the no-show time). Never reported
 * by `scheduled`: they only take technicians' time from the cars behind them.
 */
function bookedJobs(s: WorkshopState, ctx: WorkshopContext, now: number): Set<JobRecord> {
  const out = new Set<JobRecord>();
  if (s.bookedAppointments.size === 0) return out;
  for (const a of expectedArrivals(s, ctx, -Infinity, now + BOOKED_ARRIVALS_HOURS * 60 * MINUTE_MS, now)) {
    out.add({
      ...BOOKED_JOB,
      id: `\u0000appointment:${a.id}`,
      plate: a.plate,
      service: a.service,
      standardMinutes: a.standardMinutes,
      customerWaiting: a.customerWaiting,
      advisorId: a.advisorId,
      checkedInAt: Math.max(now, a.slotAt),
      lastAt: Math.max(now, a.slotAt),
    });
  }
  return out;
}

/** The fields of a booked car in the queue that no booking sets. */
const BOOKED_JOB: Omit<JobRecord, 'id' | 'plate' | 'service' | 'standardMinutes' | 'customerWaiting' | 'advisorId' | 'checkedInAt' | 'lastAt'> = {
  promisedAt: null, comebackOf: null, highVoltage: false, damagedBattery: false, state: 'waiting', bayId: null, technicianId: null,
  pauseReason: null, pausedAt: null, startedAt: null, completedAt: null, deliveredAt: null, cancelledAt: null, workSegments: [],
  workedClosedMs: 0, pauses: [], handovers: [], runningSince: null, attendedClosedMs: 0, runningClock: null, firstTimeFix: null,
  surveyed: false, timeConfirmed: false, predictedStartAtCheckIn: null,
};

/** Standard time still to work; a job past its standard is taken to end now. */
function remainingMs(job: JobRecord, now: number): number {
  return Math.max(0, job.standardMinutes * MINUTE_MS - workedMs(job, now));
}
