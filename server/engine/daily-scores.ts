import type { RankedKpi } from '../../shared/daily.js';
import type { Light } from '../../shared/lights.js';

/**
 * How the daily report (daily.ts) scores and ranks people: the KPI article's weighted scores
 * (6.1 advisors, 6.2 technicians), each KPI scoring by its light, and competition ranks.
 */

/** Each KPI scores by its light: green 100, yellow 80, red 50. */
export const LIGHT_SCORE: Record<Light, number | null> = { green: 100, yellow: 80, red: 50, none: null };

/** The weighted mean of the known parts, one decimal; null when none is known. */
export function weighted(parts: readonly (readonly [number | null, number])[]): number | null {
  const known = parts.filter((p): p is readonly [number, number] => p[0] !== null);
  const weight = known.reduce((a, [, w]) => a + w, 0);
  return weight === 0 ? null : Math.round((known.reduce((a, [v, w]) => a + v * w, 0) / weight) * 10) / 10;
}

/** Competition ranking (1, 2, 2, 4) in place; entries without a value get none. */
export function rank(kpis: RankedKpi[], better: 'higher' | 'lower' | 'closest-to-one'): void {
  const key = (v: number) => (better === 'higher' ? -v : better === 'lower' ? v : Math.abs(v - 1));
  // Below the minimum sample a figure takes no place (personFigure).
  const ranked = kpis.filter((k) => k.value !== null && k.enough).sort((a, b) => key(a.value!) - key(b.value!));
  for (const k of ranked) k.rank = 1 + ranked.findIndex((o) => key(o.value!) === key(k.value!));
}
