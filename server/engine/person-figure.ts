import type { RankedKpi } from '../../shared/daily.js';
import { enoughForPerson, type LightPolicy, type PersonFigure } from '../../shared/light-policy.js';
import { lightFor, type Thresholds } from '../../shared/lights.js';

/**
 * One person's (or team's) figure as the daily report ranks it: below the minimum sample
 * (shared/light-policy.ts, docs/api.md) it keeps its value but gets no light and, in
 * `rank`, no place in the league (issue 12, item 14). Proficiency has no target, so no light.
 */
export function personFigure(name: PersonFigure, value: number | null, sample: number, th: Thresholds, policy: LightPolicy | undefined): RankedKpi {
  const enough = enoughForPerson(name, sample, policy);
  return { value, light: name === 'proficiency' || !enough ? 'none' : lightFor(name, value, th), rank: null, sample, enough };
}
