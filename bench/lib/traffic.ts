import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS, localDate, startOfLocalDate } from '../../shared/time.js';
import { workshopConfig, type WorkshopConfig } from '../../shared/workshop.js';
import { simulateDay } from '../../server/sim/simulate-day.js';

/**
 * The traffic the harness plays: workshops of bay groups, and for each group an endless
 * stream of simulated days (server/sim/simulate-day.ts) that the hub accepts event by event.
 *
 * A workshop's bays and technicians are split into groups (the bays a terminal serves, the
 * technicians who work them). Each group plays its own days with its own job ids, so several
 * terminals of one workshop may post at once in any interleaving and every event still
 * makes sense: two groups never share a bay, a technician or a job.
 *
 * Simulating a day costs ~20 ms, far too slow for a million events, so a few template days
 * are simulated once per group and replayed with fresh ids (and shifted dates).
 */

export const TIMEZONE = 'Asia/Shanghai';

export interface WorkshopShape {
  groups: number;
  baysPerGroup: number;
  techniciansPerGroup: number;
  /** Cars per day relative to the simulator's weekday (about 38 per group). */
  arrivalFactor: number;
}

/** The default bench workshop: 8 bays, 12 technicians, about 150 jobs (530 events) a day. */
export const BENCH_SHAPE: WorkshopShape = { groups: 4, baysPerGroup: 2, techniciansPerGroup: 3, arrivalFactor: 1 };
/** A busy workshop: about 300 jobs a day on 16 bays. */
export const BUSY_SHAPE: WorkshopShape = { groups: 4, baysPerGroup: 4, techniciansPerGroup: 5, arrivalFactor: 2.1 };

export function workshopIdOf(index: number): string {
  return `ws${String(index + 1).padStart(4, '0')}`;
}

const bayId = (group: number, i: number) => `B${group + 1}-${i + 1}`;
const technicianId = (group: number, i: number) => `T${group + 1}-${i + 1}`;

export function workshopConfigFor(index: number, shape: WorkshopShape): WorkshopConfig {
  const groups = Array.from({ length: shape.groups }, (_, g) => g);
  return workshopConfig.parse({
    id: workshopIdOf(index),
    name: `Bench workshop ${index + 1}`,
    timezone: TIMEZONE,
    bays: groups.flatMap((g) => Array.from({ length: shape.baysPerGroup }, (_, i) => ({ id: bayId(g, i), name: `Bay ${g + 1}.${i + 1}`, team: `g${g + 1}` }))),
    technicians: groups.flatMap((g) =>
      Array.from({ length: shape.techniciansPerGroup }, (_, i) => ({ id: technicianId(g, i), name: `Technician ${g + 1}.${i + 1}`, team: `g${g + 1}` })),
    ),
    advisors: [
      { id: 'A1', name: 'Advisor 1' },
      { id: 'A2', name: 'Advisor 2' },
    ],
  });
}

/** The part of a workshop one group works: what the simulator is given to play its days. */
function groupConfig(ws: WorkshopConfig, group: number): WorkshopConfig {
  const team = `g${group + 1}`;
  return { ...ws, id: `g${group + 1}`, bays: ws.bays.filter((b) => b.team === team), technicians: ws.technicians.filter((t) => t.team === team) };
}

interface TemplateEvent {
  event: PitwallEvent;
  /** Milliseconds from the template day's local midnight. */
  offsetMs: number;
  /** `promisedAt` minus `at`, when the event has one. */
  promiseDeltaMs: number | null;
  /** The job number inside the day (the simulator's id ends with it), when the event names a job. */
  job: string | null;
  comebackJob: string | null;
}

const TEMPLATE_DATE = '2026-01-05';
/** Different days (seeds) per group, so streams do not all repeat the same day. */
const TEMPLATES_PER_GROUP = 5;

/** Simulated days per group, kept once per shape. */
export class DayTemplates {
  private readonly days: TemplateEvent[][][];

  constructor(readonly shape: WorkshopShape) {
    const ws = workshopConfigFor(0, shape);
    const dayStart = startOfLocalDate(TEMPLATE_DATE, TIMEZONE);
    this.days = Array.from({ length: shape.groups }, (_, g) =>
      Array.from({ length: TEMPLATES_PER_GROUP }, (_, t) =>
        simulateDay({ config: groupConfig(ws, g), date: TEMPLATE_DATE, seed: 1000 + g * 31 + t, arrivalFactor: shape.arrivalFactor }).map((event): TemplateEvent => {
          const at = Date.parse(event.at);
          const job = 'jobId' in event ? jobNumber(event.jobId) : null;
          const comeback = event.type === 'job.checked_in' && event.comebackOf !== undefined ? jobNumber(event.comebackOf) : null;
          const promised = event.type === 'job.checked_in' && event.promisedAt !== undefined ? Date.parse(event.promisedAt) - at : null;
          return { event, offsetMs: at - dayStart, promiseDeltaMs: promised, job, comebackJob: comeback };
        }),
      ),
    );
  }

