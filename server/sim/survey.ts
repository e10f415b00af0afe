import type { EventOf } from '../../shared/events.js';
import type { Random } from './random.js';
import type { Car } from './sim-day.js';

/**
 * What a simulated customer answers after collecting the car (shared/cx.ts): the score,
 * NPS, effort (CES) and the touchpoints of the CX article. Calibrated on the KPI article's
 * case (7.2): a weekday's journey index near 8.6, a weekend's with the weekday staff near 7.9,
 * and the weekend's waiting touchpoint near 6.2 (test/unit/simulate-day.test.ts holds eight
 * weeks of the demo to these within a band; their satisfaction, 4 or 5 of 5, comes out near
 * 85 % and 71 %). What drives it is what the customer lived: minutes waited beyond what they
 * expected, and how crowded the reception was.
 */

type SurveyFields = Omit<EventOf<'survey.submitted'>, 'id' | 'type' | 'at'>;

/** Share of collected cars whose customer answers the survey. */
export const SURVEY_SHARE = 0.55;
/** Share of those who also answer the follow-up call a few days later (asked with the rest). */
const FOLLOW_UP_SHARE = 0.3;
/** Minutes past the work itself a waiting customer expects to spend (reception, hand-over). */
const EXPECTED_EXTRA_MIN = 20;

/**
 * Minutes the customer waited beyond expectation: a customer waiting on site, everything
 * between check-in and ready beyond the work and the hand-over; a drop-off, the car ready
 * after the promised time.
 */
export function overWaitMinutes(car: Car, readyAt: number): number {
  if (car.waiting) return Math.max(0, readyAt - car.checkedInAt - car.standard - EXPECTED_EXTRA_MIN);
  return car.promisedAt === null ? 0 : Math.max(0, readyAt - car.promisedAt);
}

/**
 * The score and NPS as the simulator always drew them from the day's own stream `rnd` (a
 * customer on site who waited over an hour scores lower, over two hours lower still), so the
 * floor's randomness after a survey, and every seeded day the tests know, stays what it was;
 * the touchpoints and effort are drawn from `answers`.
 */
export function surveyOf(rnd: Random, answers: Random, car: Car, readyAt: number, collectedAt: number): SurveyFields {
  const waited = car.waiting ? collectedAt - car.checkedInAt : 0;
  const score = clamp(rnd.normal(waited <= 60 ? 4.6 : waited <= 120 ? 3.9 : 3.1, 0.7), 1, 5);
  const nps = Math.min(10, Math.max(0, score * 2 + rnd.int(-1, 0)));
  const over = overWaitMinutes(car, readyAt);
  // A touchpoint score: a mean, a fall per hour waited too long, the customer's own spread.
  const score10 = (mean: number, perHour: number, sd: number) => clamp(answers.normal(mean - (perHour * over) / 60, sd), 0, 10);
  const touchpoints: NonNullable<SurveyFields['touchpoints']> = {
    reception: clamp(answers.normal(8.95 - 0.09 * Math.min(car.queuedAhead, 30), 0.8), 0, 10),
    advisor: score10(8.85, 0.5, 0.8),
    waiting: score10(8.4, 2.2, 1.0),
    repair: score10(8.7, 0.3, 0.8),
    delivery: score10(8.55, 0.8, 0.9),
  };
  if (car.booked) touchpoints.appointment = score10(9.0, 0.3, 0.8);
  if (answers.chance(FOLLOW_UP_SHARE)) touchpoints.followUp = score10(8.6, 0.3, 1.0);
  // Effort: 1 (easy) to 7; waiting long and coming back to ask is effort.
  const ces = clamp(answers.normal(2 + (1.2 * over) / 60, 0.8), 1, 7);
  return { jobId: car.jobId, score, nps, ces, touchpoints };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}
