import { pairs, type Interval } from './intervals.js';
import type { JobRecord } from './state.js';

/**
 * A job's in-progress intervals, per technician who worked them (a job handed over at a
 * resume has more than one). Same arguments as `pairs`. A segment never straddles a handover
 * (the job is paused in between), so each goes whole to whoever held the job when it began;
 * a job never handed over costs what `pairs` costs.
 */
export function workByTechnician(job: JobRecord, openUntil: number, endingAfter = Number.NEGATIVE_INFINITY): [string, Interval[]][] {
  if (job.technicianId === null) return [];
  const work = pairs(job.workSegments, job.runningSince, openUntil, endingAfter);
  if (work.length === 0) return [];
  const handovers = job.handovers;
  if (handovers.length === 0) return [[job.technicianId, work]];
  const byTech = new Map<string, Interval[]>();
  let h = 0;
  for (const interval of work) {
    while (h < handovers.length && handovers[h]!.at <= interval[0]) h++;
    const tech = h === 0 ? handovers[0]!.from : handovers[h - 1]!.to;
    (byTech.get(tech) ?? byTech.set(tech, []).get(tech)!).push(interval);
  }
  return [...byTech];
}
