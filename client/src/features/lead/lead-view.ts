import type { EventOf } from '../../../../shared/events.js';
import type { MovePreview, MovePreviewRequest, StaffingPlan, WorkshopForecast } from '../../../../shared/forecast.js';
import type { JobView } from '../../../../shared/jobs.js';
import { enoughForPerson } from '../../../../shared/light-policy.js';
import { describeRule, lightFor, severity, type Light, type ThresholdName, type Thresholds } from '../../../../shared/lights.js';
import { KPI_NAMES, type BoardSnapshot, type KpiName } from '../../../../shared/snapshot.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import { teamName, type WorkshopConfig } from '../../../../shared/workshop.js';
import { bayName, kpiText, silentSince } from '../../lib/board-view.js';
import { percent } from '../../lib/format.js';

/**
 * What the shift lead's console draws, computed without Vue from the hub's answers: the
 * technicians, the queue, the lights and why, the staffing advice, a move's before → after.
 * Kept here so the components only lay it out, and the figures are tested on their own.
 */

const MINUTE_MS = 60_000;

/**
 * The hub's clock now, from the last snapshot: its `asOf` plus the time since it arrived, at
 * most a minute. Events the lead sends are dated by it, not by the phone: a phone's clock may
 * be off, and a hub on a test or demo clock would refuse an event "from the future".
 */
export function hubNow(asOf: string, receivedAt: number, browserNow: number): number {
  return Date.parse(asOf) + Math.min(Math.max(0, browserNow - receivedAt), MINUTE_MS);
}

export interface QueueRow {
  jobId: string;
  plate: string;
  service: JobView['service'];
  customerWaiting: boolean;
  checkedInAt: string;
  /** Minutes since check-in, by the hub's clock. */
  waitMin: number;
  promisedAt: string | null;
  predictedStartAt: string | null;
  /** Minutes the forecast says the promise will be missed by; null when it holds (or there is none). */
  lateMin: number | null;
  highVoltage: boolean;
}

/**
 * Every waiting car in the order the queue will take them (predicted start, then check-in;
 * a car nobody can start yet goes last), with "promise at risk" from the forecast.
 */
export function queueRows(jobs: readonly JobView[], forecast: WorkshopForecast | null, now: number): QueueRow[] {
  const late = new Map((forecast?.promisesAtRisk ?? []).map((p) => [p.jobId, p.lateMin]));
  const start = (j: JobView) => (j.predictedStartAt ? Date.parse(j.predictedStartAt) : Number.POSITIVE_INFINITY);
  return jobs
    .filter((j) => j.state === 'waiting')
    .sort((a, b) => start(a) - start(b) || Date.parse(a.checkedInAt) - Date.parse(b.checkedInAt) || (a.jobId < b.jobId ? -1 : 1))
    .map((j) => ({
      jobId: j.jobId,
      plate: j.plate,
      service: j.service,
      customerWaiting: j.customerWaiting,
      checkedInAt: j.checkedInAt,
      waitMin: Math.max(0, (now - Date.parse(j.checkedInAt)) / MINUTE_MS),
      promisedAt: j.promisedAt,
      predictedStartAt: j.predictedStartAt ?? null,
      lateMin: late.get(j.jobId) ?? null,
      highVoltage: j.highVoltage,
    }));
}

export interface QueueFigures {
  /** Booked cars due in the next hours that the predictions count (issue 15). */
  bookedArrivals: number;
  /** Customers on site now (queued or on a bay): average and 90th percentile of their wait so far. */
  averageNowMin: number | null;
  p90NowMin: number | null;
  averageNowLight: Light;
  /** The forecast for those still queued: check-in to predicted start, with the staff on shift. */
  predictedAverageMin: number | null;
  predictedP90Min: number | null;
  predictedLight: Light;
  /** Open promises the forecast says will be missed (on a bay as well as queued). */
  promisesAtRisk: number;
  error: WorkshopForecast['predictionError'] | null;
}

