import { z } from 'zod';
import { isoTime } from './events.js';

/**
 * The lead's forecast (an addition to the first contract, docs/api.md, `GET /api/v1/workshops/:ws/forecast`):
 * predicted waits of the customers on site with the staff on shift and with more, the fewest
 * extra technicians that bring the average under the green line, and promises the queue will miss.
 */
export const workshopForecast = z.object({
  workshopId: z.string(),
  asOf: isoTime,
  onShift: z.number().int(),
  waitingCustomers: z.number().int(),
  /** Every car in the queue (not yet on a bay), drop-offs as well as customers waiting on site. */
  queuedCars: z.number().int(),
  /** Issue 15: booked cars due in the next 4 hours (or just due), counted in the queue the predictions come from. */
  bookedArrivals: z.number().int(),
  /** The 90th-percentile wait of the customers on site right now (the customer's view beside the average). */
  p90WaitNowMin: z.number().nullable(),
  greenLineMin: z.number(),
  /** The queued customers' average wait if every queued car started now: what no staff can undo. Null when nobody queues. */
  bestPossibleAverageWaitMin: z.number().nullable(),
  /** What the advice aims at: the green line, or the best still possible + 5 min once the line is out of reach. */
  targetAverageWaitMin: z.number(),
  scenarios: z.array(
    z.object({
      extraTechnicians: z.number().int(),
      /** Average over customers on site whose car is still queued of (predicted start − check-in): the wait for their turn; null when nobody is on shift or nobody queues. */
      predictedAverageWaitMin: z.number().nullable(),
      predictedP90WaitMin: z.number().nullable(),
    }),
  ),
  /** Fewest extra technicians that bring the predicted average to the target. 0: it holds already; null: not even with the most extra staff considered (or no waiting customers and nothing to do). */
  extraTechniciansNeeded: z.number().int().nullable(),
  /**
   * When the target is out of reach (`extraTechniciansNeeded` null): the fewest extra
   * technicians that bring the predicted average within 1 min of the lowest any scenario
   * reaches, and that average. Null when the target is reachable or no scenario has a figure.
   */
  closest: z.object({ extraTechnicians: z.number().int(), predictedAverageWaitMin: z.number() }).nullable(),
  /**
   * When promises are at risk with the staff on shift: the fewest extra technicians (up to the
   * most considered) that keep the most of them, and how many stay at risk then
   * (`extraTechnicians` 0: more staff saves none of them). Null when no promise is at risk.
   */
  promiseAdvice: z.object({ extraTechnicians: z.number().int(), atRiskNow: z.number().int(), atRiskAfter: z.number().int() }).nullable(),
  /**
   * How good the predictions were: for jobs started in the last 7 days, actual start minus the
   * start predicted at check-in. Median and 90th percentile of the absolute error, the median
   * signed error (positive: later than predicted), and how many jobs that is.
   */
  predictionError: z.object({
    samples: z.number().int(),
    medianAbsMin: z.number().nullable(),
    p90AbsMin: z.number().nullable(),
    medianSignedMin: z.number().nullable(),
  }),
  promisesAtRisk: z.array(z.object({ jobId: z.string(), plate: z.string(), promisedAt: isoTime, predictedDoneAt: isoTime, lateMin: z.number() })),
});
export type WorkshopForecast = z.infer<typeof workshopForecast>;

/**
 * Staffing for the coming hours from the arrival pattern of past weeks (`GET
 * /api/v1/workshops/:ws/staffing`). `predictedAverageWaitMinWithOnShift` null: the staff on
 * shift now could not keep up (the queue would grow without end) or no cars are expected.
 */
export const staffingPlan = z.object({
  workshopId: z.string(),
  asOf: isoTime,
  onShift: z.number().int(),
  greenLineMin: z.number(),
  meanStandardMin: z.number().nullable(),
  /** Whole weeks of history the arrival pattern is the mean of (at most 4); 0: too little, `hours` is empty. */
  weeksOfHistory: z.number().int(),
  /** Days of history the log holds before today (at most 28). */
  historyDays: z.number().int(),
  /** Whole weeks the pattern needs before it estimates anything (each weekday and hour seen once). */
  weeksNeeded: z.number().int(),
  /**
   * Issue 15: what `expectedArrivals` is made of. `arrivals`: the mean of all check-ins (the shop
   * books no appointments); `walk_ins_and_bookings`: the cars booked for the hour plus the mean
   * of check-ins that named no appointment.
   */
  basis: z.enum(['arrivals', 'walk_ins_and_bookings']),
  assumptions: z.string(),
  hours: z.array(
    z.object({
      from: isoTime,
      expectedArrivals: z.number(),
      walkInArrivals: z.number(),
      bookedArrivals: z.number().int(),
      techniciansNeeded: z.number().int().nullable(),
      predictedAverageWaitMinWithOnShift: z.number().nullable(),
    }),
  ),
});
export type StaffingPlan = z.infer<typeof staffingPlan>;

/** `POST /api/v1/workshops/:ws/forecast/preview`: a move the lead is considering. */
export const movePreviewRequest = z
  .object({ technicianId: z.string().min(1), team: z.string().min(1).optional(), bayId: z.string().min(1).optional() })
  .strict()
  .refine((m) => m.team !== undefined || m.bayId !== undefined, { error: 'needs team and/or bayId', path: ['team'] });
export type MovePreviewRequest = z.infer<typeof movePreviewRequest>;

export const movePreview = z.object({ before: workshopForecast, after: workshopForecast });
export type MovePreview = z.infer<typeof movePreview>;
