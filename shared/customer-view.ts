import { z } from 'zod';
import { isoTime, serviceType } from './events.js';

/**
 * What a customer's page ("到店提醒", docs/api.md, "The customer's page") shows of one car,
 * and all it ever receives: no other car, no staff surname, the plate partly masked. The same
 * view drives the outbound notifications (`job.turn_soon`, `job.ready`,
 * `job.promise_at_risk`), so a message never says more than the page.
 */

/** The customer's words for the job's state: "paused for parts" and "ready for pick-up" are theirs, not the engine's. */
export const CUSTOMER_STATES = ['waiting', 'in_progress', 'waiting_for_parts', 'paused', 'ready', 'delivered', 'cancelled'] as const;
export const customerState = z.enum(CUSTOMER_STATES);
export type CustomerState = z.infer<typeof customerState>;

/** A predicted moment as a range: the forecast ± its observed error (the lead's `predictionError`). */
export const timeRange = z.object({ earliest: isoTime, latest: isoTime });
export type TimeRange = z.infer<typeof timeRange>;

export const customerJobView = z.object({
  /** The workshop's display name, for the page's title. */
  workshopName: z.string(),
  /** e.g. 沪A·····5: the first two characters and the last one. */
  plateMasked: z.string(),
  service: serviceType,
  state: customerState,
  /** Cars ahead in the queue (0: next); null once the car is on a bay or done. */
  queuePosition: z.number().int().nonnegative().nullable(),
  /** Null once started, or when nobody is on shift to predict with. */
  predictedStart: timeRange.nullable(),
  /** Null once ready, delivered or cancelled, or when it cannot be predicted. */
  predictedReady: timeRange.nullable(),
  promisedAt: isoTime.nullable(),
  /** The forecast says the promise will be missed; `predictedReady` is then the honest new estimate. */
  promiseAtRisk: z.boolean(),
  /** Waiting on site (true) or dropped off (false); the desk can switch it. */
  customerWaiting: z.boolean(),
  /** For a customer waiting on site whose turn is far: when to be back (the start range's earliest minus a margin); null otherwise. */
  backBy: isoTime.nullable(),
  /** The technician's given name only, once the car is on a bay; null otherwise. */
  technicianGivenName: z.string().nullable(),
  asOf: isoTime,
});
export type CustomerJobView = z.infer<typeof customerJobView>;
