import { hysteresisLight, type LightPolicy } from '../../shared/light-policy.js';
import { describeRule, severity, type Light, type ThresholdName, type Thresholds } from '../../shared/lights.js';
import type { ActiveAlert, AlertMessage, KpiName } from '../../shared/snapshot.js';
import { MINUTE_MS, toIso } from '../../shared/time.js';
import type { BoardFigures } from './figures.js';

/**
 * Alerts (docs/api.md: "raised when a light gets worse and cleared when it recovers; flapping
 * across a boundary must not spam the board").
 *
 * The rule: a worse light is announced at once; a better one only after it has held for
 * RECOVERY_HOLD_MS. A wait hovering around 45 min therefore goes yellow once and stays
 * yellow until it has really been green for three minutes. "none" (no data) counts as green:
 * it is not a problem to shout about. Pure: the tracker is fed the figures and `now`.
 */
export const RECOVERY_HOLD_MS = 3 * MINUTE_MS;

interface MetricState {
  shown: Light;
  since: number;
  /** A better light seen since `from`; `worst` is the worst of the better lights seen meanwhile. */
  recovering: { from: number; worst: Light } | null;
  message: string;
  /** A lead acknowledged this light; a worse light clears it (a new problem deserves a new sound). */
  acknowledgedAt: number | null;
}

const LABELS: Record<ThresholdName, string> = {
  utilisation: 'Utilisation',
  laborAchievement: 'Labour-time achievement',
  firstTimeFix: 'First-time fix',
  comebackRate: 'Comeback rate',
  csat: 'CSAT',
  averageWait: 'Average wait',
  bayElapsed: 'Bay',
  complaintRate: 'Complaint rate',
  nps: 'NPS',
  ces: 'Customer effort',
  cji: 'Customer journey index',
  averageServiceTime: 'Average service time',
};

