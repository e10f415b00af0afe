import { z } from 'zod';
import { TOUCHPOINTS, type PitwallEvent } from './events.js';
import { light, lightFor, type Light, type Thresholds } from './lights.js';

/**
 * The customer-experience figures of the CX article (5.2–5.3), from `survey.submitted`:
 * NPS (promoters 9–10 minus detractors 0–6, in points), CSAT (4–5 of 5), CES (1–7, lower is
 * better), each touchpoint's average (0–10), and the customer journey index: the weighted mean
 * of the touchpoint averages (weights renormalised over the touchpoints that have answers).
 * Additive sums, so a day, a week or any cut adds up the same way.
 */
export type Touchpoint = (typeof TOUCHPOINTS)[number];

/** The article's CJI weights. */
export const DEFAULT_CJI_WEIGHTS: Readonly<Record<Touchpoint, number>> = {
  appointment: 0.1,
  reception: 0.15,
  advisor: 0.2,
  waiting: 0.15,
  repair: 0.25,
  delivery: 0.1,
  followUp: 0.05,
};

const touchSums = z.object(Object.fromEntries(TOUCHPOINTS.map((t) => [t, z.tuple([z.number(), z.number()])])) as Record<Touchpoint, z.ZodTuple<[z.ZodNumber, z.ZodNumber]>>);

export const cxSums = z.object({
  surveys: z.number(),
  satisfied: z.number(),
  complaints: z.number(),
  npsAnswers: z.number(),
  promoters: z.number(),
  detractors: z.number(),
  cesSum: z.number(),
  cesAnswers: z.number(),
  /** Per touchpoint: [sum of scores, answers]. */
  touchpoints: touchSums,
});
export type CxSums = z.infer<typeof cxSums>;

export function emptyCx(): CxSums {
  return {
    surveys: 0,
    satisfied: 0,
    complaints: 0,
    npsAnswers: 0,
    promoters: 0,
    detractors: 0,
    cesSum: 0,
    cesAnswers: 0,
    touchpoints: Object.fromEntries(TOUCHPOINTS.map((t) => [t, [0, 0]])) as unknown as CxSums['touchpoints'],
  };
}

/** Adds one survey into `into`. A score of 1 or 2 counts as a complaint (the contract carries no better signal). */
export function addSurvey(into: CxSums, e: Extract<PitwallEvent, { type: 'survey.submitted' }>): CxSums {
  into.surveys += 1;
  if (e.score >= 4) into.satisfied += 1;
  if (e.score <= 2) into.complaints += 1;
  if (e.nps !== undefined) {
    into.npsAnswers += 1;
    if (e.nps >= 9) into.promoters += 1;
    if (e.nps <= 6) into.detractors += 1;
  }
  if (e.ces !== undefined) {
    into.cesSum += e.ces;
    into.cesAnswers += 1;
  }
  for (const t of TOUCHPOINTS) {
    const v = e.touchpoints?.[t];
    if (v !== undefined) {
      into.touchpoints[t][0] += v;
      into.touchpoints[t][1] += 1;
    }
  }
  return into;
}

export function addCx(a: CxSums, b: CxSums): CxSums {
  a.surveys += b.surveys;
  a.satisfied += b.satisfied;
  a.complaints += b.complaints;
  a.npsAnswers += b.npsAnswers;
  a.promoters += b.promoters;
  a.detractors += b.detractors;
  a.cesSum += b.cesSum;
  a.cesAnswers += b.cesAnswers;
  for (const t of TOUCHPOINTS) {
    a.touchpoints[t][0] += b.touchpoints[t][0];
    a.touchpoints[t][1] += b.touchpoints[t][1];
  }
  return a;
}

const cxFigure = z.object({ value: z.number().nullable(), light, sample: z.number() });
export const cxFiguresSchema = z.object({
  nps: cxFigure,
  csat: cxFigure,
  ces: cxFigure,
  cji: cxFigure,
  complaintRate: cxFigure,
  touchpoints: z.array(z.object({ touchpoint: z.enum(TOUCHPOINTS), average: z.number().nullable(), answers: z.number(), weight: z.number() })),
  /** The touchpoints that pull the index down: scored below it, lowest first ("waiting 5/10 and delivery 6/10"). */
  weakest: z.array(z.object({ touchpoint: z.enum(TOUCHPOINTS), average: z.number() })),
});
export type CxFigures = z.infer<typeof cxFiguresSchema>;

const r = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

export function cxFigures(s: CxSums, thresholds: Thresholds, weights: Partial<Record<Touchpoint, number>> | undefined): CxFigures {
  const lit = (name: 'nps' | 'csat' | 'ces' | 'cji' | 'complaintRate', value: number | null, sample: number): { value: number | null; light: Light; sample: number } => ({
    value,
    light: lightFor(name, value, thresholds),
    sample,
  });
  const w = weights ?? DEFAULT_CJI_WEIGHTS;
  const touchpoints = TOUCHPOINTS.map((t) => {
    const [sum, n] = s.touchpoints[t];
    return { touchpoint: t, average: n > 0 ? r(sum / n, 2) : null, answers: n, weight: w[t] ?? 0 };
  });
  const scored = touchpoints.filter((t) => t.average !== null && t.weight > 0);
  const weight = scored.reduce((a, t) => a + t.weight, 0);
  const cji = weight > 0 ? r(scored.reduce((a, t) => a + t.average! * t.weight, 0) / weight, 2) : null;
  const weakest =
    cji === null
      ? []
      : scored
          .filter((t) => t.average! < cji)
          .sort((a, b) => a.average! - b.average!)
          .slice(0, 2)
          .map((t) => ({ touchpoint: t.touchpoint, average: t.average! }));
  return {
    nps: lit('nps', s.npsAnswers > 0 ? r(((s.promoters - s.detractors) / s.npsAnswers) * 100, 1) : null, s.npsAnswers),
    csat: lit('csat', s.surveys > 0 ? r(s.satisfied / s.surveys, 4) : null, s.surveys),
    ces: lit('ces', s.cesAnswers > 0 ? r(s.cesSum / s.cesAnswers, 2) : null, s.cesAnswers),
    cji: lit('cji', cji, scored.reduce((a, t) => a + t.answers, 0)),
    complaintRate: lit('complaintRate', s.surveys > 0 ? r(s.complaints / s.surveys, 4) : null, s.surveys),
    touchpoints,
    weakest,
  };
}
