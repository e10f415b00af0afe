import { addSurvey } from '../../shared/cx.js';
import type { EventOf, PitwallEvent } from '../../shared/events.js';
import { addSums, emptySums, MAX_HISTORY_DAYS, type HistorySums } from '../../shared/history.js';
import { DAY_MS, MINUTE_MS } from '../../shared/time.js';

import type { After, Before } from './event-records.js';
import { BucketSums, type BucketSumsData } from './bucket-sums.js';
import { cell, JobCells, type JobAttribution, type StoredDimension } from './rollup-cells.js';
import { TeamTimeline } from './team-timeline.js';
import { cachedLocalDayRange, localHourStart, splitByLocalHour } from './local-hours.js';
import { clip, intersect, pairs, union, type Interval } from './intervals.js';
import { workByTechnician } from './job-work.js';
import { implausibleTime } from './outliers.js';
import type { JobRecord, TechnicianRecord, WorkshopState } from './state.js';

/**
 * The strategic layer's roll-ups: additive sums per local hour and per cross-cut, folded from
 * the log one applied event at a time. Pure, like the projection that feeds it, so the sums
 * kept live and the sums rebuilt by a replay are the same numbers (a test holds them to it).
 * They outlive the projection's compaction: a finished job leaves `jobs` after 8 days, its
 * hours stay here.
 *
 * Counts (check-ins, completions, surveys…) are folded as their events arrive. Time (attendance
 * and productive minutes) is not: a technician is productive only where his work overlaps his
 * attendance (a break with a job running is neither), once however many jobs run at once, and
 * that overlap is known only when both sides are. So time is computed from the projection's
 * intervals exactly as the board computes it, and settled into the hours only when compaction
 * is about to drop those intervals; until then every query computes it afresh.
 */

/** The cross-cuts kept per hour (rollup-cells.ts); `daytype` is derived from the hour itself when asked. */
export type { StoredDimension } from './rollup-cells.js';


/** How long hour buckets are kept before they are folded into days. */
export const HOUR_RETENTION_MS = 35 * DAY_MS;

/**
 * How far back the roll-ups reach at all: the longest history query (MAX_HISTORY_DAYS.day) and
 * today. Time before it is neither spread into hours nor kept as days, so what the roll-ups
 * cost is bounded by this window and the events in it, never by the length of an interval: a
 * clock-in dated 1970 in an old log, still open, is counted from the window's start, not
 * spread over 500,000 hours.
 */
export const ROLLUP_RETENTION_MS = (MAX_HISTORY_DAYS.day + 1) * DAY_MS;

type TimeField = 'productiveMin' | 'attendanceMin';


export class Rollups {
  /** Local hour start → cross-cut cell → sums. */
  hours = new BucketSums();
  /**
   * Local day start → cell → sums: hours older than HOUR_RETENTION_MS folded into their day, so
   * a year of history costs a year of days, not of hours (hour buckets reach back 35 days).
   */
  days = new BucketSums();
  /** Where each job's events count (rollup-cells.ts). */
  private readonly cells: JobCells;
  /** Each technician's team over time, from staff.reassigned (team-timeline.ts). */
  private readonly teams: TeamTimeline;
  private settled = -Infinity;

  constructor(
    private readonly timeZone: string,
    /** Each technician's team in the config: his team before any reassignment. */
    initialTeams: ReadonlyMap<string, string | null>,
  ) {
    this.teams = new TeamTimeline(initialTeams);
    this.cells = new JobCells();
  }

  /** What a checkpoint keeps of the roll-ups (checkpoint.ts). */
  toData(): RollupsData {
    const teams = this.teams.toData();
    return { hours: this.hours.toData(), days: this.days.toData(), ...this.cells.toData(), teamsBefore: teams.before, teamChanges: teams.changes, settled: this.settled };
  }

  static fromData(timeZone: string, data: RollupsData): Rollups {
    const r = new Rollups(timeZone, data.teamsBefore);
    const into = r as unknown as { teams: TeamTimeline; cells: JobCells; settled: number };
    into.teams = new TeamTimeline(data.teamsBefore, data.teamChanges);
    into.cells = new JobCells(data);
    into.settled = data.settled;
    r.days = new BucketSums(data.days);
    r.hours = new BucketSums(data.hours);
    return r;
  }

  /** Forgets the attribution of jobs the projection no longer knows (no later event can name them). */
  forgetJobs(known: (jobId: string) => boolean): void {
    this.cells.forgetJobs(known);
  }

