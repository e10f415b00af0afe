import { MIN_STANDARD_MINUTES, type EventOf, type PitwallEvent } from '../../shared/events.js';
import { transitionError, type JobTransitionType } from '../../shared/jobs.js';
import { DAMAGED_BATTERY_LEVEL, HV_JOB_LEVEL } from '../../shared/workshop.js';
import type { WorkshopContext } from './context.js';
import { predictStart } from './forecast.js';
import { appointmentCheckInRefusal, book, cancelAppointment, checkInAppointment } from './evolve-appointments.js';
import { attendanceClock, attendedSince } from './measure.js';
import { reject, type Rejection } from './rejection.js';
import { customerUpdated } from './evolve-customer.js';
import { reassign, shift, technician, unknownTechnician } from './evolve-staff.js';
import { mutate, type JobRecord, type Journal, type WorkshopState } from './state.js';

/**
 * Applies one event to a workshop's state, or refuses it with the field to blame and nothing
 * changed. The same function judges a live event (inside a trial journal) and replays the
 * log, so a hub restarted from the log reaches exactly the state it had.
 *
 * Times: an event's `at` is when it happened; an event dated before the last change of the
 * same job or technician (a terminal replaying its offline queue out of order) is taken to
 * have happened at that last change, so no duration can come out negative.
 */
export function evolve(s: WorkshopState, ctx: WorkshopContext, e: PitwallEvent, j: Journal | null): Rejection | null {
  const at = Date.parse(e.at);
  const verdict = judgeAndApply(s, ctx, e, at, j);
  if (verdict === null) {
    mutate.eventId(s, e.id, at, j);
    mutate.seq(s, j);
  }
  return verdict;
}

function judgeAndApply(s: WorkshopState, ctx: WorkshopContext, e: PitwallEvent, at: number, j: Journal | null): Rejection | null {
  switch (e.type) {
    case 'shift.clock_in':
    case 'shift.clock_out':
    case 'shift.break_start':
    case 'shift.break_end':
      return shift(s, ctx, e, at, j);
    case 'job.checked_in':
      return checkIn(s, ctx, e, at, j);
    case 'job.started':
      return start(s, ctx, e, at, j);
    case 'job.paused':
      return onJob(s, e, j, (job, t) => {
        mutate.append(job.pauses, [{ from: t, to: null, reason: e.reason }], j);
        return { ...closeSegment(s, job, t, j), state: 'paused', pauseReason: e.reason, pausedAt: t };
      }, at);
    case 'job.resumed':
      return resume(s, ctx, e, at, j);
    case 'job.completed':
      return complete(s, e, at, j);
    case 'job.delivered':
      return onJob(s, e, j, (job, t) => {
        mutate.push(s.deliveries, t, j);
        return { ...job, state: 'delivered', deliveredAt: t };
      }, at);
    case 'job.cancelled':
      return onJob(s, e, j, (job, t) => {
        if (job.bayId !== null && s.bayHolders.get(job.bayId) === job.id) mutate.bayHolder(s, job.bayId, undefined, j);
        endPause(job, t, j);
        return { ...job, state: 'cancelled', cancelledAt: t, runningSince: null, runningClock: null, pauseReason: null, pausedAt: null };
      }, at);
    case 'survey.submitted':
      return survey(s, e, at, j);
    case 'staff.reassigned':
      return reassign(s, ctx, e, j);
    case 'job.time_confirmed':
      return confirmTime(s, e, j);
    case 'job.customer_updated':
      return customerUpdated(s, e, at, j);
    case 'appointment.booked':
      return book(s, ctx, e, at, j);
    case 'appointment.cancelled':
      return cancelAppointment(s, e, at, j);
    default: {
      const unreachable: never = e;
      throw new Error(`unhandled event ${JSON.stringify(unreachable)}`);
    }
  }
}

