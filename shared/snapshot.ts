import { z } from 'zod';
import { isoTime, pauseReason } from './events.js';
import { light } from './lights.js';

/** The board snapshot (CONTRACT.md, "Board snapshot"). Ratios are fractions, minutes numbers. */

export const kpi = z.object({ value: z.number().nullable(), light });
export type Kpi = z.infer<typeof kpi>;

export const KPI_NAMES = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export const BAY_STATES = ['idle', 'in_progress', 'paused'] as const;

export const baySnapshot = z.object({
  bayId: z.string(),
  jobId: z.string().nullable(),
  technicianId: z.string().nullable(),
  state: z.enum(BAY_STATES),
  elapsedMin: z.number().nullable(),
  standardMin: z.number().nullable(),
  light,
  // Additions beyond the contract's minimum, so a board can draw the bay without a second call.
  plate: z.string().nullable(),
  pauseReason: pauseReason.nullable(),
});
export type BaySnapshot = z.infer<typeof baySnapshot>;

export const activeAlert = z.object({ metric: z.string(), light, message: z.string(), since: isoTime });
export type ActiveAlert = z.infer<typeof activeAlert>;

export const boardSnapshot = z.object({
  workshopId: z.string(),
  seq: z.number().int().nonnegative(),
  asOf: isoTime,
  technicians: z.object({ onShift: z.number(), busy: z.number(), idle: z.number(), onBreak: z.number() }),
  jobs: z.object({ waiting: z.number(), inProgress: z.number(), paused: z.number(), completedToday: z.number(), deliveredToday: z.number() }),
  waitingCustomers: z.object({ count: z.number(), averageWaitMin: z.number().nullable(), longestWaitMin: z.number().nullable() }),
  kpis: z.object({
    utilisation: kpi,
    laborAchievement: kpi,
    firstTimeFix: kpi,
    comebackRate: kpi,
    csat: kpi,
    averageWait: kpi,
  }),
  bays: z.array(baySnapshot),
  alerts: z.array(activeAlert),
});
export type BoardSnapshot = z.infer<typeof boardSnapshot>;

export const alertMessage = z.object({
  workshopId: z.string(),
  metric: z.string(),
  light,
  previous: light,
  message: z.string(),
  at: isoTime,
});
export type AlertMessage = z.infer<typeof alertMessage>;
