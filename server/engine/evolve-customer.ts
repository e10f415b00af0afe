import type { EventOf } from '../../shared/events.js';
import { OPEN_STATES } from '../../shared/jobs.js';
import { reject, type Rejection } from './rejection.js';
import { mutate, type Journal, type WorkshopState } from './state.js';

/**
 * `job.customer_updated`: the desk switches a car between waiting on site and dropped off. Only
 * while the car is on the floor (waiting, in progress, paused): afterwards nobody waits for it,
 * and the day's figures already counted it as it was. The wait figures read the flag as it is
 * now, so they follow at once, as if the car had been checked in that way.
 */
export function customerUpdated(s: WorkshopState, e: EventOf<'job.customer_updated'>, at: number, j: Journal | null): Rejection | null {
  const job = s.jobs.get(e.jobId);
  if (!job) return reject('unknown_reference', 'jobId', `unknown job ${e.jobId}`);
  if (!OPEN_STATES.has(job.state)) return reject('illegal_transition', 'type', `job ${job.id}: job is ${job.state}; job.customer_updated needs it to be waiting, in_progress or paused`);
  const t = Math.max(at, job.lastAt);
  mutate.job(s, { ...job, customerWaiting: e.customerWaiting, lastAt: t }, j);
  return null;
}
