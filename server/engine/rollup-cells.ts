import type { JobRecord } from './state.js';

/**
 * Which cross-cut cells a job's events count in (rollups.ts): its service, advisor, customer
 * kind, and the technician and team that worked it, as of its latest change. Kept per job the
 * projection still knows (the roll-ups forget the rest as compaction does), and per plate for
 * the new / returning cut.
 */

export type StoredDimension = 'all' | 'technician' | 'team' | 'service' | 'advisor' | 'customer';

export const cell = (dim: StoredDimension, key: string) => `${dim}\u0000${key}`;

export interface JobAttribution {
  technicianId: string | null;
  team: string | null;
  service: string;
  advisorId: string | null;
  customer: 'new' | 'returning';
}

export class JobCells {
  private readonly jobs: Map<string, JobAttribution>;
  /** Each plate seen, with its latest check-in: a car seen within the history window is a returning customer. */
  private readonly plates: Map<string, number>;

  constructor(data?: { jobs: Map<string, JobAttribution>; plates: Map<string, number> }) {
    this.jobs = data?.jobs ?? new Map();
    this.plates = data?.plates ?? new Map();
  }

  checkedIn(job: JobRecord): void {
    const customer = this.plates.has(job.plate) ? 'returning' : 'new';
    this.plates.set(job.plate, Math.max(job.checkedInAt, this.plates.get(job.plate) ?? -Infinity));
    this.jobs.set(job.id, { technicianId: null, team: null, service: job.service, advisorId: job.advisorId, customer });
  }

  /** A job's technician (and his team) as of its latest change: completions, waits and surveys go to them. */
  attribute(job: JobRecord, team: string | null): void {
    const a = this.jobs.get(job.id);
    if (a && job.technicianId !== null) {
      a.technicianId = job.technicianId;
      a.team = team;
    }
  }

  of(jobId: string): string[] {
    const a = this.jobs.get(jobId);
    const cells = [cell('all', 'all')];
    if (!a) return cells;
    cells.push(cell('service', a.service), cell('customer', a.customer));
    if (a.advisorId !== null) cells.push(cell('advisor', a.advisorId));
    if (a.technicianId !== null) cells.push(cell('technician', a.technicianId));
    if (a.team !== null) cells.push(cell('team', a.team));
    return cells;
  }

  forgetJobs(known: (jobId: string) => boolean): void {
    for (const id of this.jobs.keys()) if (!known(id)) this.jobs.delete(id);
  }

  forgetPlatesBefore(horizon: number): void {
    for (const [plate, at] of this.plates) if (at < horizon) this.plates.delete(plate);
  }

  toData(): { jobs: Map<string, JobAttribution>; plates: Map<string, number> } {
    return { jobs: this.jobs, plates: this.plates };
  }
}
