import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { postAction, type Action } from '../../shared/permissions.js';
import type { EventResult, EventStatus, PitwallEvent, StoredEvent } from '../../shared/events.js';
import type { JobState, JobView } from '../../shared/jobs.js';
import type { DaySeries } from '../../shared/series.js';
import type { DailyReport } from '../../shared/daily.js';
import { historyQuery, type HistoryResponse } from '../../shared/history.js';
import { movePreviewRequest, type MovePreview, type StaffingPlan, type WorkshopForecast } from '../../shared/forecast.js';
import type { TechnicianView } from '../../shared/technicians.js';
import { TERMINAL_ID_PATTERN, type AlertMessage, type BoardSnapshot } from '../../shared/snapshot.js';
import type { ClusterMessage } from '../../shared/socket.js';
import { CALENDAR_DATE_RULE, HOUR_MS, isCalendarDate, localDate, startOfLocalDate, toIso } from '../../shared/time.js';
import { terminalCapOf, type WorkshopConfig } from '../../shared/workshop.js';
import type { PitwallConfig } from '../config/config-file.js';
import { AlertTracker } from '../engine/alerts.js';
import { Projection, type Parsed, type Verdict } from '../engine/projection.js';
import { daySeries } from '../engine/series.js';
import { dailyReport } from '../engine/daily.js';
import { historyOf } from '../engine/history.js';
import { HOUR_RETENTION_MS } from '../engine/rollups.js';
import { workshopForecast } from '../engine/staffing.js';
import { staffingPlan } from '../engine/staffing-plan.js';
import { technicianViews } from '../engine/technicians.js';
import { fail } from '../errors.js';
import { StoreOutcomeUnknownError, type AppendOutcome, type EventStore } from '../store/event-store.js';
import { declaredType, issueDetails, parseBatch, parseEvent } from './parse.js';
import { authorise, authoriseWorkshop, authoriseWriter } from './access.js';
import type { Principal } from './principal.js';
import { listedWithinCaps } from './snapshot-lists.js';
import { TerminalRegistry } from './terminals.js';
import type { IngestReport, WorkshopService } from './workshop-service.js';

/** Page size when replaying or catching up from the store. */
const READ_PAGE = 5000;
/** Attempts at an append that keeps losing the version race to other hubs before answering 503. */
const MAX_APPEND_ATTEMPTS = 5;
const COMPACT_EVERY_MS = HOUR_MS;
/** The most events one group commit takes (a Redis script call's arguments stay modest). */
const MAX_GROUP_EVENTS = 2000;
/**
 * A terminal that keeps talking is re-announced to the other hubs this often (and at once when
 * it is new, moved or back from silence): well inside TERMINAL_SILENT_AFTER_MS (2 min), so no
 * hub ever shows it silent, without one pub/sub message per request.
 */
const TERMINAL_SHARE_EVERY_MS = 20_000;
/**
 * After an append whose outcome is unknown, the hub reads the log again at once and, while the
 * store does not answer, this long after each failed attempt (each one already waits up to the
 * store's own timeout): the board shows what was written within moments of the store's return.
 */
const RESYNC_RETRY_MS = 250;

