import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { DailyReport } from '../../shared/daily.js';
import type { EventResult, StoredEvent } from '../../shared/events.js';
import type { MovePreview, StaffingPlan, WorkshopForecast } from '../../shared/forecast.js';
import type { HistoryResponse } from '../../shared/history.js';
import type { JobState, JobView } from '../../shared/jobs.js';
import { postAction, type Action } from '../../shared/permissions.js';
import type { DaySeries } from '../../shared/series.js';
import type { AlertMessage, BoardSnapshot } from '../../shared/snapshot.js';
import type { ClusterMessage } from '../../shared/socket.js';
import type { TechnicianView } from '../../shared/technicians.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { PitwallConfig } from '../config/config-file.js';
import { fail } from '../errors.js';
import type { EventStore } from '../store/event-store.js';
import { authorise, authoriseWorkshop, authoriseWriter } from './access.js';
import { applyShared, ClusterSync } from './cluster-sync.js';
import { declaredType, parseBatch, parseEvent } from './parse.js';
import type { Principal } from './principal.js';
import { boardSeries, boardSnapshot } from './queries/board.js';
import * as lead from './queries/lead.js';
import * as reports from './queries/reports.js';
import { Signal } from './signal.js';
import { terminalSeen } from './terminal-presence.js';
import { createWorkshop, type Workshop } from './workshop.js';
import type { IngestReport, WorkshopService } from './workshop-service.js';

/**
 * The workshops of this hub, by id: opens each (replaying its log), routes every call of the
 * edges (WorkshopService) to the workshop's parts after the 404 / 403 checks, and keeps the
 * listeners. The parts, one job each: the write path (commit-queue.ts), the tick that
 * compacts and judges the lights (tick.ts), the reads by audience (queries/board.ts,
 * queries/lead.ts, queries/reports.ts), terminal contact (terminal-presence.ts) and what the
 * other hubs hear (cluster-sync.ts).
 */

/** The tick's heartbeat: as often as the boards' (server/realtime/broadcaster.ts, HEARTBEAT_MS). */
export const TICK_EVERY_MS = 15_000;

export interface WorkshopsDeps {
  config: PitwallConfig;
  store: EventStore;
  logger: Logger;
  /** The hub's clock (ms); tests pin it to script a day. */
  clock?: () => number;
  /** New events dated more than this before the clock are refused as `too_old` (engine/projection.ts). */
  maxEventAgeMs?: number;
  /** How often every workshop ticks (default TICK_EVERY_MS). */
  tickMs?: number;
}

export class Workshops implements WorkshopService {
  private readonly workshops = new Map<string, Workshop>();
  private readonly changes = new Signal<string>();
  private readonly alerts = new Signal<AlertMessage>();
  private readonly ingests = new Signal<IngestReport>();
  private readonly cluster = new ClusterSync();
  private readonly store: EventStore;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private ticker: NodeJS.Timeout | null = null;

  private constructor(deps: WorkshopsDeps) {
    this.store = deps.store;
    this.logger = deps.logger;
    this.clock = deps.clock ?? Date.now;
    for (const config of deps.config.workshops) {
      const id = config.id;
      const workshop = createWorkshop(config, {
        store: deps.store,
        logger: deps.logger,
        clock: this.clock,
        ...(deps.maxEventAgeMs !== undefined && { maxEventAgeMs: deps.maxEventAgeMs }),
        onChanged: () => this.stateChanged(id),
        onLightsMoved: () => this.changes.emit(id),
        onAlert: (alert) => this.alerts.emit(alert),
        onAppended: (seq) => this.cluster.share({ kind: 'appended', workshopId: id, seq }),
      });
      this.workshops.set(id, workshop);
    }
  }

  /** Builds every workshop's projection by replaying its log, then starts the tick. */
  static async open(deps: WorkshopsDeps): Promise<Workshops> {
    const w = new Workshops(deps);
    for (const [id, workshop] of w.workshops) {
      const started = performance.now();
      const checkpoint = await workshop.checkpoints.restore();
      await workshop.queue.catchUp();
      const p = workshop.queue.projection;
      const fromSeq = checkpoint.restored ? checkpoint.seq : 0;
      deps.logger.info({ workshopId: id, seq: p.seq, checkpointSeq: fromSeq, replayed: p.seq - fromSeq, ms: Math.round(performance.now() - started) }, 'workshop replayed');
      if (p.skippedOnReplay > 0) {
        deps.logger.warn({ workshopId: id, skipped: p.skippedOnReplay }, 'events in the log that the current config does not allow were skipped (a technician, bay or advisor removed from the config?)');
      }
    }
    w.ticker = setInterval(() => void w.tick(w.clock()), deps.tickMs ?? TICK_EVERY_MS);
    // A forgotten hub in a test must not keep the process alive.
    w.ticker.unref();
    return w;
  }

  get workshopIds(): readonly string[] {
    return [...this.workshops.keys()];
  }

  config(workshopId: string): WorkshopConfig | undefined {
    return this.workshops.get(workshopId)?.config;
  }

  async ingest(workshopId: string, body: unknown, principal: Principal): Promise<EventResult[]> {
    const started = performance.now();
    const w = this.open(workshopId, principal);
    authoriseWriter(principal);
    const raws = parseBatch(body);
    // Any event the role may not send refuses the whole request, before anything is judged.
    for (const t of raws.map(declaredType)) if (t !== undefined) authorise(principal, postAction(t));

    const results = await w.queue.submit(raws.map(parseEvent));
    const outcomes = results.map((r, i) => ({ type: declaredType(raws[i]) ?? 'unknown', status: r.status }));
    this.ingests.emit({ workshopId, outcomes, durationMs: performance.now() - started });
    return results;
  }

