import { z } from 'zod';
import { isoTime } from './events.js';
import { cxFiguresSchema } from './cx.js';
import { light } from './lights.js';

/**
 * The daily layer (KPI article 7.1, an addition to the first contract, docs/api.md served by
 * `GET /api/v1/workshops/:ws/daily?date=YYYY-MM-DD`): every KPI per technician, per team and
 * per advisor for one local day, with lights, ranks and the problem work orders.
 */
export const rankedKpi = z.object({
  value: z.number().nullable(),
  light,
  /** 1 = best of the day among those with a value; null without a value. */
  rank: z.number().int().nullable(),
  /** What the value was computed from (jobs, surveys, minutes), so a 100 % of 1 job reads as such. */
  sample: z.number(),
  /** False: below the minimum sample for ranking people (docs/api.md): light `none`, no rank. */
  enough: z.boolean(),
});
export type RankedKpi = z.infer<typeof rankedKpi>;

const technicianKpis = {
  utilisation: rankedKpi,
  laborAchievement: rankedKpi,
  firstTimeFix: rankedKpi,
  comebackRate: rankedKpi,
  /**
   * NADA's third figure beside productivity (= utilisation: worked ÷ available) and efficiency
   * (= labour-time achievement: standard ÷ worked): standard ÷ available. No light: the KPI
   * article sets no target for it.
   */
  proficiency: rankedKpi,
  jobsCompleted: z.number().int(),
  productiveHours: z.number(),
  attendanceHours: z.number(),
  /** The KPI article's weighted score (6.2) over the KPIs the events carry; see docs/api.md. */
  score: z.number().nullable(),
};

export const dailyReport = z.object({
  workshopId: z.string(),
  date: z.string(),
  timezone: z.string(),
  /** The workshop's choice of names for the same hours (config `naming`). */
  naming: z.enum(['seed', 'nada']),
  /** The figures are as of this time: the day's end, or now for today. */
  asOf: isoTime,
  technicians: z.array(z.object({ technicianId: z.string(), name: z.string(), team: z.string().nullable(), ...technicianKpis })),
  teams: z.array(z.object({ team: z.string(), technicians: z.number().int(), ...technicianKpis })),
  advisors: z.array(
    z.object({
      advisorId: z.string(),
      name: z.string(),
      received: z.number().int(),
      csat: rankedKpi,
      complaintRate: rankedKpi,
      /** The KPI article's weighted score (6.1) over reception, satisfaction and complaints. */
      score: z.number().nullable(),
    }),
  ),
  problems: z.array(
    z.object({
      kind: z.enum(['over_standard', 'paused_long', 'comeback', 'low_score', 'implausible_time']),
      jobId: z.string(),
      plate: z.string(),
      technicianId: z.string().nullable(),
      state: z.string(),
      detail: z.string(),
    }),
  ),
  /** Check-in to delivery of the cars delivered that day, minutes, with its light. */
  averageServiceTime: z.object({ value: z.number().nullable(), light, sample: z.number() }),
  /** The CX article's figures (NPS, CSAT, CES, touchpoints, CJI, weakest touchpoints) for the day and the 7 days to its end. */
  cx: z.object({ day: cxFiguresSchema, week: cxFiguresSchema }),
});
export type DailyReport = z.infer<typeof dailyReport>;
