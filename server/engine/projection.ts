import type { EventResult, PitwallEvent } from '../../shared/events.js';
import type { JobState, JobView } from '../../shared/jobs.js';
import { toIso } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { ARRIVALS_RETENTION_MS, ArrivalLog } from './arrivals.js';
import { compact, compactable, compactionHorizon, RETAIN_MS } from './compaction.js';
import { workshopContext, type WorkshopContext } from './context.js';
import { evolve } from './evolve.js';
import { computeFigures, type BoardFigures } from './figures.js';
import { jobView } from './job-view.js';
import { predictStarts } from './forecast.js';
import { recordsAfter, recordsBefore, type After, type Before } from './event-records.js';
import { HOUR_RETENTION_MS, ROLLUP_RETENTION_MS, Rollups } from './rollups.js';
import { reject, rejectedResult, type Rejection } from './rejection.js';
import { createState, Journal, mutate, newTechnician, type WorkshopState } from './state.js';
import { StringPool } from './string-pool.js';
import type { ArrivalData } from './arrivals.js';
import type { RollupsData } from './rollups.js';

/** A projection's contents without its config: what a checkpoint holds (checkpoint.ts). */
export interface ProjectionData {
  state: WorkshopState;
  rollups: RollupsData;
  arrivals: ArrivalData;
  latestAt: number;
  skippedOnReplay: number;
}
import { DAY_MS, MINUTE_MS } from '../../shared/time.js';

/** How far in the future an event's `at` may lie (clock skew between tablets and hub). */
export const FUTURE_TOLERANCE_MS = 5 * MINUTE_MS;

/**
 * How far in the past a new event's `at` may lie by default (PITWALL_MAX_EVENT_AGE_DAYS): a
 * terminal offline over a long weekend catches up well inside it, while a tap dated 1970 can
 * no longer stretch an attendance interval over half a century (docs/security.md).
 */
export const DEFAULT_MAX_EVENT_AGE_MS = 14 * DAY_MS;

export interface ProjectionOptions {
  /** New events dated more than this before the hub's clock are refused as `too_old` (replay is not judged). */
  maxEventAgeMs?: number;
}

/** One incoming event after parsing: either a valid event or the result that rejects it already. */
export type Parsed = { ok: true; event: PitwallEvent } | { ok: false; result: EventResult };

/** A batch applied provisionally (Projection.begin). */
export interface Trial {
  readonly verdicts: Verdict[];
  /** The accepted events, in order: what the store is asked to append. */
  readonly accepted: PitwallEvent[];
  /** The projection's seq before the batch: the store's expected version. */
  readonly baseSeq: number;
  commit(): void;
  rollback(): void;
}

export type Verdict =
  | { status: 'accepted'; event: PitwallEvent }
  | { status: 'duplicate'; id: string }
  | { status: 'rejected'; result: EventResult };

/**
 * A workshop's state, rebuilt from its log. Pure: no clock, no I/O; `now` comes in.
 *
 * `begin` judges a batch and applies what it accepts provisionally, to be committed once the
 * store holds the events or rolled back; `apply` takes events straight from the log (replay,
 * catching up with other hubs).
 */
export class Projection {
  readonly ctx: WorkshopContext;
  /** Replaced only by `restore`, before anyone reads the projection. */
  state: WorkshopState;
  /** The strategic layer's hourly sums, folded from the same events (they outlive compaction). */
  rollups: Rollups;
  /** The last weeks' check-ins, for the staffing plan (arrivals.ts). */
  arrivals: ArrivalLog;
  /** Events in the log that today's config no longer allows (a technician removed, say): counted, skipped. */
  skippedOnReplay = 0;
  /** The latest `at` applied: compaction's horizon is measured from the log's time, not the clock's. */
  private latestAt = -Infinity;
  /** A batch begun and not yet committed or rolled back. */
  private open = false;

  private readonly maxEventAgeMs: number;
  /** The past jobs' technician ids and teams, one copy each (string-pool.ts). */
  private readonly strings = new StringPool();

  constructor(config: WorkshopConfig, options: ProjectionOptions = {}) {
    this.maxEventAgeMs = options.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS;
    this.ctx = workshopContext(config);
    this.state = createState(config.technicians);
    this.rollups = new Rollups(config.timezone, new Map(config.technicians.map((t) => [t.id, t.team ?? null])));
    this.arrivals = new ArrivalLog(config.timezone);
  }