  async snapshot(workshopId: string, principal: Principal, now: number): Promise<BoardSnapshot> {
    return boardSnapshot(this.open(workshopId, principal, 'read:board'), now);
  }

  async liveSnapshot(workshopId: string, now: number): Promise<BoardSnapshot> {
    return boardSnapshot(this.known(workshopId), now);
  }

  async tick(now: number): Promise<void> {
    const ticks = [...this.workshops.values()].map(async (w) => {
      await w.tick.tick(now);
      await w.checkpoints.saveIfDue(now);
      await w.dayReports.atTick(await w.queue.settled(), now);
    });
    for (const [i, r] of (await Promise.allSettled(ticks)).entries()) {
      if (r.status === 'rejected') this.logger.warn({ err: r.reason, workshopId: this.workshopIds[i] }, 'tick failed (the next one tries again)');
    }
  }

  acknowledgeAlert(workshopId: string, principal: Principal, metric: string, now: number): void {
    const w = this.open(workshopId, principal, 'ack:alert');
    if (!w.alerts.acknowledge(metric, now)) throw fail.notFound(`no active alert for ${metric}`);
    this.changes.emit(workshopId);
    this.cluster.share({ kind: 'alert-ack', workshopId, metric, at: now });
  }

  terminalSeen(workshopId: string, principal: Principal, terminalId: string, bayId: string | null | undefined, now: number): void {
    terminalSeen(this.open(workshopId, principal, 'speak:terminal'), terminalId, bayId, now, (m) => this.cluster.share(m));
  }

  async series(workshopId: string, principal: Principal, now: number): Promise<DaySeries> {
    return boardSeries(this.open(workshopId, principal, 'read:series'), now);
  }

  async technicians(workshopId: string, principal: Principal, now: number): Promise<TechnicianView[]> {
    return lead.technicians(this.open(workshopId, principal, 'read:technicians'), now);
  }

  async forecast(workshopId: string, principal: Principal, now: number): Promise<WorkshopForecast> {
    return lead.forecast(this.open(workshopId, principal, 'read:forecast'), now);
  }

  async jobs(workshopId: string, principal: Principal, now: number, state?: JobState): Promise<JobView[]> {
    return lead.jobs(this.open(workshopId, principal, 'read:jobs'), now, state);
  }

  async previewMove(workshopId: string, principal: Principal, move: unknown, now: number): Promise<MovePreview> {
    return lead.previewMove(this.open(workshopId, principal, 'preview:move'), move, now);
  }

  async staffing(workshopId: string, principal: Principal, now: number, hours: number): Promise<StaffingPlan> {
    return lead.staffing(this.open(workshopId, principal, 'read:staffing'), now, hours);
  }

  async eventLog(workshopId: string, principal: Principal, afterSeq: number, limit: number): Promise<{ events: StoredEvent[]; lastSeq: number; more: boolean }> {
    this.open(workshopId, principal, 'read:events');
    return lead.eventLog(this.store, workshopId, afterSeq, limit);
  }

  async daily(workshopId: string, principal: Principal, date: string | undefined, now: number): Promise<DailyReport> {
    return reports.daily(this.open(workshopId, principal, 'read:daily'), date, now);
  }

  async history(workshopId: string, principal: Principal, query: unknown, now: number): Promise<HistoryResponse> {
    return reports.history(this.open(workshopId, principal, 'read:history'), query, now);
  }

  async refresh(workshopId: string, knownSeq?: number): Promise<boolean> {
    return this.workshops.get(workshopId)?.queue.refresh(knownSeq) ?? true;
  }

  onShared(listener: (message: ClusterMessage) => void): void {
    this.cluster.outgoing.on(listener);
  }

  applyShared(message: ClusterMessage): void {
    const w = this.workshops.get(message.workshopId);
    if (w) applyShared(w, message, () => this.changes.emit(message.workshopId));
  }

  onChange(listener: (workshopId: string) => void): void {
    this.changes.on(listener);
  }

  onAlert(listener: (alert: AlertMessage) => void): void {
    this.alerts.on(listener);
  }

  onIngested(listener: (report: IngestReport) => void): void {
    this.ingests.on(listener);
  }

  /** Stops the tick and waits for in-flight ingests to finish; the store belongs to the caller. */
  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    for (const w of this.workshops.values()) w.tick.close();
    await Promise.all([...this.workshops.values()].map((w) => w.queue.close()));
    // The next start replays only what comes after these (a failed save costs replay time, not data).
    const saves = await Promise.allSettled([...this.workshops.values()].map((w) => w.checkpoints.save(this.clock())));
    for (const [i, r] of saves.entries()) if (r.status === 'rejected') this.logger.warn({ err: r.reason, workshopId: this.workshopIds[i] }, 'could not save the checkpoint at shutdown');
    this.cluster.close();
  }

  /** The workshop, once the principal may open it (404, 403) and, given an action, do it (403). */
  private open(workshopId: string, principal: Principal, action?: Action): Workshop {
    const w = this.known(workshopId);
    authoriseWorkshop(principal, workshopId);
    if (action !== undefined) authorise(principal, action);
    return w;
  }

  private known(workshopId: string): Workshop {
    const w = this.workshops.get(workshopId);
    if (!w) throw fail.notFound(`unknown workshop ${workshopId}`);
    return w;
  }

  /** The projection changed: the listeners hear it now, and the tick judges it soon. */
  private stateChanged(workshopId: string): void {
    this.changes.emit(workshopId);
    this.workshops.get(workshopId)?.tick.changed();
  }
}