const PERCENT: ReadonlySet<ThresholdName> = new Set(['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'bayElapsed', 'complaintRate']);

interface Reading {
  metric: string;
  rule: ThresholdName;
  light: Light;
  value: number | null;
  label: string;
}

export class AlertTracker {
  private readonly metrics = new Map<string, MetricState>();

  constructor(
    private readonly workshopId: string,
    private readonly thresholds: Thresholds,
    /** Per-KPI hysteresis margins (config lightPolicy); none: the plain rules. */
    private readonly policy?: LightPolicy,
  ) {}

  /** Feeds one board; returns the alerts to send (worsened or recovered lights). */
  observe(figures: BoardFigures, now: number): AlertMessage[] {
    const out: AlertMessage[] = [];
    const seen = new Set<string>();
    for (const r of readings(figures)) {
      seen.add(r.metric);
      const change = this.step(r, now);
      if (change) out.push(change);
    }
    // A bay that left the config, or a metric no longer read, recovers like any other.
    for (const [metric, st] of this.metrics) {
      if (seen.has(metric)) continue;
      const change = this.step({ metric, rule: 'bayElapsed', light: 'none', value: null, label: metric }, now);
      if (change) out.push(change);
      if (severity(st.shown) === 0) this.metrics.delete(metric);
    }
    return out;
  }

  /** Lights currently yellow or red, worst first, for the snapshot's `alerts`. */
  active(): ActiveAlert[] {
    return [...this.metrics.entries()]
      .filter(([, st]) => severity(st.shown) > 0)
      .sort((a, b) => severity(b[1].shown) - severity(a[1].shown) || a[1].since - b[1].since)
      .map(([metric, st]) => ({ metric, light: st.shown, message: st.message, since: toIso(st.since), acknowledgedAt: st.acknowledgedAt === null ? null : toIso(st.acknowledgedAt) }));
  }

  /** Marks an active (yellow or red) light as acknowledged; false when there is no such alert. */
  acknowledge(metric: string, now: number): boolean {
    const st = this.metrics.get(metric);
    if (!st || severity(st.shown) === 0) return false;
    st.acknowledgedAt ??= now;
    return true;
  }

  private step(reading: Reading, now: number): AlertMessage | null {
    const st = this.metrics.get(reading.metric) ?? { shown: 'none' as Light, since: now, recovering: null, message: '', acknowledgedAt: null };
    this.metrics.set(reading.metric, st);
    // A value hovering on a line neither raises nor clears an alert until it is past it by the margin.
    const margin = this.policy?.[reading.metric as KpiName]?.hysteresis ?? 0;
    const r = { ...reading, light: hysteresisLight(reading.rule, reading.value, reading.light, st.shown, margin, this.thresholds) };
    const previous = st.shown;
    if (severity(r.light) > severity(st.shown)) {
      st.shown = r.light;
      st.since = now;
      st.recovering = null;
      st.acknowledgedAt = null;
      st.message = this.worseMessage(r);
      return this.message(r.metric, st.shown, previous, st.message, now);
    }
    if (severity(r.light) === severity(st.shown)) {
      st.recovering = null;
      if (r.light !== st.shown && severity(r.light) === 0) st.shown = r.light; // green ↔ none: nothing to announce
      return null;
    }
    if (!st.recovering) st.recovering = { from: now, worst: r.light };
    else if (severity(r.light) > severity(st.recovering.worst)) st.recovering.worst = r.light;
    if (now - st.recovering.from < RECOVERY_HOLD_MS) return null;
    st.shown = severity(st.recovering.worst) >= severity(r.light) ? st.recovering.worst : r.light;
    st.since = now;
    st.recovering = null;
    st.message = severity(st.shown) > 0 ? this.worseMessage(r) : `${r.label} recovered${r.value === null ? '' : `: ${this.format(r)}`}`;
    return this.message(r.metric, st.shown, previous, st.message, now);
  }

  private worseMessage(r: Reading): string {
    const rule = describeRule(r.rule, this.thresholds, PERCENT.has(r.rule));
    return `${r.label} ${this.format(r)} is ${r.light} (green ${rule.green}, yellow ${rule.yellow})`;
  }

  private format(r: Reading): string {
    if (r.value === null) return 'no data';
    if (r.rule === 'averageWait') return `${r.value} min`;
    return `${Math.round(r.value * 1000) / 10} %`;
  }

  private message(metric: string, light: Light, previous: Light, message: string, now: number): AlertMessage {
    return { workshopId: this.workshopId, metric, light, previous, message, at: toIso(now) };
  }
}

/** The board's figures whose lights raise alerts; each bay's alert (`bay:<id>`) is judged by `bayElapsed`. */
export const ALERTED_KPIS = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait'] as const satisfies readonly ThresholdName[];
/** Every rule an alert can come from: a fixed list, so it can label a metric (server/live-gauges.ts). */
export const ALERTED_FIGURES = [...ALERTED_KPIS, 'bayElapsed'] as const satisfies readonly ThresholdName[];
export type AlertedFigure = (typeof ALERTED_FIGURES)[number];

/** The rule an alert's `metric` is judged by: `bay:B1` → bayElapsed, a KPI's name → itself; null for anything else. */
export function figureOf(metric: string): AlertedFigure | null {
  if (metric.startsWith('bay:')) return 'bayElapsed';
  return (ALERTED_KPIS as readonly string[]).includes(metric) ? (metric as AlertedFigure) : null;
}

function readings(f: BoardFigures): Reading[] {
  const k = f.kpis;
  const kpi = (name: (typeof ALERTED_KPIS)[number]): Reading => ({ metric: name, rule: name, light: k[name].light, value: k[name].value, label: LABELS[name] });
  const list: Reading[] = ALERTED_KPIS.map(kpi);
  for (const b of f.bays) {
    const value = b.elapsedMin !== null && b.standardMin ? b.elapsedMin / b.standardMin : null;
    list.push({
      metric: `bay:${b.bayId}`,
      rule: 'bayElapsed',
      light: b.light,
      value,
      label: `Bay ${b.bayId}${b.plate ? ` (${b.plate}, ${b.elapsedMin} of ${b.standardMin} min)` : ''} elapsed ÷ standard`,
    });
  }
  return list;
}
