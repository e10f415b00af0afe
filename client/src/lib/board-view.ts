import { describeRule, severity, type Light, type ThresholdName, type Thresholds } from '../../../shared/lights.js';
import type { ActiveAlert, BaySnapshot, BoardSnapshot, DataFlag, KpiName, TerminalStatus } from '../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { isolate, visibleId } from './display-text.js';
import { maskPlate, minutesText, percent } from './format.js';

/**
 * What the board draws, computed from a snapshot and the workshop's config without Vue: bay
 * cards, KPI figures, alert chips, flags, the legend. Privacy mode (a TV customers can see)
 * is applied here, once, so no component can forget it: plates masked, no names at all.
 */

/** Colour is never the only signal: each light has a shape as well (and the word, in the UI). */
export const LIGHT_GLYPH: Record<Light, string> = { green: '●', yellow: '▲', red: '■', none: '○' };

/** The six KPI tiles, in the order of the brief. */
export const BOARD_KPIS: readonly KpiName[] = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait'];

/** Minutes, not a ratio. */
const IN_MINUTES: ReadonlySet<ThresholdName> = new Set(['averageWait']);

export function kpiText(name: KpiName, value: number | null): string {
  if (value === null) return '—';
  return IN_MINUTES.has(name) ? minutesText(value) : percent(value);
}

/** The unit shown after a KPI's figure ("min" for the wait; percentages carry their "%"). */
export function kpiUnit(name: KpiName, value: number | null): 'min' | null {
  return value !== null && IN_MINUTES.has(name) ? 'min' : null;
}

export function plateText(plate: string | null, privacy: boolean): string {
  if (plate === null) return '';
  // A plate typed with control or format characters (an old log) shows them as marks.
  return privacy ? maskPlate(visibleId(plate)) : visibleId(plate);
}

/** A technician's name, or nothing at all in privacy mode. */
export function technicianText(workshop: WorkshopConfig | null, id: string | null, privacy: boolean): string {
  if (id === null || privacy) return '';
  return workshop?.technicians.find((t) => t.id === id)?.name ?? id;
}

export function bayName(workshop: WorkshopConfig | null, bayId: string): string {
  return workshop?.bays.find((b) => b.id === bayId)?.name ?? bayId;
}

/**
 * A bay whose tablet has gone quiet: every terminal known at the bay is silent. Its last
 * contact is the latest of theirs. A bay with no known terminal is not marked (it may be fed
 * from elsewhere); one live terminal is enough to vouch for the bay.
 */
export function silentSince(terminals: readonly TerminalStatus[], bayId: string): string | null {
  const here = terminals.filter((t) => t.bayId === bayId);
  if (here.length === 0 || here.some((t) => !t.silent)) return null;
  return here.reduce((latest, t) => (Date.parse(t.lastSeenAt) > Date.parse(latest) ? t.lastSeenAt : latest), here[0]!.lastSeenAt);
}

export interface BayCard {
  bayId: string;
  name: string;
  state: BaySnapshot['state'];
  light: Light;
  plate: string;
  technician: string;
  elapsedMin: number | null;
  standardMin: number | null;
  /** elapsed ÷ standard, null without a job or a standard. */
  ratio: number | null;
  pauseReason: BaySnapshot['pauseReason'];
  /** ISO time of the last contact when the bay's terminal is silent. */
  terminalSilentSince: string | null;
}

/**
 * One card per bay in the config's order (the snapshot's bays follow the config too, but a
 * bay the snapshot lacks still gets a card, and one the config lacks is kept at the end).
 */
export function bayCards(snapshot: BoardSnapshot, workshop: WorkshopConfig | null, privacy: boolean): BayCard[] {
  const byId = new Map(snapshot.bays.map((b) => [b.bayId, b]));
  const order = workshop ? workshop.bays.map((b) => b.id) : [];
  for (const b of snapshot.bays) if (!order.includes(b.bayId)) order.push(b.bayId);
  return order.map((bayId) => {
    const b = byId.get(bayId);
    const elapsedMin = b?.elapsedMin ?? null;
    const standardMin = b?.standardMin ?? null;
    return {
      bayId,
      name: bayName(workshop, bayId),
      state: b?.state ?? 'idle',
      light: b?.light ?? 'none',
      plate: plateText(b?.plate ?? null, privacy),
      technician: technicianText(workshop, b?.technicianId ?? null, privacy),
      elapsedMin,
      standardMin,
      ratio: elapsedMin !== null && standardMin ? elapsedMin / standardMin : null,
      pauseReason: b?.pauseReason ?? null,
      terminalSilentSince: silentSince(snapshot.terminals, bayId),
    };
  });
}

/** Columns of the bay grid: wide rather than tall, since the grid is a wide panel. */
export function bayColumns(count: number): number {
  if (count <= 4) return Math.max(1, count);
  return Math.min(count, Math.ceil(Math.sqrt(count * 2)));
}

