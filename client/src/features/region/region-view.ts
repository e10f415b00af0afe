import { severity, type Light } from '../../../../shared/lights.js';
import { KPI_NAMES, type BoardSnapshot, type KpiName } from '../../../../shared/snapshot.js';

/**
 * Head office's view of many workshops: each site judged by the lights of its live board, the
 * ones that need a call first. Pure, so the order is tested without a browser.
 */
export interface RegionSite {
  id: string;
  name: string;
  timezone: string;
  snapshot: BoardSnapshot | null;
  /** Why there is no board (the hub refused or did not answer). */
  error: string | null;
}

export interface RankedSite extends RegionSite {
  reds: number;
  yellows: number;
  worst: Light;
  /** The KPIs by their light, worst first: what to ask the site about. */
  kpis: { name: KpiName; value: number | null; light: Light }[];
}

/** The KPIs whose lights rank a site: the board's six, in the brief's order. */
export const REGION_KPIS: readonly KpiName[] = KPI_NAMES;

export function rankSite(site: RegionSite): RankedSite {
  const kpis = REGION_KPIS.map((name) => ({ name, value: site.snapshot?.kpis[name].value ?? null, light: site.snapshot?.kpis[name].light ?? ('none' as Light) }));
  const reds = kpis.filter((k) => k.light === 'red').length;
  const yellows = kpis.filter((k) => k.light === 'yellow').length;
  const worst: Light = reds > 0 ? 'red' : yellows > 0 ? 'yellow' : kpis.some((k) => k.light === 'green') ? 'green' : 'none';
  return { ...site, reds, yellows, worst, kpis };
}

/**
 * Reds first (more reds first), then yellows, then green, then sites without figures, each by name. A site without an answer
 * goes to the top: not knowing is worse than a red light.
 */
export function rankSites(sites: readonly RegionSite[]): RankedSite[] {
  return sites
    .map(rankSite)
    .sort(
      (a, b) =>
        Number(b.error !== null) - Number(a.error !== null) ||
        b.reds - a.reds ||
        b.yellows - a.yellows ||
        severity(b.worst) - severity(a.worst) ||
        // A site with figures before one with none yet (opening time, an empty workshop).
        Number(a.worst === 'none') - Number(b.worst === 'none') ||
        a.name.localeCompare(b.name),
    );
}