  get seq(): number {
    return this.state.seq;
  }

  /** What a batch would do, leaving the state exactly as it found it. */
  judge(batch: readonly Parsed[], now: number): Verdict[] {
    const trial = this.begin(batch, now);
    trial.rollback();
    return trial.verdicts;
  }

  /**
   * Judges a batch and applies what it accepts in one pass (in order, each event seeing the
   * ones before it), provisionally: the changes sit in a journal until the caller, once the
   * store holds the accepted events, calls `commit` (which also folds them into the roll-ups),
   * or `rollback`, which leaves the state exactly as it was. Until then nothing else may read
   * or change the projection: ingest holds the workshop's turn and readers wait for it
   * (workshops/commit-queue.ts), so nobody sees an event that is not durable yet.
   */
  begin(batch: readonly Parsed[], now: number): Trial {
    if (this.open) throw new Error('a batch is already pending on this projection');
    const j = new Journal();
    const baseSeq = this.state.seq;
    const folds: { e: PitwallEvent; before: Before; after: After }[] = [];
    const verdicts = batch.map((p): Verdict => {
      if (!p.ok) return { status: 'rejected', result: p.result };
      const e = p.event;
      if (this.state.eventIds.has(e.id)) return { status: 'duplicate', id: e.id };
      const before = recordsBefore(this.state, e);
      const why = this.precheck(e, now) ?? evolve(this.state, this.ctx, e, j);
      if (why) return { status: 'rejected', result: rejectedResult(e.id, why) };
      folds.push({ e, before, after: recordsAfter(this.state, e) });
      return { status: 'accepted', event: e };
    });
    this.open = true;
    const close = () => {
      if (!this.open) throw new Error('this batch was already committed or rolled back');
      this.open = false;
    };
    return {
      verdicts,
      accepted: folds.map((f) => f.e),
      baseSeq,
      commit: () => {
        close();
        for (const f of folds) {
          const at = Date.parse(f.e.at);
          this.latestAt = Math.max(this.latestAt, at);
          this.arrivals.observe(at, f.e);
          this.rollups.observe(f.e, f.before, f.after);
        }
      },
      rollback: () => {
        close();
        j.rollback();
      },
    };
  }

  /**
   * Looks at the floor as it would be after `events` (the lead's "what if I move him"),
   * without keeping any of it: applied in a trial journal, `look` runs, everything is rolled
   * back. The first refused event stops it and is returned instead.
   */
  whatIf<T>(events: readonly PitwallEvent[], look: () => T): { ok: true; value: T } | { ok: false; rejection: Rejection } {
    const j = new Journal();
    try {
      for (const e of events) {
        const why = evolve(this.state, this.ctx, e, j);
        if (why) return { ok: false, rejection: why };
      }
      return { ok: true, value: look() };
    } finally {
      j.rollback();
    }
  }

  /** Applies events the store holds, in log order. Never throws: the log is the truth. */
  apply(events: readonly PitwallEvent[]): void {
    if (this.open) throw new Error('cannot apply log events while a batch is pending (commit or roll it back first)');
    for (const e of events) {
      if (this.state.eventIds.has(e.id)) {
        // The store dedupes by id; meeting one twice means a gap in our reading. Keep seq in step.
        mutate.seq(this.state, null);
        continue;
      }
      const at = Date.parse(e.at);
      this.latestAt = Math.max(this.latestAt, at);
      // Every event in the log counts here, as the staffing plan's reading of the log did.
      this.arrivals.observe(at, e);
      const before = recordsBefore(this.state, e);
      if (evolve(this.state, this.ctx, e, null) !== null) {
        this.skippedOnReplay++;
        mutate.eventId(this.state, e.id, Date.parse(e.at), null);
        mutate.seq(this.state, null);
      } else {
        this.rollups.observe(e, before, recordsAfter(this.state, e));
      }
    }
  }

  figures(now: number): BoardFigures {
    return computeFigures(this.state, this.ctx, now);
  }

  jobs(now: number, state?: JobState): JobView[] {
    const predicted = predictStarts(this.state, this.ctx, now);
    const list = [...this.state.jobs.values()].filter((j) => state === undefined || j.state === state);
    list.sort((a, b) => a.checkedInAt - b.checkedInAt || (a.id < b.id ? -1 : 1));
    return list.map((j) => jobView(j, this.state.technicians, now, predicted));
  }