  day(group: number, dayNo: number): readonly TemplateEvent[] {
    const list = this.days[group]!;
    return list[dayNo % list.length]!;
  }

  /** Mean events and jobs of one group's day. */
  perGroupDay(): { events: number; jobs: number } {
    const all = this.days.flat();
    const events = all.reduce((s, d) => s + d.length, 0) / all.length;
    const jobs = all.reduce((s, d) => s + d.filter((e) => e.event.type === 'job.checked_in').length, 0) / all.length;
    return { events, jobs };
  }
}

/** "g1-20260105-007" → "007". */
function jobNumber(jobId: string): string {
  return jobId.slice(jobId.lastIndexOf('-') + 1);
}

/**
 * One event of a template day, made unique for (workshop, group, day) and dated either at
 * `atMs` (live traffic: "it happened now") or at its simulated time on that day.
 */
function instantiate(t: TemplateEvent, index: number, group: number, dayNo: number, atMs: number): PitwallEvent {
  const tag = `g${group + 1}d${dayNo}`;
  const e = { ...t.event } as Record<string, unknown>;
  e.id = `ev-${tag}-${index}`;
  e.at = new Date(atMs).toISOString();
  if (t.job !== null) e.jobId = `${tag}j${t.job}`;
  if (t.comebackJob !== null) e.comebackOf = `${tag}j${t.comebackJob}`;
  if (t.promiseDeltaMs !== null) e.promisedAt = new Date(atMs + t.promiseDeltaMs).toISOString();
  return e as unknown as PitwallEvent;
}

/**
 * One terminal's endless, always-valid sequence: the group's days one after another. Live
 * events are dated when they are taken (`next(now)`), so the boards show a floor that is busy
 * today; the order is the simulator's, which is all validity needs.
 */
export class EventStream {
  private dayNo = 0;
  private index = 0;

  constructor(
    private readonly templates: DayTemplates,
    readonly workshopId: string,
    readonly group: number,
  ) {}

  next(nowMs: number): PitwallEvent {
    let day = this.templates.day(this.group, this.dayNo);
    if (this.index >= day.length) {
      this.dayNo++;
      this.index = 0;
      day = this.templates.day(this.group, this.dayNo);
    }
    const e = instantiate(day[this.index]!, this.index, this.group, this.dayNo, nowMs);
    this.index++;
    return e;
  }

  take(count: number, nowMs: number): PitwallEvent[] {
    const out: PitwallEvent[] = [];
    for (let i = 0; i < count; i++) out.push(this.next(nowMs));
    return out;
  }
}

/**
 * Whole simulated days of one workshop for writing straight into a store: `days` consecutive
 * local days ending the day before `nowMs`, every group's events of a day merged in time
 * order, each event at its simulated time. Calls `sink` day by day; stops after `limit` events.
 */
export function historicDays(templates: DayTemplates, days: number, nowMs: number, limit: number, sink: (events: PitwallEvent[]) => void): number {
  const today = localDate(nowMs, TIMEZONE);
  const firstStart = startOfLocalDate(today, TIMEZONE) - days * DAY_MS;
  let written = 0;
  for (let d = 0; d < days && written < limit; d++) {
    // Asia/Shanghai has no daylight saving: a local day is always 24 h.
    const dayStart = firstStart + d * DAY_MS;
    const merged: { at: number; e: PitwallEvent }[] = [];
    for (let g = 0; g < templates.shape.groups; g++) {
      templates.day(g, d).forEach((t, i) => {
        const at = dayStart + t.offsetMs;
        merged.push({ at, e: instantiate(t, i, g, d, at) });
      });
    }
    merged.sort((a, b) => a.at - b.at);
    const take = merged.slice(0, limit - written).map((m) => m.e);
    written += take.length;
    sink(take);
  }
  return written;
}

/** Days of `templates` needed for `events` events per workshop. */
export function daysFor(templates: DayTemplates, events: number): number {
  return Math.ceil(events / (templates.perGroupDay().events * templates.shape.groups)) + 1;
}