function checkIn(s: WorkshopState, ctx: WorkshopContext, e: EventOf<'job.checked_in'>, at: number, j: Journal | null): Rejection | null {
  if (s.jobs.has(e.jobId) || s.pastJobIds.has(e.jobId)) {
    return reject('conflict', 'jobId', `job ${e.jobId} was already checked in; use a new jobId (and comebackOf for a return visit)`);
  }
  if (e.advisorId !== undefined && !ctx.advisorIds.has(e.advisorId)) {
    return reject('unknown_reference', 'advisorId', `unknown advisor ${e.advisorId}`);
  }
  if (e.comebackOf !== undefined && !s.jobs.has(e.comebackOf) && !s.pastJobIds.has(e.comebackOf)) {
    return reject('unknown_reference', 'comebackOf', `unknown job ${e.comebackOf}`);
  }
  const appointmentRefused = e.appointmentId === undefined ? null : appointmentCheckInRefusal(s, e.appointmentId);
  if (appointmentRefused) return appointmentRefused;
  const job: JobRecord = {
    id: e.jobId,
    plate: e.plate,
    service: e.service,
    // A log from before the 1-minute minimum may hold less: read as the minimum (events.ts).
    standardMinutes: Math.max(MIN_STANDARD_MINUTES, e.standardMinutes),
    customerWaiting: e.customerWaiting,
    advisorId: e.advisorId ?? null,
    promisedAt: e.promisedAt === undefined ? null : Date.parse(e.promisedAt),
    comebackOf: e.comebackOf ?? null,
    highVoltage: (e.highVoltage ?? false) || e.damagedBattery === true,
    damagedBattery: e.damagedBattery === true,
    state: 'waiting',
    checkedInAt: at,
    bayId: null,
    technicianId: null,
    pauseReason: null,
    pausedAt: null,
    startedAt: null,
    completedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    workSegments: [],
    workedClosedMs: 0,
    pauses: [],
    handovers: [],
    runningSince: null,
    attendedClosedMs: 0,
    runningClock: null,
    firstTimeFix: null,
    surveyed: false,
    timeConfirmed: false,
    predictedStartAtCheckIn: null,
    lastAt: at,
  };
  mutate.job(s, job, j);
  // Checked in before the prediction, so the queue forecast no longer counts it as a booked arrival.
  if (e.appointmentId !== undefined) checkInAppointment(s, e.appointmentId, job.id, at, j);
  const predicted = predictStart(s, ctx, at, job.id);
  if (predicted !== null) mutate.job(s, { ...job, predictedStartAtCheckIn: predicted }, j);
  if (job.comebackOf !== null) mutate.push(s.comebacks, at, j);
  return null;
}

function start(s: WorkshopState, ctx: WorkshopContext, e: EventOf<'job.started'>, at: number, j: Journal | null): Rejection | null {
  const job = s.jobs.get(e.jobId);
  if (!job) return unknownJob(e.jobId);
  const illegal = transition(e.type, job);
  if (illegal) return illegal;
  if (!ctx.bayIds.has(e.bayId)) return reject('unknown_reference', 'bayId', `unknown bay ${e.bayId}`);
  if (!technician(s, ctx, e.technicianId)) return unknownTechnician(e.technicianId);
  const unqualified = qualification(ctx, job, e.bayId, e.technicianId);
  if (unqualified) return unqualified;
  if (job.highVoltage && !ctx.highVoltageBays.has(e.bayId)) {
    return reject('unqualified', 'bayId', `job ${job.id} is high-voltage work and bay ${e.bayId} is not equipped for it`);
  }
  const holder = s.bayHolders.get(e.bayId);
  if (holder !== undefined) {
    const other = s.jobs.get(holder);
    return reject('conflict', 'bayId', `bay ${e.bayId} is taken by job ${holder}${other ? ` (${other.plate}, ${other.state.replace('_', ' ')})` : ''}`);
  }
  const t = Math.max(at, job.lastAt);
  const runningClock = clockOf(s, e.technicianId, t);
  mutate.job(s, { ...job, state: 'in_progress', bayId: e.bayId, technicianId: e.technicianId, startedAt: t, runningSince: t, runningClock, lastAt: t }, j);
  mutate.bayHolder(s, e.bayId, job.id, j);
  return null;
}

/**
 * A paused job goes on; with `technicianId`, by that technician from now on (a colleague
 * taking over a job whose technician went home). He must be qualified as for a start.
 */
function resume(s: WorkshopState, ctx: WorkshopContext, e: EventOf<'job.resumed'>, at: number, j: Journal | null): Rejection | null {
  const job = s.jobs.get(e.jobId);
  if (!job) return unknownJob(e.jobId);
  const illegal = transition(e.type, job);
  if (illegal) return illegal;
  const to = e.technicianId;
  if (to !== undefined && to !== job.technicianId) {
    if (!technician(s, ctx, to)) return unknownTechnician(to);
    const unqualified = qualification(ctx, job, job.bayId ?? '', to);
    if (unqualified) return unqualified;
  }
  return onJob(s, e, j, (job, t) => {
    endPause(job, t, j);
    const handedOver = to !== undefined && job.technicianId !== null && to !== job.technicianId;
    if (handedOver) mutate.append(job.handovers, [{ at: t, from: job.technicianId!, to }], j);
    const technicianId = to ?? job.technicianId;
    return { ...job, state: 'in_progress', technicianId, runningSince: t, runningClock: clockOf(s, technicianId, t), pauseReason: null, pausedAt: null };
  }, at);
}

/**
 * High-voltage rules of `job.started`: the technician's level first (2 for high-voltage work,
 * 3 for a damaged battery), then, for a damaged battery, an isolation bay.
 */
function qualification(ctx: WorkshopContext, job: JobRecord, bayId: string, technicianId: string): Rejection | null {
  if (!job.highVoltage) return null;
  const level = ctx.hvLevels.get(technicianId) ?? 0;
  if (job.damagedBattery && level < DAMAGED_BATTERY_LEVEL) {
    return reject(
      'unqualified',
      'technicianId',
      `job ${job.id} has a damaged high-voltage battery and technician ${technicianId} is not qualified for it (needs high-voltage level 3, has ${level})`,
    );
  }
  if (level < HV_JOB_LEVEL) {
    const why = level === 1 ? ' (level 1 only allows work near a switched-off high-voltage system; needs level 2)' : '';
    return reject('unqualified', 'technicianId', `job ${job.id} is high-voltage work and technician ${technicianId} is not qualified for it${why}`);
  }
  if (job.damagedBattery && !ctx.isolationBays.has(bayId)) {
    return reject(
      'unqualified',
      'bayId',
      `job ${job.id} has a damaged high-voltage battery: it may only go on an isolation bay (fenced off, away from other cars), and bay ${bayId} is not one`,
    );
  }
  return null;
}