  compact(now: number): void {
    const base = Math.min(now, this.latestAt);
    if (!Number.isFinite(base)) return;
    // Hours fold by the clock (the history API's retention), never before they are settled.
    const foldBefore = Math.min(now - HOUR_RETENTION_MS, base - RETAIN_MS);
    // The team of each job about to go, asked before settling folds the team changes away.
    const teams = new Map(compactable(this.state, compactionHorizon(now, this.latestAt)).map((j) => [j.id, this.teamAtLastChange(j)]));
    // History keeps the time that compaction is about to drop.
    this.rollups.settle(this.state, base - RETAIN_MS, foldBefore);
    this.rollups.foldHours(foldBefore);
    // Hours no late event (the too_old window) and no settling can reach any more: frozen (bucket-sums.ts).
    this.rollups.hours.freezeBefore(Math.min(now - this.maxEventAgeMs, base - RETAIN_MS) - DAY_MS);
    this.rollups.forgetBefore(now - ROLLUP_RETENTION_MS);
    this.arrivals.forgetBefore(now - ARRIVALS_RETENTION_MS);
    compact(this.state, now, this.latestAt, now - this.maxEventAgeMs, (j) => teams.get(j.id) ?? this.teamAtLastChange(j), this.strings);
    this.rollups.forgetJobs((id) => this.state.jobs.has(id) || this.state.pastJobIds.has(id));
  }

  /** The team of a job's technician when the job last changed (a comeback counts against it). */
  teamAtLastChange(j: { technicianId: string | null; lastAt: number }): string | null {
    const t = j.technicianId === null ? undefined : this.state.technicians.get(j.technicianId);
    return t === undefined ? null : (this.rollups.teamSpans(t, j.lastAt, j.lastAt + 1)[0]?.[0] ?? t.team);
  }

  /** Everything replay built, for a checkpoint (checkpoint.ts); the config is not in it. */
  toData(): ProjectionData {
    return { state: this.state, rollups: this.rollups.toData(), arrivals: this.arrivals.toData(), latestAt: this.latestAt, skippedOnReplay: this.skippedOnReplay };
  }

  /**
   * What a day checkpoint needs (workshops/day-reports.ts): the floor, without the dedupe ids
   * and the history sums, which a report rebuilt from it never reads.
   */
  toDayData(): ProjectionData {
    const rollups = this.rollups.toData();
    return {
      ...this.toData(),
      state: { ...this.state, eventIds: new Map() },
      rollups: { ...rollups, hours: { open: new Map(), frozen: new Map() }, days: { open: new Map(), frozen: new Map() }, jobs: new Map(), plates: new Map() },
    };
  }

  /**
   * Takes over a checkpoint's state (before anything reads the projection). Technicians the
   * config added since get a fresh record; those it removed keep theirs (the past stays as it
   * was judged) and, as after a replay, nothing new can name them.
   */
  restore(data: ProjectionData): void {
    if (this.open) throw new Error('cannot restore while a batch is pending');
    for (const t of this.ctx.config.technicians) if (!data.state.technicians.has(t.id)) data.state.technicians.set(t.id, newTechnician(t.id, t.team ?? null));
    this.state = data.state;
    // Deserialised, each past job holds its own copy of its strings (string-pool.ts).
    for (const [id, past] of this.state.pastJobIds) this.state.pastJobIds.set(id, { lastAt: past.lastAt, technicianId: this.strings.get(past.technicianId), team: this.strings.get(past.team) });
    this.rollups = Rollups.fromData(this.ctx.timezone, data.rollups);
    this.arrivals = new ArrivalLog(this.ctx.timezone, data.arrivals);
    this.latestAt = data.latestAt;
    this.skippedOnReplay = data.skippedOnReplay;
  }

  private precheck(e: PitwallEvent, now: number): Rejection | null {
    const at = Date.parse(e.at);
    if (at > now + FUTURE_TOLERANCE_MS) {
      return reject('future_time', 'at', `${e.at} is more than 5 minutes after the hub's clock (${toIso(now)})`);
    }
    if (at < now - this.maxEventAgeMs) {
      const days = Math.round((this.maxEventAgeMs / DAY_MS) * 100) / 100;
      // The dedupe ids are kept for this window only (compaction.ts): an older event could be a re-sent duplicate nobody can recognise any more.
      return reject('too_old', 'at', `${e.at} is older than the ${days}-day window before the hub's clock (${toIso(now)}); events this old can no longer be checked for duplicates`);
    }
    return null;
  }
}