export function queueFigures(snapshot: BoardSnapshot | null, forecast: WorkshopForecast | null, thresholds: Thresholds): QueueFigures {
  const base = forecast?.scenarios.find((s) => s.extraTechnicians === 0) ?? null;
  const averageNowMin = snapshot?.waitingCustomers.averageWaitMin ?? null;
  const predictedAverageMin = base?.predictedAverageWaitMin ?? null;
  return {
    bookedArrivals: forecast?.bookedArrivals ?? 0,
    averageNowMin,
    p90NowMin: forecast?.p90WaitNowMin ?? null,
    averageNowLight: snapshot?.kpis.averageWait.light ?? 'none',
    predictedAverageMin,
    predictedP90Min: base?.predictedP90WaitMin ?? null,
    predictedLight: lightFor('averageWait', predictedAverageMin, thresholds),
    promisesAtRisk: forecast?.promisesAtRisk.length ?? 0,
    error: forecast?.predictionError ?? null,
  };
}

export interface TechnicianRow {
  technicianId: string;
  name: string;
  status: TechnicianView['status'];
  /** The team's name from the config (its id when the config does not name it). */
  team: string | null;
  /** The bay they are assigned to, else the bay of the job they run (or have paused). */
  bayId: string | null;
  bayName: string;
  /** When that bay's terminal went silent (ISO), else null. */
  baySilentSince: string | null;
  /** The plate of the job they run now; '' when none. */
  plate: string;
  pausedPlates: string[];
  /** On shift with no job running: free to take the next car or to be moved. */
  idle: boolean;
  /** Jobs they hold open (running and paused): two or more and they are juggling, someone may take one over. */
  openJobs: number;
  utilisation: number | null;
  /** `none` below the minimum sample for people (shared/light-policy.ts): a minute after clock-in is not "red". */
  utilisationLight: Light;
  /** False: too little attendance yet for the figure to mean anything (shown grey, "too little data"). */
  utilisationEnough: boolean;
  completedToday: number;
}

const STATUS_ORDER: Record<TechnicianView['status'], number> = { on_shift: 0, on_break: 1, off: 2 };

/** On shift first, then on a break, then off; the config's order within each. */
export function technicianRows(technicians: readonly TechnicianView[], snapshot: BoardSnapshot | null, workshop: WorkshopConfig | null, thresholds: Thresholds): TechnicianRow[] {
  const bays = snapshot?.bays ?? [];
  const jobBay = (jobId: string | null) => (jobId === null ? undefined : bays.find((b) => b.jobId === jobId));
  return technicians
    .map((t, i) => ({ t, i }))
    .sort((a, b) => STATUS_ORDER[a.t.status] - STATUS_ORDER[b.t.status] || a.i - b.i)
    .map(({ t }): TechnicianRow => {
      const running = jobBay(t.currentJobId);
      // A paused job keeps its bay: that is where to find them when nothing runs.
      const here = running ?? jobBay(t.pausedJobIds[0] ?? null);
      const bayId = t.bayId ?? here?.bayId ?? null;
      const enough = enoughForPerson('utilisation', t.attendanceMin, workshop?.lightPolicy);
      return {
        technicianId: t.technicianId,
        name: t.name,
        status: t.status,
        team: t.team === null ? null : teamName(workshop, t.team),
        bayId,
        bayName: bayId === null ? '' : bayName(workshop, bayId),
        baySilentSince: bayId === null ? null : silentSince(snapshot?.terminals ?? [], bayId),
        plate: running?.plate ?? (t.currentJobId ?? ''),
        pausedPlates: t.pausedJobIds.map((id) => jobBay(id)?.plate ?? id),
        idle: t.status === 'on_shift' && t.currentJobId === null,
        openJobs: (t.currentJobId === null ? 0 : 1) + t.pausedJobIds.length,
        utilisation: t.utilisation,
        utilisationLight: enough ? lightFor('utilisation', t.utilisation, thresholds) : 'none',
        utilisationEnough: enough,
        completedToday: t.completedToday,
      };
    });
}