interface Entry {
  readonly config: WorkshopConfig;
  readonly projection: Projection;
  readonly alerts: AlertTracker;
  readonly terminals: TerminalRegistry;
  /** Tail of the per-workshop queue: judge → append → apply never interleave within this hub. */
  tail: Promise<void>;
  lastCompactedAt: number;
  /** Requests waiting for the workshop's turn; the next turn takes them together (group commit). */
  waiting: { parsed: readonly Parsed[]; resolve: (r: EventResult[]) => void; reject: (err: unknown) => void }[];
  turnQueued: boolean;
  /** A turn of the queue is running (judge → append → apply). */
  committing: boolean;
  /** Set while a batch is applied provisionally and on its way to the store: readers wait for it. */
  provisional: Promise<void> | null;
  /**
   * A terminal's contact changed the board while events were on their way in (the terminal
   * that sent them): the board is told once those events are in, in the same snapshot, not
   * a snapshot before them that would hold the events back for a coalescing window.
   */
  contactPending: boolean;
  /**
   * The log may hold events this projection lacks: an append failed without saying whether it
   * wrote (StoreOutcomeUnknownError). Until a catch-up has read the log to its end no batch is
   * judged, and readers first wait for that catch-up (`resync`).
   */
  unsure: boolean;
  /** The catch-up running for `unsure`, shared by every reader waiting for it. */
  resync: Promise<boolean> | null;
  /** The next attempt at that catch-up, while the store does not answer. */
  resyncTimer: NodeJS.Timeout | null;
  /** Failed attempts in a row (the first is logged as a warning, the rest at debug). */
  resyncFailures: number;
}

export interface WorkshopsDeps {
  config: PitwallConfig;
  store: EventStore;
  logger: Logger;
  /** The hub's clock (ms); tests pin it to script a day. */
  clock?: () => number;
  /** New events dated more than this before the clock are refused as `too_old` (engine/projection.ts). */
  maxEventAgeMs?: number;
}

/**
 * The workshops of this hub: a projection per workshop over the event store, and the one
 * ingest path that HTTP and Socket.IO share (docs/architecture.md, "The path of one event").
 *
 * Accepted means durable: a batch is judged against the live state in a trial that is rolled
 * back at once, the accepted events are appended (the store's version check makes the hub's
 * view and the log agree), and only then applied and reported.
 */
export class Workshops implements WorkshopService {
  private readonly entries = new Map<string, Entry>();
  private readonly changeListeners: ((workshopId: string) => void)[] = [];
  private readonly alertListeners: ((alert: AlertMessage) => void)[] = [];
  private readonly ingestListeners: ((report: IngestReport) => void)[] = [];
  private readonly sharedListeners: ((message: ClusterMessage) => void)[] = [];
  private readonly store: EventStore;
  private readonly logger: Logger;
  private readonly clock: () => number;
  /** `appended` nudges waiting for the end of the tick: one per workshop, with its latest seq. */
  private readonly appendedNudges = new Map<string, number>();
  private nudgeFlush: NodeJS.Immediate | null = null;
  private closed = false;

  private constructor(deps: WorkshopsDeps) {
    this.store = deps.store;
    this.logger = deps.logger;
    this.clock = deps.clock ?? Date.now;
    for (const ws of deps.config.workshops) {
      const projection = new Projection(ws, { ...(deps.maxEventAgeMs !== undefined && { maxEventAgeMs: deps.maxEventAgeMs }) });
      this.entries.set(ws.id, {
        config: ws,
        projection,
        alerts: new AlertTracker(ws.id, projection.ctx.thresholds, ws.lightPolicy),
        terminals: new TerminalRegistry(terminalCapOf(ws)),
        tail: Promise.resolve(),
        lastCompactedAt: -Infinity,
        waiting: [],
        turnQueued: false,
        committing: false,
        provisional: null,
        contactPending: false,
        unsure: false,
        resync: null,
        resyncTimer: null,
        resyncFailures: 0,
      });
    }
  }

  /** Builds every workshop's projection by replaying its log. */
  static async open(deps: WorkshopsDeps): Promise<Workshops> {
    const w = new Workshops(deps);
    for (const [id, entry] of w.entries) {
      const started = performance.now();
      await w.catchUp(id, entry);
      const p = entry.projection;
      deps.logger.info({ workshopId: id, seq: p.seq, ms: Math.round(performance.now() - started) }, 'workshop replayed');
      if (p.skippedOnReplay > 0) {
        deps.logger.warn({ workshopId: id, skipped: p.skippedOnReplay }, 'events in the log that the current config does not allow were skipped (a technician, bay or advisor removed from the config?)');
      }
    }
    return w;
  }

  get workshopIds(): readonly string[] {
    return [...this.entries.keys()];
  }