  /** Folds in one event that the projection applied, from the records around it (`before`, `after`). */
  observe(e: PitwallEvent, before: Before, after: After): void {
    switch (e.type) {
      case 'shift.clock_in':
      case 'shift.clock_out':
      case 'shift.break_start':
      case 'shift.break_end':
        return;
      case 'staff.reassigned': {
        const t = after.technician;
        if (t && t.team !== (before.technician?.team ?? null)) this.teams.moved(t.id, Math.max(Date.parse(e.at), t.lastAt), t.team);
        return;
      }
      case 'job.checked_in':
        return this.checkedIn(after.job!);
      case 'survey.submitted':
        return this.survey(e, after.lastSurveyAt ?? Date.parse(e.at));
      default: {
        const job = after.job;
        if (!job) return;
        this.cells.attribute(job, after.jobTechnicianTeam);
        if (e.type === 'job.started' && before.job?.startedAt === null && job.customerWaiting && job.startedAt !== null) {
          this.add(job.startedAt, this.cells.of(job.id), (x) => x.waits.push((job.startedAt! - job.checkedInAt) / MINUTE_MS));
        }
        if (e.type === 'job.completed' && job.completedAt !== null) {
          this.add(job.completedAt, this.cells.of(job.id), (x) => {
            x.completed += 1;
            if (job.firstTimeFix) x.firstTimeFix += 1;
            // Implausible worked time (a forgotten Start) stays out of labour-time achievement until a lead confirms it (outliers.ts).
            if (implausibleTime(job.attendedClosedMs, job.standardMinutes) !== null) return;
            x.standardMin += job.standardMinutes;
            x.workedMin += job.attendedClosedMs / MINUTE_MS;
          });
        }
        if (e.type === 'job.time_confirmed' && before.job?.timeConfirmed === false && job.completedAt !== null && implausibleTime(job.attendedClosedMs, job.standardMinutes) !== null) {
          // Confirmed: its time goes into the hour it was completed in, as if it had counted then.
          this.add(job.completedAt, this.cells.of(job.id), (x) => {
            x.standardMin += job.standardMinutes;
            x.workedMin += job.attendedClosedMs / MINUTE_MS;
          });
        }
        if (e.type === 'job.delivered' && job.deliveredAt !== null) {
          this.add(job.deliveredAt, this.cells.of(job.id), (x) => {
            x.delivered += 1;
            x.serviceMin += (job.deliveredAt! - job.checkedInAt) / MINUTE_MS;
          });
        }
      }
    }
  }

  /** Time before this instant is in `hours`; after it, it is computed from the projection. */
  get settledUntil(): number {
    return this.settled;
  }

  /** Moves attendance and productive time before `horizon` into the hours (call before compaction drops it). */
  settle(s: WorkshopState, horizon: number, foldBefore = Number.NEGATIVE_INFINITY): void {
    if (horizon <= this.settled) return;
    // Time in hours that `foldHours(foldBefore)` would fold anyway goes straight to its day:
    // settling months at once (an old log's year-long shift) makes days, not thousands of hours.
    this.time(s, Math.max(this.settled, horizon - ROLLUP_RETENTION_MS), horizon, (hour, c, field, min) => {
      const sums = hour < foldBefore ? this.daySums(cachedLocalDayRange(hour, this.timeZone).start, c) : this.sums(hour, c);
      sums[field] += min;
    });
    this.settled = horizon;
    this.teams.forgetBefore(horizon);
  }

  /** Drops hours and days that started before `horizon` (the retention window's start): no query reaches them. */
  forgetBefore(horizon: number): void {
    this.hours.forgetBefore(horizon);
    this.days.forgetBefore(horizon);
    this.cells.forgetPlatesBefore(horizon);
  }

  /** Folds every hour that started before `horizon` into its local day (see `days`). */
  foldHours(horizon: number): void {
    for (const [hour, cells] of this.hours.takeBefore(horizon)) {
      const day = cachedLocalDayRange(hour, this.timeZone).start;
      const target = this.days.cellsFor(day);
      for (const [c, sums] of cells) {
        const into = target.get(c);
        if (into) addSums(into, sums);
        else target.set(c, sums);
      }
    }
    // A day whose every hour is folded takes nothing more but a rare settle: frozen (day-sums.ts).
    this.days.freezeBefore(horizon - 2 * DAY_MS);
  }

  /** Attendance and productive time from the settled point up to `now`, per hour and cell, for a query to add. */
  timeSince(s: WorkshopState, now: number): Map<number, Map<string, HistorySums>> {
    const out = new Map<number, Map<string, HistorySums>>();
    this.time(s, Math.max(this.settled, now - ROLLUP_RETENTION_MS), now, (hour, c, field, min) => {
      const row = out.get(hour) ?? out.set(hour, new Map()).get(hour)!;
      (row.get(c) ?? row.set(c, emptySums()).get(c)!)[field] += min;
    });
    return out;
  }

