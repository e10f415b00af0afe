import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AppointmentReport, AppointmentsResponse, CapacityView } from '../../shared/appointments.js';
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
import type { CustomerJobView } from '../../shared/customer-view.js';
import { DAY_MS } from '../../shared/time.js';
import type { PitwallConfig } from '../config/config-file.js';
import { fail } from '../errors.js';
import type { EventStore } from '../store/event-store.js';
import { authorise, authoriseWorkshop, authoriseWriter } from './access.js';
import { applyShared, ClusterSync, HeldPresence } from './cluster-sync.js';
import { declaredType, parseBatch, parseEvent } from './parse.js';
import type { Principal } from './principal.js';
import { boardSeries, boardSnapshot } from './queries/board.js';
import * as customer from './queries/customer.js';
import * as bookings from './queries/appointments.js';
import * as lead from './queries/lead.js';
import * as reports from './queries/reports.js';
import { WorkshopSignals } from './registry-signals.js';
import { checkTerminal, terminalSeen } from './terminal-presence.js';
import { OpenWorkshops } from './open-workshops.js';
import { createWorkshop, type Workshop } from './workshop.js';
import type { AcknowledgedAlert, IngestReport, OpenAlerts, WorkshopService } from './workshop-service.js';
import type { WorkshopsDeps } from './registry-deps.js';

export type { WorkshopsDeps } from './registry-deps.js';

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


export class Workshops extends WorkshopSignals implements WorkshopService {
  private readonly workshops: OpenWorkshops;
  private readonly cluster = new ClusterSync();
  private readonly heldPresence = new HeldPresence();
  private readonly store: EventStore;
  private readonly logger: Logger;
  private readonly clock: () => number;
  private readonly linkTtlMs: number;
  private ticker: NodeJS.Timeout | null = null;

  private constructor(deps: WorkshopsDeps) {
    super();
    this.store = deps.store;
    this.logger = deps.logger;
    this.clock = deps.clock ?? Date.now;
    this.linkTtlMs = deps.customerLinkTtlMs ?? DAY_MS;
    this.workshops = new OpenWorkshops({
      configs: deps.config.workshops,
      logger: deps.logger,
      clock: this.clock,
      ...(deps.idleCloseMs !== undefined && { idleCloseMs: deps.idleCloseMs }),
      opened: (w) => this.heldPresence.release(w),
      create: (config) => {
        const id = config.id;
        return createWorkshop(config, {
          store: deps.store,
          logger: deps.logger,
          clock: this.clock,
          ...(deps.maxEventAgeMs !== undefined && { maxEventAgeMs: deps.maxEventAgeMs }),
          ...(deps.archiveDir !== undefined && { archiveDir: deps.archiveDir }),
          ...(deps.logRetentionMs !== undefined && { logRetentionMs: deps.logRetentionMs }),
          onChanged: () => this.stateChanged(id),
          onLightsMoved: () => this.changes.emit(id),
          onAlert: (alert) => this.alerts.emit(alert),
          onAppended: (seq) => this.cluster.share({ kind: 'appended', workshopId: id, seq }),
        });
      },
    });
  }

  /**
   * Starts the tick. No workshop is opened here: each is opened when first asked for
   * (open-workshops.ts), so start-up costs the same for one workshop or a thousand.
   */
  static async open(deps: WorkshopsDeps): Promise<Workshops> {
    const w = new Workshops(deps);
    w.ticker = setInterval(() => void w.tick(w.clock()), deps.tickMs ?? TICK_EVERY_MS);
    // A forgotten hub in a test must not keep the process alive.
    w.ticker.unref();
    return w;
  }

  get workshopIds(): readonly string[] {
    return [...this.workshops.configs.keys()];
  }

  config(workshopId: string): WorkshopConfig | undefined {
    return this.workshops.configs.get(workshopId);
  }

