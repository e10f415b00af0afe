import { z } from 'zod';
import { isoTime } from './events.js';
import { comebackRate } from './comeback-rate.js';
import { addCx, cxFigures, cxSums, emptyCx, type Touchpoint } from './cx.js';
import { percentile } from './percentile.js';
import { CALENDAR_DATE_RULE, isCalendarDate } from './time.js';
import { light, lightFor, type Light, type Thresholds } from './lights.js';

/**
 * The strategic layer (KPI article 7.2, an addition to the first contract, docs/api.md):
 * `GET /api/v1/workshops/:ws/history?from=&to=&bucket=hour|day&by=…&fold=…`.
 *
 * Every row carries additive sums (counts and minutes) beside the figures derived from them,
 * so any client can fold rows further (a week, a month, weekday vs weekend) and get the same
 * figures the hub would: `historyFigures(addSums(a, b))`.
 */

export const HISTORY_BUCKETS = ['hour', 'day'] as const;
/** Cross-cuts: `daytype` is weekday / weekend, `customer` new / returning by plate. */
export const HISTORY_DIMENSIONS = ['technician', 'team', 'service', 'advisor', 'daytype', 'customer'] as const;
/** Fold the buckets onto the hour of the day (0–23) or the day of the week (1 Monday … 7 Sunday). */
export const HISTORY_FOLDS = ['hourOfDay', 'dayOfWeek'] as const;
export type HistoryBucket = (typeof HISTORY_BUCKETS)[number];
export type HistoryDimension = (typeof HISTORY_DIMENSIONS)[number];
export type HistoryFold = (typeof HISTORY_FOLDS)[number];

/** Hour rows are capped at 31 days, day rows at 400 (13 months and then some). */
export const MAX_HISTORY_DAYS: Record<HistoryBucket, number> = { hour: 31, day: 400 };

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });

export const historyQuery = z
  .object({
    /** First local day, inclusive. */
    from: localDay,
    /** Last local day, inclusive. */
    to: localDay,
    bucket: z.enum(HISTORY_BUCKETS, { error: `must be one of ${HISTORY_BUCKETS.join(', ')}` }).default('day'),
    by: z.enum(HISTORY_DIMENSIONS, { error: `must be one of ${HISTORY_DIMENSIONS.join(', ')}` }).optional(),
    fold: z.enum(HISTORY_FOLDS, { error: `must be one of ${HISTORY_FOLDS.join(', ')}` }).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    // Date.parse takes 2026-02-30 (as 2 March) and 0000-01-01: the same calendar rule as the daily report's.
    if (!isCalendarDate(q.from)) ctx.addIssue({ code: 'custom', path: ['from'], message: CALENDAR_DATE_RULE });
    if (!isCalendarDate(q.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: CALENDAR_DATE_RULE });
    const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (days > MAX_HISTORY_DAYS[q.bucket]) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `a ${q.bucket} query spans at most ${MAX_HISTORY_DAYS[q.bucket]} days` });
    }
    if (q.fold === 'hourOfDay' && q.bucket !== 'hour') ctx.addIssue({ code: 'custom', path: ['fold'], message: 'hourOfDay needs bucket=hour' });
  });
export type HistoryQuery = z.infer<typeof historyQuery>;

export const historySums = z.object({
  checkedIn: z.number(),
  completed: z.number(),
  firstTimeFix: z.number(),
  /** Standard minutes of the completed jobs. */
  standardMin: z.number(),
  /** In-progress minutes of the completed jobs (pauses excluded). */
  workedMin: z.number(),
  delivered: z.number(),
  /** Check-in to delivery, summed over the deliveries. */
  serviceMin: z.number(),
  /** Comebacks checked in, counted against the original job's technician, team, service and advisor. */
  comebacks: z.number(),
  surveys: z.number(),
  /** Surveys scored 4 or 5. */
  satisfied: z.number(),
  /** Surveys scored 2 or less. */
  complaints: z.number(),
  scoreSum: z.number(),
  /** Waits (check-in → first start) of customers who waited on site, in minutes, by start time. */
  waits: z.array(z.number()),
  /** Minutes in progress on jobs inside the bucket (split at bucket edges). */
  productiveMin: z.number(),
  /** Minutes clocked in and not on break inside the bucket (technician, team and all only). */
  attendanceMin: z.number(),
  /** The surveys' NPS, CES and touchpoint answers (shared/cx.ts). */
  cx: cxSums,
});
export type HistorySums = z.infer<typeof historySums>;