export interface AlertChip {
  metric: string;
  light: Light;
  /** A KPI's name, or null for a bay. */
  kpi: KpiName | null;
  bayId: string | null;
  /** What the figure is now, as shown on its tile or card, and its unit (minutes, or none for a percentage). */
  value: string;
  unit: 'min' | null;
  acknowledged: boolean;
  since: string;
}

function isKpiName(metric: string): metric is KpiName {
  return (BOARD_KPIS as readonly string[]).includes(metric);
}

/**
 * The banner's chips, worst first then oldest first (the hub already sends them so; sorting
 * again keeps the banner right whatever the order). The hub's English `message` is not shown:
 * it names plates, which privacy mode must not, and it is not translated.
 */
export function alertChips(snapshot: BoardSnapshot): AlertChip[] {
  return [...snapshot.alerts]
    .filter((a) => severity(a.light) > 0)
    .sort((a, b) => severity(b.light) - severity(a.light) || Date.parse(a.since) - Date.parse(b.since))
    .map((a: ActiveAlert): AlertChip => {
      const base = { metric: a.metric, light: a.light, acknowledged: a.acknowledgedAt !== null, since: a.since };
      if (isKpiName(a.metric)) {
        const k = snapshot.kpis[a.metric];
        return { ...base, kpi: a.metric, bayId: null, value: kpiText(a.metric, k.value), unit: kpiUnit(a.metric, k.value) };
      }
      const bayId = a.metric.startsWith('bay:') ? a.metric.slice(4) : a.metric;
      const bay = snapshot.bays.find((b) => b.bayId === bayId);
      const ratio = bay?.elapsedMin != null && bay.standardMin ? bay.elapsedMin / bay.standardMin : null;
      // A bay alert outlives its job for the hub's recovery hold: the next job's figure would contradict the chip.
      const recovering = !bay || severity(bay.light) < severity(a.light);
      return { ...base, kpi: null, bayId, value: recovering ? '' : percent(ratio), unit: null };
    });
}

export function alertCounts(chips: readonly AlertChip[]): { red: number; yellow: number } {
  return { red: chips.filter((c) => c.light === 'red').length, yellow: chips.filter((c) => c.light === 'yellow').length };
}

/** What changed for the eye: a new alert, or one that got worse. Drives the banner's pulse. */
export function alertSignature(snapshot: BoardSnapshot | null): string {
  if (!snapshot) return '';
  return snapshot.alerts
    .map((a) => `${a.metric}:${a.light}`)
    .sort()
    .join(',');
}

export interface FlagRow {
  kind: DataFlag['kind'];
  since: string;
  /** Bay name and plate (masked in privacy mode), or the technician when no bay (none in privacy mode). */
  subject: string;
}

/**
 * The floor's flags, for the TV. `implausible_time` (a finished job's worked time in doubt) is a
 * question for the lead, who confirms it on the lead console: nobody on the floor can act on it.
 */
export function flagRows(snapshot: BoardSnapshot, workshop: WorkshopConfig | null, privacy: boolean): FlagRow[] {
  return snapshot.flags.filter((f) => f.kind !== 'implausible_time').map((f) => {
    const bay = f.bayId ? snapshot.bays.find((b) => b.bayId === f.bayId) : undefined;
    const plate = bay && bay.jobId === f.jobId ? plateText(bay.plate, privacy) : '';
    // The bay card already names who works there: a flag on a bay needs only bay and plate to be found.
    const who = f.bayId ? '' : technicianText(workshop, f.technicianId, privacy);
    const parts = [f.bayId ? bayName(workshop, f.bayId) : '', plate, who].filter((s) => s !== '');
    // Each typed part isolated: one part's override cannot run into the next or the "since".
    return { kind: f.kind, since: f.since, subject: parts.map(isolate).join(' · ') };
  });
}

export interface LegendRow {
  name: ThresholdName;
  green: string;
  yellow: string;
  /** Red is what is left: below/above the yellow line, or either side of the yellow band. */
  red: string;
}

const LEGEND_ORDER: readonly ThresholdName[] = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait', 'bayElapsed'];

/** `minutes`: the page's word for minutes (i18n `unit.min`: "min", "分钟"). */
export function legendRows(thresholds: Thresholds, minutes: string): LegendRow[] {
  return LEGEND_ORDER.map((name) => {
    const inMinutes = IN_MINUTES.has(name);
    const rule = describeRule(name, thresholds, !inMinutes);
    const unit = inMinutes ? ` ${minutes}` : '';
    const green = rule.green + unit;
    const yellow = rule.yellow + unit;
    let red: string;
    if (yellow.startsWith('≥ ')) red = `< ${yellow.slice(2)}`;
    else if (yellow.startsWith('≤ ')) red = `> ${yellow.slice(2)}`;
    else {
      const [low, high] = rule.yellow.split('–');
      red = `< ${low} · > ${high}${unit}`;
    }
    return { name, green, yellow, red };
  });
}