export type LightSubject = { kind: 'kpi'; kpi: KpiName } | { kind: 'bay'; bayId: string; bayName: string; plate: string | null; elapsedMin: number | null; standardMin: number | null };

export interface LightRow {
  /** The alert's metric name (`averageWait`, `bay:B1`): what an acknowledgement names. */
  metric: string;
  subject: LightSubject;
  /** The light now (a recovering alert may still be listed while its figure is already better). */
  light: Light;
  /** The figure as the board shows it: "210 min" → value "210", unit "min"; "57 %". */
  value: string;
  unit: 'min' | null;
  /** The rule, e.g. green "≤ 45", yellow "≤ 90" (minutes) or "≥ 75 %". */
  green: string;
  yellow: string;
  /** True when a higher figure is better (says "below" rather than "above" in the sentence). */
  higherIsBetter: boolean;
  band: boolean;
  alertActive: boolean;
  acknowledgedAt: string | null;
  since: string | null;
}

const IN_MINUTES: ReadonlySet<ThresholdName> = new Set(['averageWait']);
const HIGHER: ReadonlySet<ThresholdName> = new Set(['utilisation', 'firstTimeFix', 'csat']);

function ruleOf(name: ThresholdName, thresholds: Thresholds) {
  const rule = describeRule(name, thresholds, !IN_MINUTES.has(name));
  return { green: rule.green, yellow: rule.yellow, higherIsBetter: HIGHER.has(name), band: name === 'laborAchievement' };
}

/**
 * The lights that need the lead: every KPI that is yellow or red now or still has an active
 * alert, and every bay alert; worst first, then the oldest alert. Each carries the figure and
 * the rule it broke, so the sentence on screen says why.
 */
export function lightRows(snapshot: BoardSnapshot, workshop: WorkshopConfig | null, thresholds: Thresholds): LightRow[] {
  const alerts = new Map(snapshot.alerts.map((a) => [a.metric, a]));
  const rows: LightRow[] = [];
  for (const name of KPI_NAMES) {
    const k = snapshot.kpis[name];
    const alert = alerts.get(name);
    if (severity(k.light) === 0 && !alert) continue;
    rows.push({
      metric: name,
      subject: { kind: 'kpi', kpi: name },
      // A recovering alert is held by the hub for a while: show the worse of the two, as the TV does.
      light: alert && severity(alert.light) > severity(k.light) ? alert.light : k.light,
      value: kpiText(name, k.value),
      unit: k.value !== null && IN_MINUTES.has(name) ? 'min' : null,
      ...ruleOf(name, thresholds),
      alertActive: alert !== undefined,
      acknowledgedAt: alert?.acknowledgedAt ?? null,
      since: alert?.since ?? null,
    });
  }
  for (const a of snapshot.alerts) {
    if (!a.metric.startsWith('bay:')) continue;
    const bayId = a.metric.slice(4);
    const bay = snapshot.bays.find((b) => b.bayId === bayId);
    const ratio = bay?.elapsedMin != null && bay.standardMin ? bay.elapsedMin / bay.standardMin : null;
    rows.push({
      metric: a.metric,
      subject: { kind: 'bay', bayId, bayName: bayName(workshop, bayId), plate: bay?.plate ?? null, elapsedMin: bay?.elapsedMin ?? null, standardMin: bay?.standardMin ?? null },
      light: a.light,
      value: percent(ratio),
      unit: null,
      ...ruleOf('bayElapsed', thresholds),
      alertActive: true,
      acknowledgedAt: a.acknowledgedAt,
      since: a.since,
    });
  }
  const since = (r: LightRow) => (r.since ? Date.parse(r.since) : Number.POSITIVE_INFINITY);
  return rows.sort((a, b) => severity(b.light) - severity(a.light) || since(a) - since(b));
}