  config(workshopId: string): WorkshopConfig | undefined {
    return this.entries.get(workshopId)?.config;
  }

  async ingest(workshopId: string, body: unknown, principal: Principal): Promise<EventResult[]> {
    const started = performance.now();
    const entry = this.open(workshopId, principal);
    authoriseWriter(principal);
    const raws = parseBatch(body);
    // Any event the role may not send refuses the whole request, before anything is judged.
    for (const t of raws.map(declaredType)) if (t !== undefined) authorise(principal, postAction(t));

    const parsed = raws.map(parseEvent);
    const results = await this.enqueue(workshopId, entry, parsed);
    const outcomes = results.map((r, i) => ({ type: declaredType(raws[i]) ?? 'unknown', status: r.status }));
    const report: IngestReport = { workshopId, outcomes, durationMs: performance.now() - started };
    for (const l of this.ingestListeners) l(report);
    return results;
  }

  async snapshot(workshopId: string, principal: Principal, now: number): Promise<BoardSnapshot> {
    this.open(workshopId, principal, 'read:board');
    return this.liveSnapshot(workshopId, now);
  }

  async liveSnapshot(workshopId: string, now: number): Promise<BoardSnapshot> {
    const entry = this.entries.get(workshopId);
    if (!entry) throw fail.notFound(`unknown workshop ${workshopId}`);
    const p = await this.settled(entry);
    if (now - entry.lastCompactedAt >= COMPACT_EVERY_MS) {
      p.compact(now);
      entry.lastCompactedAt = now;
    }
    const figures = p.figures(now);
    for (const alert of entry.alerts.observe(figures, now)) for (const l of this.alertListeners) l(alert);
    return { ...figures, ...listedWithinCaps(entry.alerts.active(), figures.flags), terminals: entry.terminals.list(now) };
  }

  acknowledgeAlert(workshopId: string, principal: Principal, metric: string, now: number): void {
    const entry = this.open(workshopId, principal, 'ack:alert');
    if (!entry.alerts.acknowledge(metric, now)) throw fail.notFound(`no active alert for ${metric}`);
    this.changed(workshopId);
    this.share({ kind: 'alert-ack', workshopId, metric, at: now });
  }

  async refresh(workshopId: string, knownSeq?: number): Promise<boolean> {
    const entry = this.entries.get(workshopId);
    if (!entry) return true;
    if (knownSeq !== undefined && knownSeq <= entry.projection.seq) return true;
    // A log nobody else writes cannot have moved behind this hub's back (the heartbeat's question).
    if (knownSeq === undefined && !this.store.sharedLog) return true;
    try {
      await this.serialised(entry, async () => {
        if (knownSeq === undefined && (await this.store.length(workshopId)) <= entry.projection.seq) return;
        await this.catchUp(workshopId, entry);
      });
      return true;
    } catch (err) {
      this.logger.warn({ err, workshopId }, 'could not catch up with the log');
      return false;
    }
  }

  onShared(listener: (message: ClusterMessage) => void): void {
    this.sharedListeners.push(listener);
  }

  applyShared(message: ClusterMessage): void {
    const entry = this.entries.get(message.workshopId);
    if (!entry) return;
    switch (message.kind) {
      case 'appended':
        void this.refresh(message.workshopId, message.seq);
        return;
      case 'alert-ack':
        if (entry.alerts.acknowledge(message.metric, message.at)) this.changed(message.workshopId);
        return;
      case 'terminal':
        // Another hub checked it, but its config may differ (a rolling update): only bays this hub knows.
        if (typeof message.bayId === 'string' && !entry.projection.ctx.bayIds.has(message.bayId)) return;
        if (entry.terminals.seen(message.terminalId, message.bayId, message.at)) this.changed(message.workshopId);
        return;
    }
  }

