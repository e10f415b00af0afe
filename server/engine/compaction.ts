import { APPOINTMENT_RETENTION_DAYS } from '../../shared/appointments.js';
import { DAY_MS } from '../../shared/time.js';
import { shiftStart } from './shift.js';
import type { JobRecord, WorkshopState } from './state.js';
import type { StringPool } from './string-pool.js';

/**
 * Keeps a long-running hub's memory bounded by the figures' windows, not by its uptime.
 * Nothing here changes a figure: the widest window is the comeback rate's 7 days; we keep 8.
 * Finished jobs leave `jobs` but their ids stay known, so a comeback can still name them.
 */
export const RETAIN_MS = 8 * DAY_MS;

/**
 * How long a finished job's id stays known after compaction dropped the job: a comeback may
 * name it (`comebackOf`) and no new check-in may reuse it for this long. Bounded, so three
 * years of jobs do not stay in memory (docs/api.md, "Comebacks").
 */
export const PAST_JOB_RETENTION_MS = 90 * DAY_MS;

/**
 * `latest` is the log's own latest time: the horizon follows the events, not the wall clock,
 * so a log replayed long after its day (a test fixture, a restored backup) keeps the jobs a
 * late survey or a re-sent batch still refers to.
 */
export function compact(s: WorkshopState, now: number, latest: number, dedupeHorizon: number, teamOf: (job: JobRecord) => string | null, strings: StringPool): void {
  const horizon = compactionHorizon(now, latest);
  for (const job of compactable(s, horizon)) {
    s.jobs.delete(job.id);
    // Kept 90 days: one copy of each technician's id and team among them all (string-pool.ts).
    s.pastJobIds.set(job.id, { lastAt: job.lastAt, technicianId: strings.get(job.technicianId), team: strings.get(teamOf(job)) });
  }
  const pastHorizon = Math.min(now, latest) - PAST_JOB_RETENTION_MS;
  for (const [id, past] of s.pastJobIds) if (past.lastAt < pastHorizon) s.pastJobIds.delete(id);
  // An event dated before the dedupe window is refused as too_old before its id is looked up.
  for (const [id, at] of s.eventIds) if (at < dedupeHorizon) s.eventIds.delete(id);
  prune(s.completions, (c) => c.at >= horizon);
  prune(s.deliveries, (t) => t >= horizon);
  prune(s.comebacks, (t) => t >= horizon);
  prune(s.surveys, (v) => v.at >= horizon);
  // Appointments stay as long as the appointment report looks back (shared/appointments.ts), measured from their slot.
  const appointmentHorizon = Math.min(now, latest) - APPOINTMENT_RETENTION_DAYS * DAY_MS;
  for (const [id, a] of s.appointments) {
    if (a.slotAt >= appointmentHorizon) continue;
    s.appointments.delete(id);
    s.bookedAppointments.delete(id);
  }
  for (const t of s.technicians.values()) {
    // A technician still on shift keeps the whole shift: its start is a figure (the long-shift flag).
    const shift = shiftStart(t);
    const keepFrom = shift === null ? horizon : Math.min(horizon, shift);
    const keep: number[] = [];
    for (let i = 0; i + 1 < t.attendance.length; i += 2) {
      if (t.attendance[i + 1]! >= keepFrom) keep.push(t.attendance[i]!, t.attendance[i + 1]!);
    }
    if (keep.length !== t.attendance.length) s.technicians.set(t.id, { ...t, attendance: keep });
  }
}

export function compactionHorizon(now: number, latest: number): number {
  return Math.min(now, latest) - RETAIN_MS;
}

/** The jobs the next compaction at `horizon` drops: finished before it. */
export function compactable(s: WorkshopState, horizon: number): JobRecord[] {
  return [...s.jobs.values()].filter((job) => (job.state === 'delivered' || job.state === 'cancelled') && job.lastAt < horizon);
}

/** A job's technician (its id, its last change and his team then), whether the projection still holds the job or only what compaction kept. */
export function originalJob(s: WorkshopState, jobId: string | null): { technicianId: string | null; lastAt: number; team?: string | null } | undefined {
  if (jobId === null) return undefined;
  return s.jobs.get(jobId) ?? s.pastJobIds.get(jobId);
}

function prune<T>(list: T[], keep: (item: T) => boolean): void {
  const kept = list.filter(keep);
  list.length = 0;
  list.push(...kept);
}
