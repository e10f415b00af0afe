import { MINUTE_MS } from '../../shared/time.js';

/**
 * Jobs whose worked time says more about a forgotten tap than about the work (issue 12,
 * item 8): a job started and completed within seconds gave 189,076 % labour-time achievement
 * and turned the workshop tile red. Such a completed job is listed for the lead (daily report,
 * `implausible_time`) and left out of labour-time achievement and proficiency. The lines
 * (docs/api.md, "Implausible worked time"):
 */
/** Worked less than this share of the standard: probably started late (Start tapped just before Complete). */
export const IMPLAUSIBLE_MIN_SHARE = 0.2;
/** Worked less than this, whatever the standard: no job is done in under 3 minutes. */
export const IMPLAUSIBLE_MIN_MS = 3 * MINUTE_MS;
/** Worked more than this many times the standard: probably completed long after the work ended. */
export const IMPLAUSIBLE_MAX_FACTOR = 5;

export type ImplausibleTime = 'too_short' | 'too_long';

export function implausibleTime(workedMs: number, standardMinutes: number): ImplausibleTime | null {
  const standardMs = standardMinutes * MINUTE_MS;
  if (workedMs < IMPLAUSIBLE_MIN_MS || workedMs < IMPLAUSIBLE_MIN_SHARE * standardMs) return 'too_short';
  if (workedMs > IMPLAUSIBLE_MAX_FACTOR * standardMs) return 'too_long';
  return null;
}

/** What the report says of one (English, like the hub's other problem details; the client translates it). */
export function implausibleDetail(workedMs: number, standardMinutes: number): string {
  const worked = Math.round((workedMs / MINUTE_MS) * 10) / 10;
  return `${worked} min worked against a standard of ${standardMinutes} min: left out of labour-time achievement and proficiency`;
}