  async ingest(workshopId: string, body: unknown, principal: Principal): Promise<EventResult[]> {
    const started = performance.now();
    this.allowed(workshopId, principal);
    authoriseWriter(principal);
    const raws = parseBatch(body);
    // Any event the role may not send refuses the whole request, before anything is judged.
    for (const t of raws.map(declaredType)) if (t !== undefined) authorise(principal, postAction(t));
    const results = await this.opened(workshopId)
      .then((w) => w.queue.submit(raws.map(parseEvent)))
      .catch((error: unknown) => {
        this.ingests.emit({ workshopId, outcomes: [], durationMs: performance.now() - started, error });
        throw error;
      });
    const outcomes = results.map((r, i) => ({ type: declaredType(raws[i]) ?? 'unknown', status: r.status, ...(r.status === 'rejected' && r.error && { reason: r.error.code }) }));
    this.ingests.emit({ workshopId, outcomes, durationMs: performance.now() - started });
    return results;
  }

  async snapshot(workshopId: string, principal: Principal, now: number): Promise<BoardSnapshot> {
    return boardSnapshot(await this.open(workshopId, principal, 'read:board'), now);
  }

  async liveSnapshot(workshopId: string, now: number): Promise<BoardSnapshot> {
    return boardSnapshot(await this.opened(workshopId), now);
  }

  async tick(now: number): Promise<void> {
    const open = this.workshops.list();
    const ticks = open.map(async (w) => {
      await w.tick.tick(now);
      await w.checkpoints.saveIfDue(now);
      await w.dayReports.atTick(() => w.queue.settled(), now);
      await w.retention?.atTick(now);
    });
    for (const [i, r] of (await Promise.allSettled(ticks)).entries()) {
      if (r.status === 'rejected') this.logger.warn({ err: r.reason, workshopId: open[i]!.config.id }, 'tick failed (the next one tries again)');
    }
    await this.workshops.closeIdle(now);
  }

  acknowledgeAlert(workshopId: string, principal: Principal, metric: string, now: number): void {
    this.allowed(workshopId, principal, 'ack:alert');
    // A workshop this hub has not open has no alert here to acknowledge.
    const w = this.workshops.peek(workshopId);
    if (!w?.alerts.acknowledge(metric, now)) throw fail.notFound(`no active alert for ${metric}`);
    this.acknowledged.emit({ workshopId, alert: w.alerts.active().find((a) => a.metric === metric)! });
    this.changes.emit(workshopId);
    this.cluster.share({ kind: 'alert-ack', workshopId, metric, at: now });
  }

  terminalSeen(workshopId: string, principal: Principal, terminalId: string, bayId: string | null | undefined, now: number): void {
    checkTerminal(this.allowed(workshopId, principal, 'speak:terminal'), terminalId, bayId);
    const record = (w: Workshop) => terminalSeen(w, terminalId, bayId, now, (m) => this.cluster.share(m));
    const w = this.workshops.peek(workshopId);
    if (w) return record(w);
    // A terminal's hello opens its workshop; the contact is recorded once it is open.
    this.workshops.get(workshopId).then(
      (opened) => opened && record(opened),
      (err: unknown) => this.logger.warn({ err, workshopId }, 'could not open the workshop a terminal greeted'),
    );
  }

  async series(workshopId: string, principal: Principal, now: number): Promise<DaySeries> {
    return boardSeries(await this.open(workshopId, principal, 'read:series'), now);
  }

  async technicians(workshopId: string, principal: Principal, now: number): Promise<TechnicianView[]> {
    return lead.technicians(await this.open(workshopId, principal, 'read:technicians'), now);
  }

  async forecast(workshopId: string, principal: Principal, now: number): Promise<WorkshopForecast> {
    return lead.forecast(await this.open(workshopId, principal, 'read:forecast'), now);
  }

  async jobs(workshopId: string, principal: Principal, now: number, state?: JobState): Promise<JobView[]> {
    return lead.jobs(await this.open(workshopId, principal, 'read:jobs'), now, state);
  }

  async previewMove(workshopId: string, principal: Principal, move: unknown, now: number): Promise<MovePreview> {
    return lead.previewMove(await this.open(workshopId, principal, 'preview:move'), move, now);
  }

  async staffing(workshopId: string, principal: Principal, now: number, hours: number): Promise<StaffingPlan> {
    return lead.staffing(await this.open(workshopId, principal, 'read:staffing'), now, hours);
  }

