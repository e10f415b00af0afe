import { z } from 'zod';

/**
 * One technician as the lead console sees them (an addition to the first contract, docs/api.md, served by
 * `GET /api/v1/workshops/:ws/technicians`): where they are, what they are on, and their
 * utilisation today by the board's own definition.
 */
export const TECHNICIAN_STATUSES = ['off', 'on_shift', 'on_break'] as const;

export const technicianView = z.object({
  technicianId: z.string(),
  name: z.string(),
  team: z.string().nullable(),
  bayId: z.string().nullable(),
  status: z.enum(TECHNICIAN_STATUSES),
  /** The job they are running now (in progress), else null; paused jobs are listed apart. */
  currentJobId: z.string().nullable(),
  pausedJobIds: z.array(z.string()),
  attendanceMin: z.number(),
  productiveMin: z.number(),
  /** productive ÷ attendance today; null before they clocked in today. */
  utilisation: z.number().nullable(),
  completedToday: z.number().int(),
});
export type TechnicianView = z.infer<typeof technicianView>;
