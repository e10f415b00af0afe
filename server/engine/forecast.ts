import { MINUTE_MS } from '../../shared/time.js';
import { workedMs } from './measure.js';
import type { JobRecord, WorkshopState } from './state.js';

/**
 * Predicted start time of every waiting job (the KPI article's "arrival reminder"), by list
 * scheduling: each technician on shift is free once the remaining standard time of the job
 * they are running has passed (a job already over its standard is taken to end now); the
 * queue, promised jobs first (earliest promise first), then by check-in, goes one job at a
 * time to whoever is free first. Nobody on shift → no prediction (null), never a made-up time.
 *
 * Assumes every technician can take every job and that jobs take their standard time; a
 * later issue adds teams and high-voltage qualifications.
 */
export function queueOrder(jobs: Iterable<JobRecord>): JobRecord[] {
  return [...jobs]
    .filter((j) => j.state === 'waiting')
    .sort((a, b) => (a.promisedAt ?? Infinity) - (b.promisedAt ?? Infinity) || a.checkedInAt - b.checkedInAt || (a.id < b.id ? -1 : 1));
}

export function predictStarts(s: WorkshopState, technicianIds: ReadonlySet<string>, now: number): Map<string, number | null> {
  const freeAt: number[] = [];
  const runningByTech = new Map<string, JobRecord>();
  for (const job of s.jobs.values()) {
    if (job.state === 'in_progress' && job.technicianId !== null) runningByTech.set(job.technicianId, job);
  }
  for (const t of s.technicians.values()) {
    if (t.status !== 'on_shift' || !technicianIds.has(t.id)) continue;
    const job = runningByTech.get(t.id);
    const remaining = job ? Math.max(0, job.standardMinutes * MINUTE_MS - workedMs(job, now)) : 0;
    freeAt.push(now + remaining);
  }
  const out = new Map<string, number | null>();
  for (const job of queueOrder(s.jobs.values())) {
    if (freeAt.length === 0) {
      out.set(job.id, null);
      continue;
    }
    let best = 0;
    for (let i = 1; i < freeAt.length; i++) if (freeAt[i]! < freeAt[best]!) best = i;
    out.set(job.id, freeAt[best]!);
    freeAt[best] = freeAt[best]! + job.standardMinutes * MINUTE_MS;
  }
  return out;
}
