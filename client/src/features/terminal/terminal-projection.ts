import type { EventOf, EventType, PitwallEvent } from '../../../../shared/events.js';
import { JOB_TRANSITIONS, type JobTransitionType, type JobView } from '../../../../shared/jobs.js';
import type { TechnicianView } from '../../../../shared/technicians.js';

/**
 * What the terminal shows: the hub's jobs and technicians, with the taps the hub has not
 * confirmed yet laid on top, each marked `pending` so the screen never passes them off as
 * the hub's state. A tap is laid on only where the shared state machine allows it from the
 * state shown, so an event the lists already contain (delivered, not refetched yet) changes
 * nothing, and a tap that will surely be rejected does not fake a state.
 */
export interface FloorJob extends JobView {
  /** The last tap on this job not yet confirmed by the hub, if any. */
  pending: EventType | null;
}
export interface FloorTechnician extends TechnicianView {
  pending: EventType | null;
}
export interface Floor {
  jobs: FloorJob[];
  technicians: FloorTechnician[];
}

/** Stamps a tap: its id and time are fixed now, whenever it reaches the hub. */
export function stampEvent<T extends EventType>(type: T, fields: Omit<EventOf<T>, 'id' | 'at' | 'type'>, id: string, at: number): EventOf<T> {
  return { id, type, at: new Date(at).toISOString(), ...fields } as EventOf<T>;
}

const SHIFT: Record<'shift.clock_in' | 'shift.clock_out' | 'shift.break_start' | 'shift.break_end', { from: TechnicianView['status'][]; to: TechnicianView['status'] }> = {
  'shift.clock_in': { from: ['off'], to: 'on_shift' },
  'shift.break_start': { from: ['on_shift'], to: 'on_break' },
  'shift.break_end': { from: ['on_break'], to: 'on_shift' },
  'shift.clock_out': { from: ['on_shift', 'on_break'], to: 'off' },
};

/**
 * `confirmed`: events the hub accepted that the lists may not show yet (laid on, unmarked);
 * `pending`: events still in the outbox (laid on, marked). Both oldest first.
 */
