import { z } from 'zod';

/**
 * Traffic-light rules (docs/api.md, "Default lights"). A rule has one of three shapes, fixed by
 * the figure it judges:
 *   higher is better  { green: 0.75, yellow: 0.65 }          value ≥ green → green, ≥ yellow → yellow
 *   lower is better   { green: 45,   yellow: 90 }            value ≤ green → green, ≤ yellow → yellow
 *   band              { green: [0.9, 1.1], yellow: [0.8, 1.2] } inside green → green, inside yellow → yellow
 * Anything else is red; a boundary value takes the better colour; no value → "none".
 */

export const LIGHTS = ['green', 'yellow', 'red', 'none'] as const;
export const light = z.enum(LIGHTS);
export type Light = z.infer<typeof light>;

const finite = z.number({ error: 'must be a number' }).refine(Number.isFinite, { error: 'must be a finite number' });

export const higherIsBetterRule = z
  .object({ green: finite, yellow: finite })
  .strict()
  .refine((r) => r.yellow <= r.green, { error: 'yellow must not be above green (higher is better)', path: ['yellow'] });

export const lowerIsBetterRule = z
  .object({ green: finite, yellow: finite })
  .strict()
  .refine((r) => r.yellow >= r.green, { error: 'yellow must not be below green (lower is better)', path: ['yellow'] });

const band = z
  .tuple([finite, finite], { error: 'must be a [low, high] pair of numbers' })
  .refine(([lo, hi]) => lo <= hi, { error: 'low must not exceed high' });

export const bandRule = z
  .object({ green: band, yellow: band })
  .strict()
  .refine((r) => r.yellow[0] <= r.green[0] && r.yellow[1] >= r.green[1], {
    error: 'the yellow band must contain the green band',
    path: ['yellow'],
  });

export type HigherIsBetterRule = z.infer<typeof higherIsBetterRule>;
export type LowerIsBetterRule = z.infer<typeof lowerIsBetterRule>;
export type BandRule = z.infer<typeof bandRule>;

/** Which shape each figure's rule has, and the defaults from the brief. */
export const thresholdsSchema = z
  .object({
    utilisation: higherIsBetterRule,
    laborAchievement: bandRule,
    firstTimeFix: higherIsBetterRule,
    comebackRate: lowerIsBetterRule,
    csat: higherIsBetterRule,
    averageWait: lowerIsBetterRule,
    bayElapsed: lowerIsBetterRule,
    complaintRate: lowerIsBetterRule,
    /** CX article 5.2: net promoter score, −100…+100. */
    nps: higherIsBetterRule,
    /** CX article 5.2: customer effort, 1 (easy) … 7 (hard). */
    ces: lowerIsBetterRule,
    /** CX article 5.2: customer journey index, 0–10. */
    cji: higherIsBetterRule,
    /** Check-in to delivery, minutes. */
    averageServiceTime: lowerIsBetterRule,
  })
  .strict();
export type Thresholds = z.infer<typeof thresholdsSchema>;
export type ThresholdName = keyof Thresholds;

/** Per-workshop overrides: any subset of the figures, each a whole rule. */
export const thresholdOverrides = thresholdsSchema.partial();
export type ThresholdOverrides = z.infer<typeof thresholdOverrides>;

export const DEFAULT_THRESHOLDS: Thresholds = {
  utilisation: { green: 0.75, yellow: 0.65 },
  laborAchievement: { green: [0.9, 1.1], yellow: [0.8, 1.2] },
  firstTimeFix: { green: 0.9, yellow: 0.85 },
  comebackRate: { green: 0.03, yellow: 0.05 },
  csat: { green: 0.9, yellow: 0.85 },
  averageWait: { green: 45, yellow: 90 },
  bayElapsed: { green: 1.1, yellow: 1.2 },
  // The KPI article's advisor target is ≤ 2 %; the yellow band up to 4 % is ours.
  complaintRate: { green: 0.02, yellow: 0.04 },
  // The CX article's dashboard: NPS tiers (+45 "good" and up; +28 the premium brands' average),
  // CES target < 2.0, CJI target 8.5 (7.55 its example before the fixes), service time < 2 h.
  nps: { green: 45, yellow: 28 },
  ces: { green: 2, yellow: 3 },
  cji: { green: 8.5, yellow: 7.5 },
  averageServiceTime: { green: 120, yellow: 180 },
};

export const HIGHER_IS_BETTER: ReadonlySet<ThresholdName> = new Set(['utilisation', 'firstTimeFix', 'csat', 'nps', 'cji']);

export function resolveThresholds(overrides: ThresholdOverrides | undefined): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...overrides };
}

export function lightFor<N extends ThresholdName>(name: N, value: number | null, thresholds: Thresholds): Light {
  if (value === null || Number.isNaN(value)) return 'none';
  const rule = thresholds[name];
  if (Array.isArray(rule.green)) {
    const { green, yellow } = rule as BandRule;
    if (value >= green[0] && value <= green[1]) return 'green';
    if (value >= yellow[0] && value <= yellow[1]) return 'yellow';
    return 'red';
  }
  const { green, yellow } = rule as HigherIsBetterRule;
  if (HIGHER_IS_BETTER.has(name)) {
    if (value >= green) return 'green';
    if (value >= yellow) return 'yellow';
    return 'red';
  }
  if (value <= green) return 'green';
  if (value <= yellow) return 'yellow';
  return 'red';
}

const SEVERITY: Record<Light, number> = { none: 0, green: 0, yellow: 1, red: 2 };

/** Red is worse than yellow is worse than green; "none" (no data) never raises an alert. */
export function severity(l: Light): number {
  return SEVERITY[l];
}

/** Human-readable rule, for alert messages and legends: "≥ 75 %", "≤ 45", "90–110 %". */
export function describeRule(name: ThresholdName, thresholds: Thresholds, asPercent: boolean): { green: string; yellow: string } {
  const fmt = (v: number) => (asPercent ? `${Math.round(v * 1000) / 10} %` : `${v}`);
  const rule = thresholds[name];
  if (Array.isArray(rule.green)) {
    const { green, yellow } = rule as BandRule;
    return { green: `${fmt(green[0])}–${fmt(green[1])}`, yellow: `${fmt(yellow[0])}–${fmt(yellow[1])}` };
  }
  const { green, yellow } = rule as HigherIsBetterRule;
  const op = HIGHER_IS_BETTER.has(name) ? '≥' : '≤';
  return { green: `${op} ${fmt(green)}`, yellow: `${op} ${fmt(yellow)}` };
}