  private share(message: ClusterMessage): void {
    if (this.sharedListeners.length === 0) return;
    if (message.kind === 'appended') {
      // Only the latest seq matters to the other hubs: the appends of one tick make one nudge per workshop.
      this.appendedNudges.set(message.workshopId, Math.max(message.seq, this.appendedNudges.get(message.workshopId) ?? 0));
      this.nudgeFlush ??= setImmediate(() => this.flushNudges());
      return;
    }
    for (const l of this.sharedListeners) l(message);
  }

  private flushNudges(): void {
    this.nudgeFlush = null;
    const nudges = [...this.appendedNudges];
    this.appendedNudges.clear();
    for (const [workshopId, seq] of nudges) for (const l of this.sharedListeners) l({ kind: 'appended', workshopId, seq });
  }

  terminalSeen(workshopId: string, principal: Principal, terminalId: string, bayId: string | null | undefined, now: number): void {
    const entry = this.open(workshopId, principal, 'speak:terminal');
    if (!TERMINAL_ID_PATTERN.test(terminalId)) {
      throw fail.badRequest('invalid terminal id', [{ path: 'terminalId', message: 'must be 8–64 characters of A–Z, a–z, 0–9, "_" or "-"' }]);
    }
    if (bayId !== undefined && bayId !== null && !entry.projection.ctx.bayIds.has(bayId)) {
      throw fail.badRequest('unknown bay', [{ path: 'bayId', message: `unknown bay ${bayId}` }]);
    }
    const changed = entry.terminals.seen(terminalId, bayId, now);
    // The edges call this just before ingesting the same request's events: look once they are queued.
    if (changed) setImmediate(() => this.contactChanged(workshopId, entry));
    if (entry.terminals.shareDue(terminalId, now, TERMINAL_SHARE_EVERY_MS, changed || bayId !== undefined)) {
      this.share({ kind: 'terminal', workshopId, terminalId, ...(bayId !== undefined && { bayId }), at: now });
    }
  }

  async series(workshopId: string, principal: Principal, now: number): Promise<DaySeries> {
    const p = await this.settled(this.open(workshopId, principal, 'read:series'));
    return daySeries(p.state, p.ctx, now);
  }

  async technicians(workshopId: string, principal: Principal, now: number): Promise<TechnicianView[]> {
    const p = await this.settled(this.open(workshopId, principal, 'read:technicians'));
    return technicianViews(p.state, p.ctx, now);
  }

  async forecast(workshopId: string, principal: Principal, now: number): Promise<WorkshopForecast> {
    const p = await this.settled(this.open(workshopId, principal, 'read:forecast'));
    return workshopForecast(p.state, p.ctx, now);
  }

  async daily(workshopId: string, principal: Principal, date: string | undefined, now: number): Promise<DailyReport> {
    const entry = this.open(workshopId, principal, 'read:daily');
    const day = date ?? localDate(now, entry.config.timezone);
    if (!isCalendarDate(day)) throw fail.badRequest('invalid date', [{ path: 'date', message: CALENDAR_DATE_RULE }]);
    // From the log, not the projection: a past day needs events the projection has compacted away.
    return dailyReport(await this.wholeLog(workshopId), entry.config, day, now);
  }

  async history(workshopId: string, principal: Principal, query: unknown, now: number): Promise<HistoryResponse> {
    const entry = this.open(workshopId, principal, 'read:history');
    const parsed = historyQuery.safeParse(query);
    if (!parsed.success) throw fail.badRequest('invalid history query', issueDetails(parsed.error, query));
    if (parsed.data.bucket === 'hour' && startOfLocalDate(parsed.data.from, entry.config.timezone) < now - HOUR_RETENTION_MS) {
      throw fail.badRequest('invalid history query', [{ path: 'from', message: `hour buckets reach back ${HOUR_RETENTION_MS / 86_400_000} days; use bucket=day for older dates` }]);
    }
    const p = await this.settled(entry);
    return historyOf(p.rollups, p.state, p.ctx, parsed.data, workshopId, now);
  }