/** What the forecast advises for the cars already here. Every variant carries only figures it has: no sentence prints an empty value. */
export type StaffingAdvice =
  /** No car queues and no promise is at risk. */
  | { kind: 'nothing-queues' }
  /** Cars queue (drop-offs) but no customer on site does: the promise advice says what they need. */
  | { kind: 'no-customer-queues'; cars: number }
  | { kind: 'nobody-on-shift' }
  /** The staff on shift bring the average to the target. */
  | { kind: 'holds'; waitMin: number; targetMin: number }
  /** Call in `extra` more: the predicted average goes from → to (from null: nobody on shift, the queue does not move). */
  | { kind: 'call'; extra: number; fromMin: number | null; toMin: number; targetMin: number }
  /** The target is out of reach: the fewest that get as close as staff can, still above it (extra 0: more would not help). */
  | { kind: 'closest'; extra: number; fromMin: number | null; toMin: number; targetMin: number }
  /** No number considered gets every queued car a predicted start. */
  | { kind: 'beyond'; extra: number; targetMin: number };

export function staffingAdvice(forecast: WorkshopForecast): StaffingAdvice {
  const base = forecast.scenarios.find((s) => s.extraTechnicians === 0);
  const fromMin = base?.predictedAverageWaitMin ?? null;
  const targetMin = forecast.targetAverageWaitMin;
  const customersQueue = forecast.bestPossibleAverageWaitMin !== null;
  if (!customersQueue && forecast.queuedCars === 0 && forecast.promiseAdvice === null) return { kind: 'nothing-queues' };
  const need = forecast.extraTechniciansNeeded;
  if (forecast.onShift === 0 && (need === null || need === 0) && forecast.closest === null) return { kind: 'nobody-on-shift' };
  if (!customersQueue) return { kind: 'no-customer-queues', cars: forecast.queuedCars };
  if (need === 0 && fromMin !== null) return { kind: 'holds', waitMin: fromMin, targetMin };
  if (need !== null) {
    const to = forecast.scenarios.find((s) => s.extraTechnicians === need)?.predictedAverageWaitMin ?? null;
    if (to !== null) return { kind: 'call', extra: need, fromMin, toMin: to, targetMin };
  }
  if (forecast.closest) return { kind: 'closest', extra: forecast.closest.extraTechnicians, fromMin, toMin: forecast.closest.predictedAverageWaitMin, targetMin };
  return { kind: 'beyond', extra: forecast.scenarios.at(-1)?.extraTechnicians ?? 0, targetMin };
}

/** What more staff does for the promises at risk (drop-offs as well as customers on site); null when none is. */
export type PromiseAdvice =
  | { kind: 'keep-all'; extra: number; atRisk: number }
  | { kind: 'fewer'; extra: number; fromCount: number; toCount: number }
  /** More technicians save none of them: the customers need a call. */
  | { kind: 'lost'; atRisk: number };

export function promiseAdvice(forecast: WorkshopForecast): PromiseAdvice | null {
  const p = forecast.promiseAdvice;
  if (!p) return null;
  if (p.extraTechnicians === 0) return { kind: 'lost', atRisk: p.atRiskNow };
  if (p.atRiskAfter === 0) return { kind: 'keep-all', extra: p.extraTechnicians, atRisk: p.atRiskNow };
  return { kind: 'fewer', extra: p.extraTechnicians, fromCount: p.atRiskNow, toCount: p.atRiskAfter };
}

export interface StaffingHourRow {
  from: string;
  expectedArrivals: number;
  /** Of them, cars booked for the hour (issue 15). */
  bookedArrivals: number;
  techniciansNeeded: number | null;
  /** How many more than are on shift now (0 when enough). */
  short: number;
  waitWithOnShiftMin: number | null;
  /** Cars are expected and the staff on shift now could not keep up (the queue grows without end). */
  overwhelmed: boolean;
}

