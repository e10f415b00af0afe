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
  readonly technicianId: string | null;
  readonly team: string | null;
  readonly service: string;
  readonly advisorId: string | null;
  readonly customer: 'new' | 'returning';
}

/** Distinct attributions kept at once (a workshop has a few hundred: technicians × services × advisors × 2). */
const MAX_SHARED_ATTRIBUTIONS = 20_000;

export class JobCells {
  /**
   * Each job's attribution, one shared object per distinct combination: a busy workshop's 90
   * days of jobs (~28,000) point at a few hundred, instead of holding 28,000 objects with their
   * own copies of the same strings (7 MB restored from a checkpoint; V8's serialiser also writes
   * a shared object once).
   */
  private readonly jobs: Map<string, JobAttribution>;
  /** Each plate seen, with its latest check-in: a car seen within the history window is a returning customer. */
  private readonly plates: Map<string, number>;
  private readonly shared = new Map<string, JobAttribution>();

  constructor(data?: { jobs: Map<string, JobAttribution>; plates: Map<string, number> }) {
    this.jobs = data?.jobs ?? new Map();
    this.plates = data?.plates ?? new Map();
    for (const [id, a] of this.jobs) this.jobs.set(id, this.share(a));
  }

  checkedIn(job: JobRecord): void {
    const customer = this.plates.has(job.plate) ? 'returning' : 'new';
    this.plates.set(job.plate, Math.max(job.checkedInAt, this.plates.get(job.plate) ?? -Infinity));
    this.jobs.set(job.id, this.share({ technicianId: null, team: null, service: job.service, advisorId: job.advisorId, customer }));
  }

  /** A job's technician (and his team) as of its latest change: completions, waits and surveys go to them. */
  attribute(job: JobRecord, team: string | null): void {
    const a = this.jobs.get(job.id);
    if (!a || job.technicianId === null || (a.technicianId === job.technicianId && a.team === team)) return;
    this.jobs.set(job.id, this.share({ ...a, technicianId: job.technicianId, team }));
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

  /** The one object for `a`'s values (past the bound, `a` itself: correct, only larger). */
  private share(a: JobAttribution): JobAttribution {
    // NUL cannot be in an id; SOH stands for null, so a technician named "null" is not confused with none.
    const key = `${a.technicianId ?? '\u0001'}\u0000${a.team ?? '\u0001'}\u0000${a.service}\u0000${a.advisorId ?? '\u0001'}\u0000${a.customer}`;
    const found = this.shared.get(key);
    if (found) return found;
    if (this.shared.size < MAX_SHARED_ATTRIBUTIONS) this.shared.set(key, a);
    return a;
  }
}
