import type { PitwallEvent } from '../../shared/events.js';
import type { JobRecord, TechnicianRecord, WorkshopState } from './state.js';

/**
 * The records an event touches, read off the projection just before and just after it is
 * applied: what the roll-ups fold in (rollups.ts `observe`), once the batch is durable.
 */

/** The records an event touches, as they were before it. */
export interface Before {
  job: JobRecord | undefined;
  technician: TechnicianRecord | undefined;
}

/**
 * What an event left behind, as it was right after it: records are immutable, so these are
 * exactly the records a later event in the same batch cannot change under the roll-ups (they
 * are folded in once the batch is durable, Projection.begin).
 */
export interface After {
  job: JobRecord | undefined;
  technician: TechnicianRecord | undefined;
  /** The team of the job's technician, when the job has one. */
  jobTechnicianTeam: string | null;
  /** When the latest survey was taken (a survey event's clamped time). */
  lastSurveyAt: number | undefined;
}

export function recordsBefore(s: WorkshopState, e: PitwallEvent): Before {
  return {
    job: 'jobId' in e ? s.jobs.get(e.jobId) : undefined,
    technician: 'technicianId' in e && e.technicianId !== undefined ? s.technicians.get(e.technicianId) : undefined,
  };
}

export function recordsAfter(s: WorkshopState, e: PitwallEvent): After {
  const job = 'jobId' in e ? s.jobs.get(e.jobId) : undefined;
  return {
    job,
    technician: 'technicianId' in e && e.technicianId !== undefined ? s.technicians.get(e.technicianId) : undefined,
    jobTechnicianTeam: job !== undefined && job.technicianId !== null ? (s.technicians.get(job.technicianId)?.team ?? null) : null,
    lastSurveyAt: e.type === 'survey.submitted' ? s.surveys.at(-1)?.at : undefined,
  };
}