  async previewMove(workshopId: string, principal: Principal, move: unknown, now: number): Promise<MovePreview> {
    const entry = this.open(workshopId, principal, 'preview:move');
    const parsed = movePreviewRequest.safeParse(move);
    if (!parsed.success) throw fail.badRequest('the body must be { technicianId, team?, bayId? }', issueDetails(parsed.error, move));
    const event: PitwallEvent = { id: 'preview-move-0000', type: 'staff.reassigned', at: toIso(now), ...parsed.data };
    const p = await this.settled(entry);
    const before = workshopForecast(p.state, p.ctx, now);
    const after = p.whatIf([event], () => workshopForecast(p.state, p.ctx, now));
    if (!after.ok) throw fail.badRequest(after.rejection.message, [{ path: after.rejection.path, message: after.rejection.message }]);
    return { before, after: after.value };
  }

  async staffing(workshopId: string, principal: Principal, now: number, hours: number): Promise<StaffingPlan> {
    const entry = this.open(workshopId, principal, 'read:staffing');
    const log = await this.wholeLog(workshopId);
    const p = await this.settled(entry);
    return staffingPlan(log, p.state, p.ctx, now, hours);
  }

  private async wholeLog(workshopId: string): Promise<PitwallEvent[]> {
    const log: PitwallEvent[] = [];
    for (let after = 0; ; ) {
      const page = await this.store.read(workshopId, after, READ_PAGE);
      log.push(...page.map((e) => e.event));
      if (page.length < READ_PAGE) return log;
      after = page.at(-1)!.seq;
    }
  }

  async jobs(workshopId: string, principal: Principal, now: number, state?: JobState): Promise<JobView[]> {
    return (await this.settled(this.open(workshopId, principal, 'read:jobs'))).jobs(now, state);
  }

  async eventLog(workshopId: string, principal: Principal, afterSeq: number, limit: number): Promise<{ events: StoredEvent[]; lastSeq: number; more: boolean }> {
    this.open(workshopId, principal, 'read:events');
    const page = await this.store.read(workshopId, afterSeq, limit + 1);
    const events = page.slice(0, limit);
    return { events, lastSeq: events.at(-1)?.seq ?? afterSeq, more: page.length > limit };
  }

  onChange(listener: (workshopId: string) => void): void {
    this.changeListeners.push(listener);
  }

  onAlert(listener: (alert: AlertMessage) => void): void {
    this.alertListeners.push(listener);
  }

  onIngested(listener: (report: IngestReport) => void): void {
    this.ingestListeners.push(listener);
  }

  /** Waits for in-flight ingests to finish; the store belongs to the caller. */
  async close(): Promise<void> {
    this.closed = true;
    for (const e of this.entries.values()) if (e.resyncTimer) clearTimeout(e.resyncTimer);
    await Promise.all([...this.entries.values()].map((e) => e.tail));
    if (this.nudgeFlush) clearImmediate(this.nudgeFlush);
    this.flushNudges();
  }

  /** The workshop's entry, once the principal may open it (404, 403) and, given an action, do it (403). */
  private open(workshopId: string, principal: Principal, action?: Action): Entry {
    const entry = this.entries.get(workshopId);
    if (!entry) throw fail.notFound(`unknown workshop ${workshopId}`);
    authoriseWorkshop(principal, workshopId);
    if (action !== undefined) authorise(principal, action);
    return entry;
  }

  /**
   * Group commit: requests that arrive while the workshop's previous append is on its way to
   * disk (or Redis) wait, and the next turn judges, appends and applies all of them at once,
   * in arrival order: one fsync or one script call for many terminals. Each request still gets
   * exactly its own results, and a store failure fails every request of that turn.
   */
  private enqueue(workshopId: string, entry: Entry, parsed: readonly Parsed[]): Promise<EventResult[]> {
    return new Promise((resolve, reject) => {
      entry.waiting.push({ parsed, resolve, reject });
      if (entry.turnQueued) return;
      entry.turnQueued = true;
      void this.serialised(entry, async () => {
        entry.turnQueued = false;
        entry.committing = true;
        try {
          await this.turn(workshopId, entry);
        } finally {
          entry.committing = false;
          if (entry.contactPending) {
            entry.contactPending = false;
            this.changed(workshopId);
          }
        }
      });
    });
  }