export function staffingHours(plan: StaffingPlan): StaffingHourRow[] {
  return plan.hours.map((h) => ({
    from: h.from,
    expectedArrivals: h.expectedArrivals,
    bookedArrivals: h.bookedArrivals,
    techniciansNeeded: h.techniciansNeeded,
    short: h.techniciansNeeded === null ? 0 : Math.max(0, h.techniciansNeeded - plan.onShift),
    waitWithOnShiftMin: h.predictedAverageWaitMinWithOnShift,
    overwhelmed: h.expectedArrivals > 0 && h.predictedAverageWaitMinWithOnShift === null,
  }));
}

/** Teams a technician can be moved to: every team named on a bay or a technician in the config. */
export function teamsOf(workshop: WorkshopConfig | null): string[] {
  if (!workshop) return [];
  const teams = new Set<string>();
  for (const b of workshop.bays) if (b.team) teams.add(b.team);
  for (const t of workshop.technicians) if (t.team) teams.add(t.team);
  return [...teams].sort();
}

export interface PromiseChange {
  jobId: string;
  plate: string;
  beforeLateMin: number | null;
  afterLateMin: number | null;
}

export interface MoveDiff {
  averageWait: { before: number | null; after: number | null };
  p90Wait: { before: number | null; after: number | null };
  extraNeeded: { before: number | null; after: number | null };
  promisesAtRisk: { before: number; after: number };
  /** Promises whose lateness changes (or that come at risk / get safe), latest first. */
  promises: PromiseChange[];
}

/** A move's before → after, from `POST /forecast/preview`. */
export function moveDiff(p: MovePreview): MoveDiff {
  const base = (f: WorkshopForecast) => f.scenarios.find((s) => s.extraTechnicians === 0);
  const before = new Map(p.before.promisesAtRisk.map((r) => [r.jobId, r]));
  const after = new Map(p.after.promisesAtRisk.map((r) => [r.jobId, r]));
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const promises = ids
    .map((jobId): PromiseChange => ({
      jobId,
      plate: (before.get(jobId) ?? after.get(jobId))!.plate,
      beforeLateMin: before.get(jobId)?.lateMin ?? null,
      afterLateMin: after.get(jobId)?.lateMin ?? null,
    }))
    .sort((a, b) => Math.max(b.beforeLateMin ?? 0, b.afterLateMin ?? 0) - Math.max(a.beforeLateMin ?? 0, a.afterLateMin ?? 0));
  return {
    averageWait: { before: base(p.before)?.predictedAverageWaitMin ?? null, after: base(p.after)?.predictedAverageWaitMin ?? null },
    p90Wait: { before: base(p.before)?.predictedP90WaitMin ?? null, after: base(p.after)?.predictedP90WaitMin ?? null },
    extraNeeded: { before: p.before.extraTechniciansNeeded, after: p.after.extraTechniciansNeeded },
    promisesAtRisk: { before: p.before.promisesAtRisk.length, after: p.after.promisesAtRisk.length },
    promises,
  };
}

/** The move as the request the preview takes: only what changes (the same team or bay is not a move). */
export function moveRequest(technician: TechnicianView | undefined, team: string, bayId: string): MovePreviewRequest | null {
  if (!technician) return null;
  const move: MovePreviewRequest = { technicianId: technician.technicianId };
  if (team !== '' && team !== technician.team) move.team = team;
  if (bayId !== '' && bayId !== technician.bayId) move.bayId = bayId;
  return move.team === undefined && move.bayId === undefined ? null : move;
}

export function reassignEvent(move: MovePreviewRequest, id: string, at: number): EventOf<'staff.reassigned'> {
  return {
    id,
    type: 'staff.reassigned',
    at: new Date(at).toISOString(),
    technicianId: move.technicianId,
    ...(move.team !== undefined && { team: move.team }),
    ...(move.bayId !== undefined && { bayId: move.bayId }),
  };
}

/** Same key for the same move: a preview answers only the move it was asked for. */
export function moveKey(move: MovePreviewRequest | null): string {
  return move === null ? '' : `${move.technicianId}|${move.team ?? ''}|${move.bayId ?? ''}`;
}