function complete(s: WorkshopState, e: EventOf<'job.completed'>, at: number, j: Journal | null): Rejection | null {
  return onJob(s, e, j, (job, t) => {
    const closed = closeSegment(s, job, t, j);
    if (job.bayId !== null && s.bayHolders.get(job.bayId) === job.id) mutate.bayHolder(s, job.bayId, undefined, j);
    mutate.push(s.completions, { jobId: job.id, at: t, standardMinutes: job.standardMinutes, workedMs: closed.attendedClosedMs, firstTimeFix: e.firstTimeFix }, j);
    return { ...closed, state: 'completed', completedAt: t, firstTimeFix: e.firstTimeFix };
  }, at);
}

function survey(s: WorkshopState, e: EventOf<'survey.submitted'>, at: number, j: Journal | null): Rejection | null {
  const job = s.jobs.get(e.jobId);
  if (!job) return unknownJob(e.jobId);
  if (job.state !== 'completed' && job.state !== 'delivered') {
    return reject('illegal_transition', 'jobId', `job ${job.id} is ${job.state.replace('_', ' ')}; a survey needs it completed or delivered`);
  }
  // Said by plate: the advisor at the desk knows the car, not the job's internal id.
  if (job.surveyed) return reject('conflict', 'jobId', `the car ${job.plate} already has a survey (one per job)`);
  mutate.job(s, { ...job, surveyed: true }, j);
  // Dated before the job's last change (its completion, say): taken as happening then, like every event.
  mutate.push(s.surveys, { jobId: job.id, at: Math.max(at, job.lastAt), score: e.score }, j);
  return null;
}

/** A lead vouches for a completed job's worked time (outliers.ts): it counts in labour-time achievement again. */
function confirmTime(s: WorkshopState, e: EventOf<'job.time_confirmed'>, j: Journal | null): Rejection | null {
  const job = s.jobs.get(e.jobId);
  if (!job) return unknownJob(e.jobId);
  if (job.state !== 'completed' && job.state !== 'delivered') {
    return reject('illegal_transition', 'jobId', `job ${job.id} is ${job.state.replace('_', ' ')}; confirming its worked time needs it completed or delivered`);
  }
  if (job.timeConfirmed) return reject('conflict', 'jobId', `job ${job.id}: its worked time is already confirmed`);
  mutate.job(s, { ...job, timeConfirmed: true }, j);
  return null;
}

/** A job event whose legality is the state machine's: find the job, check, apply `change` at the clamped time. */
function onJob(
  s: WorkshopState,
  e: EventOf<JobTransitionType>,
  j: Journal | null,
  change: (job: JobRecord, t: number) => JobRecord,
  at: number,
): Rejection | null {
  const job = s.jobs.get(e.jobId);
  if (!job) return unknownJob(e.jobId);
  const illegal = transition(e.type, job);
  if (illegal) return illegal;
  const t = Math.max(at, job.lastAt);
  mutate.job(s, { ...change(job, t), lastAt: t }, j);
  return null;
}

function transition(type: JobTransitionType, job: JobRecord): Rejection | null {
  const why = transitionError(type, job.state);
  return why === null ? null : reject('illegal_transition', 'type', `job ${job.id}: ${why}`);
}

const unknownJob = (id: string) => reject('unknown_reference', 'jobId', `unknown job ${id}`);

/** Ends the pause that is running, in place (the pauses list is the job's own, appended like its segments). */
function endPause(job: JobRecord, t: number, j: Journal | null): void {
  const last = job.pauses.at(-1);
  if (last && last.to === null) mutate.setLast(job.pauses, { ...last, to: t }, j);
}

/**
 * The job with its running interval closed at `t`: the segment appended in place, its length
 * added to the sum, and its time inside the technician's attendance to the worked sum.
 */
function closeSegment(s: WorkshopState, job: JobRecord, t: number, j: Journal | null): JobRecord {
  if (job.runningSince === null) return job;
  mutate.append(job.workSegments, [job.runningSince, t], j);
  const tech = job.technicianId === null ? undefined : s.technicians.get(job.technicianId);
  return {
    ...job,
    runningSince: null,
    runningClock: null,
    workedClosedMs: job.workedClosedMs + (t - job.runningSince),
    attendedClosedMs: job.attendedClosedMs + attendedSince(job.runningSince, job.runningClock, tech, t),
  };
}

/** The technician's attendance clock at `t`, kept by a job that starts running then. */
function clockOf(s: WorkshopState, technicianId: string | null, t: number): number | null {
  const tech = technicianId === null ? undefined : s.technicians.get(technicianId);
  return tech === undefined ? null : attendanceClock(tech, t);
}