  /** One turn of the workshop's queue: every request waiting now, in groups of at most MAX_GROUP_EVENTS. */
  private async turn(workshopId: string, entry: Entry): Promise<void> {
    while (entry.waiting.length > 0) {
      const group: Entry['waiting'] = [];
      let events = 0;
      while (entry.waiting.length > 0 && (group.length === 0 || events + entry.waiting[0]!.parsed.length <= MAX_GROUP_EVENTS)) {
        const next = entry.waiting.shift()!;
        group.push(next);
        events += next.parsed.length;
      }
      try {
        const results = await this.commit(workshopId, entry, group.flatMap((g) => g.parsed));
        let at = 0;
        for (const g of group) {
          g.resolve(results.slice(at, at + g.parsed.length));
          at += g.parsed.length;
        }
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
  }

  private contactChanged(workshopId: string, entry: Entry): void {
    if (entry.committing || entry.turnQueued || entry.waiting.length > 0) entry.contactPending = true;
    else this.changed(workshopId);
  }

  private serialised<T>(entry: Entry, task: () => Promise<T>): Promise<T> {
    const run = entry.tail.then(task);
    entry.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * One pass over the batch: judged and applied provisionally (Projection.begin), appended,
   * then committed, or rolled back if the store did not take it. While the batch is
   * provisional the projection's readers wait (`settled`).
   */
  private async commit(workshopId: string, entry: Entry, parsed: readonly Parsed[]): Promise<EventResult[]> {
    const p = entry.projection;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const now = this.clock();
      // Never judge a batch against a state that may lack what an unconfirmed append wrote; when
      // the log cannot be read this batch fails as "nothing was changed", which is true of it.
      if (entry.unsure) await this.catchUp(workshopId, entry);
      const release = this.holdReaders(entry);
      try {
        let trial = p.begin(parsed, now);
        if (trial.verdicts.some((v) => v.status === 'rejected') && (await this.store.length(workshopId)) > trial.baseSeq) {
          // A rejection judged on a projection that another hub has moved past may be wrong (the
          // check-in it names may be in the log already): catch up and judge again before saying no.
          trial.rollback();
          await this.catchUp(workshopId, entry);
          trial = p.begin(parsed, now);
        }
        if (trial.accepted.length === 0) {
          trial.rollback();
          return trial.verdicts.map(toResult);
        }

        let outcome: AppendOutcome;
        try {
          outcome = await this.store.append(workshopId, trial.accepted, trial.baseSeq, toIso(now));
        } catch (err) {
          trial.rollback();
          if (err instanceof StoreOutcomeUnknownError) this.markUnsure(workshopId, entry);
          throw err;
        }
        if (!outcome.ok) {
          // Another hub wrote first: read what it wrote and judge the batch again on top of it.
          trial.rollback();
          await this.catchUp(workshopId, entry);
          continue;
        }
        if (outcome.duplicates.some(Boolean)) {
          // The log knew ids this hub had not seen yet: take the log's word for all of them.
          trial.rollback();
          const known = new Set(trial.accepted.filter((_, i) => outcome.duplicates[i]).map((e) => e.id));
          // The rest of the batch is written: if the log cannot be read back now, the answer
          // still says so, and the projection catches up as soon as the store answers.
          await this.catchUp(workshopId, entry).catch(() => this.markUnsure(workshopId, entry));
          return trial.verdicts.map((v) => (v.status === 'accepted' && known.has(v.event.id) ? { id: v.event.id, status: 'duplicate' as const } : toResult(v)));
        }
        trial.commit();
        if (p.seq !== outcome.seq) {
          this.logger.warn({ workshopId, projection: p.seq, store: outcome.seq }, 'projection and log disagree after an append; catching up from the log');
          await this.catchUp(workshopId, entry).catch(() => this.markUnsure(workshopId, entry));
        }
        this.changed(workshopId);
        this.share({ kind: 'appended', workshopId, seq: p.seq });
        return trial.verdicts.map(toResult);
      } finally {
        release();
      }
    }
    throw fail.unavailable(`workshop ${workshopId}: the log kept moving under this hub (${MAX_APPEND_ATTEMPTS} attempts); retry`);
  }

  /** Readers of the projection wait from here until the returned release (a batch is provisional). */
  private holdReaders(entry: Entry): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    entry.provisional = held;
    return () => {
      if (entry.provisional === held) entry.provisional = null;
      release();
    };
  }

  /**
   * The workshop's projection with no provisional batch in it: what every reader sees. After an
   * append of unknown outcome it first reads the log, so what that append wrote shows; while the
   * store does not answer, the last state the hub knows is served (as in any outage).
   */
  private async settled(entry: Entry): Promise<Projection> {
    if (entry.unsure) await this.resync(entry.config.id, entry);
    while (entry.provisional) await entry.provisional;
    return entry.projection;
  }

  /** Applies whatever the log holds beyond the projection. */
  private async catchUp(workshopId: string, entry: Entry): Promise<void> {
    const p = entry.projection;
    const before = p.seq;
    for (;;) {
      const page = await this.store.read(workshopId, p.seq, READ_PAGE);
      p.apply(page.map((s): PitwallEvent => s.event));
      if (page.length < READ_PAGE) break;
    }
    // Read to the end: nothing an earlier append wrote can be missing now (one connection, or
    // one process, serves the store's commands in the order they were sent).
    entry.unsure = false;
    if (p.seq !== before) this.changed(workshopId);
  }

  /** An append may have written without saying so: read the log again now, and until it answers. */
  private markUnsure(workshopId: string, entry: Entry): void {
    entry.unsure = true;
    void this.resync(workshopId, entry);
  }

  /**
   * One catch-up for an unsure workshop, in its turn (after the batch that made it unsure),
   * shared by whoever asks meanwhile. Resolves false when the store did not answer, and then
   * tries again after RESYNC_RETRY_MS, so the boards get what was written without waiting for
   * a reader or the heartbeat.
   */
  private resync(workshopId: string, entry: Entry): Promise<boolean> {
    if (!entry.unsure) return Promise.resolve(true);
    entry.resync ??= this.serialised(entry, async () => {
      if (entry.unsure) await this.catchUp(workshopId, entry);
    })
      .then(
        () => {
          entry.resyncFailures = 0;
          // Boards went without fresh snapshots while the store was away: one now, found events or not.
          this.changed(workshopId);
          return true;
        },
        (err: unknown) => {
          entry.resyncFailures++;
          if (entry.resyncFailures === 1) this.logger.warn({ err, workshopId }, 'an append may have written without confirming it; the log cannot be read yet, retrying');
          else this.logger.debug({ err, workshopId, attempts: entry.resyncFailures }, 'the log still cannot be read');
          if (!this.closed && entry.resyncTimer === null) {
            entry.resyncTimer = setTimeout(() => {
              entry.resyncTimer = null;
              void this.resync(workshopId, entry);
            }, RESYNC_RETRY_MS);
            entry.resyncTimer.unref();
          }
          return false;
        },
      )
      .finally(() => {
        entry.resync = null;
      });
    return entry.resync;
  }

  private changed(workshopId: string): void {
    for (const l of this.changeListeners) l(workshopId);
  }
}

function toResult(v: Verdict): EventResult {
  const status: EventStatus = v.status;
  switch (v.status) {
    case 'accepted':
      return { id: v.event.id, status };
    case 'duplicate':
      return { id: v.id, status };
    case 'rejected':
      return v.result;
  }
}