  async appointments(workshopId: string, principal: Principal, query: unknown, now: number): Promise<AppointmentsResponse> {
    return bookings.appointments(await this.open(workshopId, principal, 'read:appointments'), query, now);
  }
  async capacity(workshopId: string, principal: Principal, now: number): Promise<CapacityView> {
    return bookings.capacity(await this.open(workshopId, principal, 'read:capacity'), now);
  }
  async appointmentReport(workshopId: string, principal: Principal, now: number): Promise<AppointmentReport> {
    return bookings.appointmentReport(await this.open(workshopId, principal, 'read:history'), now);
  }

  async eventLog(workshopId: string, principal: Principal, afterSeq: number, limit: number): Promise<{ events: StoredEvent[]; lastSeq: number; more: boolean }> {
    this.allowed(workshopId, principal, 'read:events');
    return lead.eventLog(this.store, workshopId, afterSeq, limit);
  }

  async daily(workshopId: string, principal: Principal, date: string | undefined, now: number): Promise<DailyReport> {
    return reports.daily(await this.open(workshopId, principal, 'read:daily'), date, now);
  }

  async history(workshopId: string, principal: Principal, query: unknown, now: number): Promise<HistoryResponse> {
    return reports.history(await this.open(workshopId, principal, 'read:history'), query, now);
  }

  async customerView(workshopId: string, jobId: string, now: number): Promise<CustomerJobView | null> {
    return this.workshops.configs.has(workshopId) ? customer.openCustomerView(await this.opened(workshopId), jobId, now, this.linkTtlMs) : null;
  }

  async customerViews(workshopId: string, now: number, ifOpen = false): Promise<Map<string, CustomerJobView> | null> {
    const w = ifOpen ? this.workshops.peek(workshopId) : await this.opened(workshopId);
    return w ? customer.allCustomerViews(w, now) : null;
  }

  async authoriseCustomerLink(workshopId: string, principal: Principal, jobId: string, now: number): Promise<void> {
    const w = await this.open(workshopId, principal, 'mint:customer_link');
    if (!(await customer.linkable(w, jobId, now, this.linkTtlMs))) throw fail.notFound(`unknown job ${jobId}, or its customer link has expired`);
  }

  async refresh(workshopId: string, knownSeq?: number): Promise<boolean> {
    return this.workshops.peek(workshopId)?.queue.refresh(knownSeq) ?? true;
  }

  onShared(listener: (message: ClusterMessage) => void): void {
    this.cluster.outgoing.on(listener);
  }

  applyShared(message: ClusterMessage): void {
    const w = this.workshops.peek(message.workshopId);
    if (w) return applyShared(w, message, () => this.changes.emit(message.workshopId));
    // Not open here: it reads the log when it opens; only terminal contacts are kept for it.
    const config = this.workshops.configs.get(message.workshopId);
    if (config) this.heldPresence.hold(config, message);
  }

  openAlerts(): OpenAlerts[] {
    return this.workshops.list().map((w) => ({ workshopId: w.config.id, alerts: w.alerts.active() }));
  }

  /** Stops the tick and waits for in-flight ingests to finish; the store belongs to the caller. */
  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    // Each checkpoint saved: the next start replays only what comes after it.
    await this.workshops.closeAll(this.clock());
    this.cluster.close();
  }

  /** The workshop, once the principal may open it (404, 403) and, given an action, do it (403); opened if it is not. */
  private async open(workshopId: string, principal: Principal, action?: Action): Promise<Workshop> {
    this.allowed(workshopId, principal, action);
    return this.opened(workshopId);
  }

  /** The workshop's config, once the principal may open it (404, 403) and do `action` (403). Opens nothing: refusals cost no replay. */
  private allowed(workshopId: string, principal: Principal, action?: Action): WorkshopConfig {
    const config = this.workshops.configs.get(workshopId);
    if (!config) throw fail.notFound(`unknown workshop ${workshopId}`);
    authoriseWorkshop(principal, workshopId);
    if (action !== undefined) authorise(principal, action);
    return config;
  }

  private async opened(workshopId: string): Promise<Workshop> {
    const w = await this.workshops.get(workshopId);
    if (!w) throw fail.notFound(`unknown workshop ${workshopId}`);
    return w;
  }

  /** The projection changed: the listeners hear it now, and the tick judges it soon. */
  private stateChanged(workshopId: string): void {
    this.changes.emit(workshopId);
    this.workshops.peek(workshopId)?.tick.changed();
  }
}