  /**
   * Time inside [from, to), as the board's utilisation counts it: per technician, attendance
   * (clocked in, not on break) and the union of his jobs' in-progress time inside it; per job
   * (for service, advisor and customer), its own in-progress time inside its technician's
   * attendance. Team time follows the technician's team at each moment.
   */
  private time(s: WorkshopState, from: number, to: number, add: (hour: number, cell: string, field: TimeField, min: number) => void): void {
    if (to <= from) return;
    const workByTech = new Map<string, Interval[]>();
    // Per technician, each job he worked with his part of it (a job handed over is split).
    const jobsByTech = new Map<string, [JobRecord, Interval[]][]>();
    for (const job of s.jobs.values()) {
      for (const [tech, work] of workByTechnician(job, to, from)) {
        (workByTech.get(tech) ?? workByTech.set(tech, []).get(tech)!).push(...work);
        (jobsByTech.get(tech) ?? jobsByTech.set(tech, []).get(tech)!).push([job, work]);
      }
    }
    const spread = (intervals: readonly Interval[], cells: readonly string[], field: TimeField) => {
      for (const [a, b] of intervals) splitByLocalHour(a, b, this.timeZone, (hour, ms) => cells.forEach((c) => add(hour, c, field, ms / MINUTE_MS)));
    };
    for (const t of s.technicians.values()) {
      const attendance = clip(union(pairs(t.attendance, t.attendingSince, to, from)), from, to);
      if (attendance.length === 0) continue;
      const productive = intersect(workByTech.get(t.id) ?? [], attendance);
      for (const [team, span] of this.teams.spans(t, from, to)) {
        const cells = [cell('all', 'all'), cell('technician', t.id), ...(team === null ? [] : [cell('team', team)])];
        spread(clip(attendance, span[0], span[1]), cells, 'attendanceMin');
        spread(clip(productive, span[0], span[1]), cells, 'productiveMin');
      }
      for (const [job, work] of jobsByTech.get(t.id) ?? []) {
        const cells = this.cells.of(job.id).filter((c) => c.startsWith('service') || c.startsWith('advisor') || c.startsWith('customer'));
        spread(intersect(work, attendance), cells, 'productiveMin');
      }
    }
  }

  /** The technician's teams over [from, to) (team-timeline.ts); the daily report splits by it too. */
  teamSpans(t: TechnicianRecord, from: number, to: number): [string | null, Interval][] {
    return this.teams.spans(t, from, to);
  }

  private checkedIn(job: JobRecord): void {
    this.cells.checkedIn(job);
    this.add(job.checkedInAt, this.cells.of(job.id), (x) => (x.checkedIn += 1));
    // A comeback counts against the original job: its technician, team, service and advisor.
    if (job.comebackOf !== null) this.add(job.checkedInAt, this.cells.of(job.comebackOf), (x) => (x.comebacks += 1));
  }

  private survey(e: EventOf<'survey.submitted'>, at: number): void {
    this.add(at, this.cells.of(e.jobId), (x) => {
      x.surveys += 1;
      x.scoreSum += e.score;
      if (e.score >= 4) x.satisfied += 1;
      if (e.score <= 2) x.complaints += 1;
      addSurvey(x.cx, e);
    });
  }

  private add(at: number, cells: readonly string[], change: (s: HistorySums) => void): void {
    const hour = localHourStart(at, this.timeZone);
    for (const c of cells) change(this.sums(hour, c));
  }

  private daySums(day: number, c: string): HistorySums {
    const row = this.days.cellsFor(day);
    return row.get(c) ?? row.set(c, emptySums()).get(c)!;
  }

  private sums(hour: number, c: string): HistorySums {
    const row = this.hours.cellsFor(hour);
    return row.get(c) ?? row.set(c, emptySums()).get(c)!;
  }
}

/** The roll-ups' contents, as a checkpoint keeps them. */
export interface RollupsData {
  hours: BucketSumsData;
  days: BucketSumsData;
  jobs: Map<string, JobAttribution>;
  plates: Map<string, number>;
  teamsBefore: Map<string, string | null>;
  teamChanges: Map<string, (number | string | null)[]>;
  settled: number;
}

/** Splits a stored cell name into its dimension and key. */
export function parseCell(c: string): { dim: StoredDimension; key: string } {
  const i = c.indexOf('\u0000');
  return { dim: c.slice(0, i) as StoredDimension, key: c.slice(i + 1) };
}

/** A deep copy, so a query never changes the stored sums. */
export function copySums(s: HistorySums): HistorySums {
  return addSums(emptySums(), s);
}
