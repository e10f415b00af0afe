import type { EventOf } from '../../../../shared/events.js';
import type { BoardSnapshot, DataFlag } from '../../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { nameOf } from '../../lib/workshop.js';

/**
 * The lead console's data-quality list: every flag the hub lists (the floor's, and finished
 * jobs whose worked time is implausible), with what a lead needs to find the car and, for an
 * implausible time, the minutes to judge it by (docs/api.md, "Implausible worked time").
 */
export interface QualityRow {
  kind: DataFlag['kind'];
  jobId: string | null;
  since: string;
  bayName: string;
  plate: string;
  technicianName: string;
  /** `implausible_time` only: worked and standard minutes, read from the hub's sentence. */
  minutes: { worked: string; standard: string } | null;
  /** The hub's own sentence (English), shown when the minutes cannot be read from it. */
  message: string;
}

/** The hub's sentence for an implausible time (server/engine/flags.ts). */
const IMPLAUSIBLE = /: ([\d.]+) min worked against a standard of (\d+) min/;

export function qualityRows(snapshot: BoardSnapshot, workshop: WorkshopConfig | null): QualityRow[] {
  return snapshot.flags.map((f) => {
    const bay = f.bayId ? snapshot.bays.find((b) => b.bayId === f.bayId) : undefined;
    const plate = f.plate ?? (bay && bay.jobId === f.jobId ? (bay.plate ?? '') : '');
    const m = f.kind === 'implausible_time' ? IMPLAUSIBLE.exec(f.message) : null;
    return {
      kind: f.kind,
      jobId: f.jobId,
      since: f.since,
      bayName: f.bayId ? nameOf(workshop?.bays ?? [], f.bayId) : '',
      plate,
      technicianName: f.technicianId ? nameOf(workshop?.technicians ?? [], f.technicianId) : '',
      minutes: m ? { worked: m[1]!, standard: m[2]! } : null,
      message: f.message,
    };
  });
}

/** A lead vouches for a job's worked time: it counts in labour-time achievement and proficiency again. */
export function timeConfirmedEvent(jobId: string, id: string, at: number): EventOf<'job.time_confirmed'> {
  return { id, type: 'job.time_confirmed', at: new Date(at).toISOString(), jobId };
}