export function projectFloor(jobs: readonly JobView[], technicians: readonly TechnicianView[], confirmed: readonly PitwallEvent[], pending: readonly PitwallEvent[]): Floor {
  const jobMap = new Map<string, FloorJob>(jobs.map((j) => [j.jobId, { ...j, pending: null }]));
  const techMap = new Map<string, FloorTechnician>(technicians.map((t) => [t.technicianId, { ...t, pending: null }]));
  const order = jobs.map((j) => j.jobId);

  const apply = (e: PitwallEvent, mark: boolean) => {
    switch (e.type) {
      case 'shift.clock_in':
      case 'shift.clock_out':
      case 'shift.break_start':
      case 'shift.break_end': {
        const t = techMap.get(e.technicianId);
        if (!t || !SHIFT[e.type].from.includes(t.status)) return;
        techMap.set(t.technicianId, { ...t, status: SHIFT[e.type].to, pending: mark ? e.type : t.pending });
        return;
      }
      case 'job.checked_in': {
        if (jobMap.has(e.jobId)) return;
        jobMap.set(e.jobId, checkedInJob(e, mark));
        order.push(e.jobId);
        return;
      }
      case 'job.started':
      case 'job.paused':
      case 'job.resumed':
      case 'job.completed':
      case 'job.delivered':
      case 'job.cancelled': {
        const j = jobMap.get(e.jobId);
        if (!j || !JOB_TRANSITIONS[e.type as JobTransitionType].from.includes(j.state)) return;
        jobMap.set(j.jobId, { ...transitioned(j, e), pending: mark ? e.type : j.pending });
        return;
      }
      case 'survey.submitted': {
        // A survey sent (or waiting to go) takes the car off the desk's survey list at once; the
        // hub takes one per job. Not marked pending: the car's state does not change.
        const j = jobMap.get(e.jobId);
        if (!j || (j.state !== 'completed' && j.state !== 'delivered')) return;
        jobMap.set(j.jobId, { ...j, surveyed: true });
        return;
      }
      case 'job.customer_updated': {
        // The desk's switch between waiting on site and drop-off shows at once, queued or not.
        const j = jobMap.get(e.jobId);
        if (j) jobMap.set(j.jobId, { ...j, customerWaiting: e.customerWaiting });
        return;
      }
      case 'staff.reassigned':
      case 'job.time_confirmed':
      case 'appointment.booked':
      case 'appointment.cancelled':
        // None changes what a terminal shows of a job or a shift (the desk lays its bookings over the list itself).
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  };

  for (const e of confirmed) apply(e, false);
  for (const e of pending) apply(e, true);
  return { jobs: order.map((id) => jobMap.get(id)!), technicians: [...techMap.values()] };
}

function transitioned(j: FloorJob, e: EventOf<'job.started' | 'job.paused' | 'job.resumed' | 'job.completed' | 'job.delivered' | 'job.cancelled'>): FloorJob {
  const to = JOB_TRANSITIONS[e.type].to;
  switch (e.type) {
    case 'job.started':
      return { ...j, state: to, bayId: e.bayId, technicianId: e.technicianId, startedAt: e.at, predictedStartAt: null };
    case 'job.paused':
      return { ...j, state: to, pauseReason: e.reason };
    case 'job.resumed':
      // Resumed by another technician: the job is his from now on (as on the hub).
      return { ...j, state: to, pauseReason: null, technicianId: e.technicianId ?? j.technicianId };
    case 'job.completed':
      return { ...j, state: to, completedAt: e.at, firstTimeFix: e.firstTimeFix, pauseReason: null };
    case 'job.delivered':
      return { ...j, state: to, deliveredAt: e.at };
    case 'job.cancelled':
      return { ...j, state: to, cancelledAt: e.at };
    default: {
      const never: never = e;
      return never;
    }
  }
}

function checkedInJob(e: EventOf<'job.checked_in'>, mark: boolean): FloorJob {
  return {
    jobId: e.jobId,
    plate: e.plate,
    service: e.service,
    state: 'waiting',
    standardMinutes: e.standardMinutes,
    customerWaiting: e.customerWaiting,
    advisorId: e.advisorId ?? null,
    comebackOf: e.comebackOf ?? null,
    highVoltage: e.highVoltage ?? false,
    bayId: null,
    technicianId: null,
    pauseReason: null,
    checkedInAt: e.at,
    promisedAt: e.promisedAt ?? null,
    startedAt: null,
    completedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    workedMin: 0,
    firstTimeFix: null,
    // Only the hub can predict: a car it has not seen has no place in its queue yet.
    predictedStartAt: null,
    pending: mark ? e.type : null,
  };
}

/** The queue as the terminal lists it: the hub's order of predicted starts (most urgent first), unpredicted ones after, by check-in. */
export function queueOrder(jobs: readonly FloorJob[]): FloorJob[] {
  const waiting = jobs.filter((j) => j.state === 'waiting');
  const t = (iso: string | null | undefined) => (iso ? Date.parse(iso) : Number.POSITIVE_INFINITY);
  return waiting.sort((a, b) => t(a.predictedStartAt) - t(b.predictedStartAt) || Date.parse(a.checkedInAt) - Date.parse(b.checkedInAt));
}

/** Open jobs on a technician's hands: running first, then paused, oldest start first. */
export function jobsOf(jobs: readonly FloorJob[], technicianId: string | null): FloorJob[] {
  if (!technicianId) return [];
  const rank = (j: FloorJob) => (j.state === 'in_progress' ? 0 : 1);
  return jobs
    .filter((j) => j.technicianId === technicianId && (j.state === 'in_progress' || j.state === 'paused'))
    .sort((a, b) => rank(a) - rank(b) || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
}

/**
 * Paused jobs on someone else's hands, which a technician may take over and resume (his
 * colleague went home, or is busy elsewhere): this terminal's bay first, then oldest start
 * first. Bounded by the bays: a paused job holds its bay.
 */
export function pausedByOthers(jobs: readonly FloorJob[], technicianId: string | null, bayId: string | null): FloorJob[] {
  if (!technicianId) return [];
  const here = (j: FloorJob) => (bayId !== null && j.bayId === bayId ? 0 : 1);
  return jobs
    .filter((j) => j.state === 'paused' && j.technicianId !== technicianId)
    .sort((a, b) => here(a) - here(b) || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
}

/** Bays with no open job (as far as this terminal can tell, pending taps included). */
export function freeBays(bays: readonly { id: string }[], jobs: readonly FloorJob[]): Set<string> {
  const held = new Set(jobs.filter((j) => j.state === 'in_progress' || j.state === 'paused').map((j) => j.bayId));
  return new Set(bays.map((b) => b.id).filter((id) => !held.has(id)));
}

/** A one-line reading of an event for the outbox list: what was tapped, on what. */
export function eventSubject(e: PitwallEvent): { technicianId: string | null; jobId: string | null } {
  return {
    technicianId: 'technicianId' in e ? (e.technicianId ?? null) : null,
    jobId: 'jobId' in e ? e.jobId : null,
  };
}
