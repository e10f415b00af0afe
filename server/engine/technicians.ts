import type { TechnicianView } from '../../shared/technicians.js';
import { MINUTE_MS, localDayRange } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { technicianTimesToday } from './figures.js';
import { minutes, ratio } from './measure.js';
import type { WorkshopState } from './state.js';

/** The lead console's technician list, in config order, with the board's utilisation per person. */
export function technicianViews(s: WorkshopState, ctx: WorkshopContext, now: number): TechnicianView[] {
  const today = localDayRange(now, ctx.timezone);
  const jobs = [...s.jobs.values()];
  const times = technicianTimesToday(s, ctx, jobs, today.start, now);
  return ctx.config.technicians.map((cfg) => {
    const t = s.technicians.get(cfg.id);
    const mine = jobs.filter((j) => j.technicianId === cfg.id);
    const time = times.get(cfg.id) ?? { attendanceMs: 0, productiveMs: 0 };
    return {
      technicianId: cfg.id,
      name: cfg.name,
      team: t?.team ?? cfg.team ?? null,
      bayId: t?.bayId ?? null,
      status: t?.status ?? 'off',
      currentJobId: mine.find((j) => j.state === 'in_progress')?.id ?? null,
      pausedJobIds: mine.filter((j) => j.state === 'paused').map((j) => j.id),
      attendanceMin: minutes(time.attendanceMs / MINUTE_MS),
      productiveMin: minutes(time.productiveMs / MINUTE_MS),
      utilisation: time.attendanceMs > 0 ? ratio(time.productiveMs, time.attendanceMs) : null,
      completedToday: s.completions.filter((c) => c.at >= today.start && c.at <= now && s.jobs.get(c.jobId)?.technicianId === cfg.id).length,
    };
  });
}
