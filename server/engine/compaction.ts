import { DAY_MS } from '../../shared/time.js';
import type { WorkshopState } from './state.js';

/**
 * Keeps a long-running hub's memory bounded by the figures' windows, not by its uptime.
 * Nothing here changes a figure: the widest window is the comeback rate's 7 days; we keep 8.
 * Finished jobs leave `jobs` but their ids stay known, so a comeback can still name them.
 */
export const RETAIN_MS = 8 * DAY_MS;

export function compact(s: WorkshopState, now: number): void {
  const horizon = now - RETAIN_MS;
  for (const job of s.jobs.values()) {
    const done = job.state === 'delivered' || job.state === 'cancelled';
    if (done && job.lastAt < horizon) {
      s.jobs.delete(job.id);
      s.pastJobIds.add(job.id);
    }
  }
  prune(s.completions, (c) => c.at >= horizon);
  prune(s.deliveries, (t) => t >= horizon);
  prune(s.comebacks, (t) => t >= horizon);
  prune(s.surveys, (v) => v.at >= horizon);
  for (const t of s.technicians.values()) {
    const keep: number[] = [];
    for (let i = 0; i + 1 < t.attendance.length; i += 2) {
      if (t.attendance[i + 1]! >= horizon) keep.push(t.attendance[i]!, t.attendance[i + 1]!);
    }
    if (keep.length !== t.attendance.length) s.technicians.set(t.id, { ...t, attendance: keep });
  }
}

function prune<T>(list: T[], keep: (item: T) => boolean): void {
  const kept = list.filter(keep);
  list.length = 0;
  list.push(...kept);
}
