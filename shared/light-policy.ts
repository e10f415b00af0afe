import { z } from 'zod';
import { HIGHER_IS_BETTER, lightFor, severity, type BandRule, type Light, type ThresholdName, type Thresholds } from './lights.js';
import { KPI_NAMES, type KpiName } from './snapshot.js';

/**
 * Lights that do not lie on small numbers (a workshop's choice; default: the plain rules).
 *
 * `minSample`: below it a KPI shows its value with no light ("none"): three jobs cannot turn
 * first-time fix red. Samples: completions today (labour-time achievement, first-time fix),
 * deliveries in the 7-day window (comeback rate), surveys today (CSAT), customers waiting
 * (average wait), minutes of attendance today (utilisation).
 *
 * `hysteresis`: a margin in the KPI's own unit (0.02 = 2 points of a rate; 5 = 5 minutes of
 * wait). An alert (the banner and the sound) is raised only once the value is past the line by
 * the margin, and cleared only once it is back by the margin, so a value hovering on a line
 * does not make the TV flash and beep. The board's tiles keep the plain rule: every hub and
 * every replay must show the same colours, and a tile's colour must match its legend.
 */
const policy = z
  .object({
    minSample: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' }).optional(),
    hysteresis: z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).optional(),
  })
  .strict();
export const lightPolicy = z.partialRecord(z.enum(KPI_NAMES, { error: `must be one of ${KPI_NAMES.join(', ')}` }), policy);
export type LightPolicy = z.infer<typeof lightPolicy>;

/** The light a KPI shows given how much it rests on. */
export function sampledLight(name: KpiName, value: number | null, sample: number, thresholds: Thresholds, p: LightPolicy | undefined): Light {
  const min = p?.[name]?.minSample ?? 0;
  return sample < min ? 'none' : lightFor(name, value, thresholds);
}

/**
 * The light an alert moves to from `shown`: the plain light, unless getting there needs the
 * value to be past the line by less than `margin` (then `shown` stays). Judged by moving the
 * value back toward `shown`'s side by the margin (for a band, toward or away from its middle).
 */
export function hysteresisLight(name: ThresholdName, value: number | null, raw: Light, shown: Light, margin: number, thresholds: Thresholds): Light {
  if (margin <= 0 || value === null || raw === 'none' || severity(raw) === severity(shown)) return raw;
  const worsening = severity(raw) > severity(shown);
  const rule = thresholds[name];
  let moved: number;
  if (Array.isArray(rule.green)) {
    const [lo, hi] = (rule as BandRule).green;
    const mid = (lo + hi) / 2;
    // Worsening must survive a step toward the middle; recovering, a step away from it.
    const towardMiddle = Math.sign(mid - value) * Math.min(margin, Math.abs(mid - value));
    moved = worsening ? value + towardMiddle : value - Math.sign(mid - value || 1) * margin;
  } else {
    const better = HIGHER_IS_BETTER.has(name) ? margin : -margin;
    moved = worsening ? value + better : value - better;
  }
  const judged = lightFor(name, moved, thresholds);
  if (worsening) return severity(judged) > severity(shown) ? judged : shown;
  return severity(judged) < severity(shown) ? judged : shown;
}

/**
 * The least a figure about one person (or one team) must rest on before it gets a light or a
 * rank (issue 12, item 14): a minute after clock-in, 0.6 % utilisation is not "red", and 100 %
 * on 0.1 h is not the best of the day. Samples as for `minSample`: minutes of attendance
 * (utilisation, proficiency), completions (labour-time achievement, first-time fix),
 * deliveries (comeback rate), surveys (CSAT, complaint rate). The workshop's own `minSample`
 * applies when it is higher: one rule, with a floor for ranking people. The counts' floor is
 * one (a workshop raises it with `minSample`); the minutes' is an hour of attendance, since
 * a shift's first minutes are mostly clocking in. See docs/api.md.
 */
export const PERSON_MIN_SAMPLE = {
  utilisation: 60,
  proficiency: 60,
  laborAchievement: 1,
  firstTimeFix: 1,
  comebackRate: 1,
  csat: 1,
  complaintRate: 1,
} as const satisfies Record<string, number>;
export type PersonFigure = keyof typeof PERSON_MIN_SAMPLE;

/** Whether a person's (or team's) figure rests on enough to be lit and ranked. */
export function enoughForPerson(name: PersonFigure, sample: number, p: LightPolicy | undefined): boolean {
  const own = (KPI_NAMES as readonly string[]).includes(name) ? (p?.[name as KpiName]?.minSample ?? 0) : 0;
  return sample >= Math.max(own, PERSON_MIN_SAMPLE[name]);
}