const figure = z.object({ value: z.number().nullable(), light });
export const historyFiguresSchema = z.object({
  utilisation: figure,
  laborAchievement: figure,
  firstTimeFix: figure,
  comebackRate: figure,
  csat: figure,
  complaintRate: figure,
  averageWait: figure,
  /** The customer's view beside the average: the 90th-percentile wait. No light of its own. */
  p90WaitMin: z.number().nullable(),
  nps: figure,
  ces: figure,
  cji: figure,
  averageServiceMin: z.number().nullable(),
  averageScore: z.number().nullable(),
});
export type HistoryFigures = z.infer<typeof historyFiguresSchema>;

export const historyRow = z.object({
  /** The bucket's first instant; null when folded (hour of day / day of week). */
  start: isoTime.nullable(),
  /** "2026-11-21", "2026-11-21 14:00+08:00", "14" (hour of day), "6" (Saturday). */
  label: z.string(),
  /** The dimension's value ("T1", "repair", "weekend", "returning"), or "all". */
  key: z.string(),
  sums: historySums,
  figures: historyFiguresSchema,
});
export type HistoryRow = z.infer<typeof historyRow>;

export const historyResponse = z.object({
  workshopId: z.string(),
  timezone: z.string(),
  from: z.string(),
  to: z.string(),
  bucket: z.enum(HISTORY_BUCKETS),
  by: z.enum(HISTORY_DIMENSIONS).nullable(),
  fold: z.enum(HISTORY_FOLDS).nullable(),
  asOf: isoTime,
  rows: z.array(historyRow),
});
export type HistoryResponse = z.infer<typeof historyResponse>;

export function emptySums(): HistorySums {
  return {
    checkedIn: 0,
    completed: 0,
    firstTimeFix: 0,
    standardMin: 0,
    workedMin: 0,
    delivered: 0,
    serviceMin: 0,
    comebacks: 0,
    surveys: 0,
    satisfied: 0,
    complaints: 0,
    scoreSum: 0,
    waits: [],
    productiveMin: 0,
    attendanceMin: 0,
    cx: emptyCx(),
  };
}

/** Adds `b` into `a` (waits are concatenated, so a fold keeps exact percentiles). */
export function addSums(a: HistorySums, b: HistorySums): HistorySums {
  a.checkedIn += b.checkedIn;
  a.completed += b.completed;
  a.firstTimeFix += b.firstTimeFix;
  a.standardMin += b.standardMin;
  a.workedMin += b.workedMin;
  a.delivered += b.delivered;
  a.serviceMin += b.serviceMin;
  a.comebacks += b.comebacks;
  a.surveys += b.surveys;
  a.satisfied += b.satisfied;
  a.complaints += b.complaints;
  a.scoreSum += b.scoreSum;
  for (const w of b.waits) a.waits.push(w);
  a.productiveMin += b.productiveMin;
  a.attendanceMin += b.attendanceMin;
  addCx(a.cx, b.cx);
  return a;
}

const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;
const share = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

/**
 * The figures of a bucket, by the brief's definitions over the bucket instead of "today". The
 * comeback rate is comebacks ÷ deliveries inside the bucket (the live board's 7-day window
 * does not fold).
 */
export function historyFigures(s: HistorySums, thresholds: Thresholds, cjiWeights?: Partial<Record<Touchpoint, number>>): HistoryFigures {
  const cx = cxFigures(s.cx, thresholds, cjiWeights);
  const lit = <N extends 'utilisation' | 'laborAchievement' | 'firstTimeFix' | 'comebackRate' | 'csat' | 'complaintRate' | 'averageWait'>(
    name: N,
    value: number | null,
  ): { value: number | null; light: Light } => ({ value, light: lightFor(name, value, thresholds) });
  const waitSum = s.waits.reduce((a, w) => a + w, 0);
  return {
    utilisation: lit('utilisation', share(s.productiveMin, s.attendanceMin)),
    laborAchievement: lit('laborAchievement', s.completed > 0 && s.workedMin > 0 ? share(s.standardMin, s.workedMin) : null),
    firstTimeFix: lit('firstTimeFix', share(s.firstTimeFix, s.completed)),
    comebackRate: lit('comebackRate', comebackRate(s.comebacks, s.delivered)),
    csat: lit('csat', share(s.satisfied, s.surveys)),
    complaintRate: lit('complaintRate', share(s.complaints, s.surveys)),
    averageWait: lit('averageWait', s.waits.length > 0 ? round(waitSum / s.waits.length, 1) : null),
    p90WaitMin: s.waits.length > 0 ? percentile(s.waits, 0.9) : null,
    nps: { value: cx.nps.value, light: cx.nps.light },
    ces: { value: cx.ces.value, light: cx.ces.light },
    cji: { value: cx.cji.value, light: cx.cji.light },
    averageServiceMin: s.delivered > 0 ? round(s.serviceMin / s.delivered, 1) : null,
    averageScore: s.surveys > 0 ? round(s.scoreSum / s.surveys, 2) : null,
  };
}
