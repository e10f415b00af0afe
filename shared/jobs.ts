import { z } from 'zod';
import { isoTime, pauseReason, serviceType } from './events.js';

/** The job state machine (docs/api.md, "Events"): which event moves a job from which state. */

export const JOB_STATES = ['waiting', 'in_progress', 'paused', 'completed', 'delivered', 'cancelled'] as const;
export const jobState = z.enum(JOB_STATES, { error: `must be one of ${JOB_STATES.join(', ')}` });
export type JobState = z.infer<typeof jobState>;

export type JobTransitionType = 'job.started' | 'job.paused' | 'job.resumed' | 'job.completed' | 'job.delivered' | 'job.cancelled';

export const JOB_TRANSITIONS: Record<JobTransitionType, { from: readonly JobState[]; to: JobState }> = {
  'job.started': { from: ['waiting'], to: 'in_progress' },
  'job.paused': { from: ['in_progress'], to: 'paused' },
  'job.resumed': { from: ['paused'], to: 'in_progress' },
  'job.completed': { from: ['in_progress'], to: 'completed' },
  'job.delivered': { from: ['completed'], to: 'delivered' },
  'job.cancelled': { from: ['waiting', 'paused'], to: 'cancelled' },
};

export function transitionError(type: JobTransitionType, current: JobState): string | null {
  const t = JOB_TRANSITIONS[type];
  if (t.from.includes(current)) return null;
  return `job is ${current}; ${type} needs it to be ${t.from.join(' or ')}`;
}

/** Open jobs hold a place on the floor: in the queue or on a bay. */
export const OPEN_STATES: ReadonlySet<JobState> = new Set(['waiting', 'in_progress', 'paused']);

/** One job as `GET /api/v1/workshops/:ws/jobs` returns it. */
export const jobView = z.object({
  jobId: z.string(),
  plate: z.string(),
  service: serviceType,
  state: jobState,
  standardMinutes: z.number(),
  customerWaiting: z.boolean(),
  advisorId: z.string().nullable(),
  comebackOf: z.string().nullable(),
  /** Needs a high-voltage bay and a qualified technician (an addition to the first contract, docs/api.md). */
  highVoltage: z.boolean(),
  /** A damaged high-voltage battery: isolation bay, level-3 technician (an addition to the first contract, docs/api.md; absent from older hubs). */
  damagedBattery: z.boolean().optional(),
  bayId: z.string().nullable(),
  technicianId: z.string().nullable(),
  pauseReason: pauseReason.nullable(),
  checkedInAt: isoTime,
  promisedAt: isoTime.nullable(),
  startedAt: isoTime.nullable(),
  completedAt: isoTime.nullable(),
  deliveredAt: isoTime.nullable(),
  cancelledAt: isoTime.nullable(),
  /** Minutes in progress so far, pauses excluded. */
  workedMin: z.number(),
  firstTimeFix: z.boolean().nullable(),
  /**
   * The hub holds a survey for this job (one per job): the desk offers only cars without one,
   * whichever desk sent it. Absent from older hubs.
   */
  surveyed: z.boolean().optional(),
  /** Waiting jobs only: when the queue says a technician will start it; null when nobody is on shift. */
  predictedStartAt: isoTime.nullable().optional(),
});
export type JobView = z.infer<typeof jobView>;
