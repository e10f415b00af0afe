import type { EventResult, EventStatus, StoredEvent } from '../../shared/events.js';
import type { JobState, JobView } from '../../shared/jobs.js';
import type { DaySeries } from '../../shared/series.js';
import type { AppointmentReport, AppointmentsResponse, CapacityView } from '../../shared/appointments.js';
import type { DailyReport } from '../../shared/daily.js';
import type { HistoryResponse } from '../../shared/history.js';
import type { MovePreview, StaffingPlan, WorkshopForecast } from '../../shared/forecast.js';
import type { TechnicianView } from '../../shared/technicians.js';
import type { ActiveAlert, AlertMessage, BoardSnapshot } from '../../shared/snapshot.js';
import type { ClusterMessage } from '../../shared/socket.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { CustomerJobView } from '../../shared/customer-view.js';
import type { Principal } from './principal.js';

/**
 * What the edges (HTTP routes, Socket.IO handlers) may ask of the workshops. One
 * implementation (`Workshops`, registry.ts) holds a projection per workshop over the event
 * store; HTTP and sockets both go through it, so an event is judged the same way whichever
 * door it came in by.
 *
 * Every method that names a workshop throws ApiFailure 404 for an unknown workshop and 403
 * when the principal may not open it. Store outages surface as StoreUnavailableError (503).
 */
export interface WorkshopService {
  readonly workshopIds: readonly string[];
  config(workshopId: string): WorkshopConfig | undefined;

  /**
   * The whole ingest path: the body must be `{ events: [...] }` (1–500) else 400; any event
   * whose type the role may not send makes the whole request 403; then each event is parsed,
   * checked against the workshop's state, appended durably and applied, in order.
   * Resolves with one result per event, in order, only once the accepted ones are durable.
   * Rejects with StoreUnavailableError when nothing was written, StoreOutcomeUnknownError when
   * the store may have written without confirming (the workshop then catches up with the log
   * before its next read or batch).
   */
  ingest(workshopId: string, body: unknown, principal: Principal): Promise<EventResult[]>;

  /** The board as of `now` (ms), from this hub's projection (which catches up with the log whenever an append finds it behind, or may have written unconfirmed). */
  snapshot(workshopId: string, principal: Principal, now: number): Promise<BoardSnapshot>;

  /** The same, without an authorisation check: for the broadcaster, whose sockets were authorised at `subscribe`. */
  liveSnapshot(workshopId: string, now: number): Promise<BoardSnapshot>;

  /**
   * What time passing does to every workshop: compaction (hourly) and the lights judged at
   * `now` (alerts fire through `onAlert`, and a moved light through `onChange`). The registry
   * runs it every heartbeat by itself; snapshots never compact or judge the time's lights.
   */
  tick(now: number): Promise<void>;

  /**
   * A bay terminal made contact (hello, heartbeat, or events sent by it). 400 for a malformed
   * terminal id or an unknown bay; 403 for a board token (a TV is not a terminal).
   */
  terminalSeen(workshopId: string, principal: Principal, terminalId: string, bayId: string | null | undefined, now: number): void;

  /** A lead or admin acknowledges an active alert (boards stop sounding it). 404 when no such alert is active. */
  acknowledgeAlert(workshopId: string, principal: Principal, metric: string, now: number): void;

  /** The day so far for the board's charts (completions per hour, waiting customers through the day). */
  series(workshopId: string, principal: Principal, now: number): Promise<DaySeries>;

  /** Technicians with their status, current job and utilisation today (the lead console). */
  technicians(workshopId: string, principal: Principal, now: number): Promise<TechnicianView[]>;

  /** Predicted waits with the staff on shift and with more, the advice, and promises at risk (the lead console). */
  forecast(workshopId: string, principal: Principal, now: number): Promise<WorkshopForecast>;

  /** The daily layer for one local date (default today): lead and admin only; 400 for a malformed date. */
  daily(workshopId: string, principal: Principal, date: string | undefined, now: number): Promise<DailyReport>;

  /**
   * The strategic layer: KPI sums and figures per hour or day, cross-cut and folded, from the
   * roll-ups kept live (lead and admin only; 400 naming the query field that is wrong).
   */
  history(workshopId: string, principal: Principal, query: unknown, now: number): Promise<HistoryResponse>;

  /** The forecast before and after a move the lead is considering (nothing is changed). Lead and admin; 400 for an impossible move. */
  previewMove(workshopId: string, principal: Principal, move: unknown, now: number): Promise<MovePreview>;

  /** Staffing for the coming hours from the arrival pattern of the last weeks (Erlang C). */
  staffing(workshopId: string, principal: Principal, now: number, hours: number): Promise<StaffingPlan>;

  /** Issue 15: the appointments of local days `?from=&to=` (default today), with no-shows marked; 400 naming the field for a bad range. */
  appointments(workshopId: string, principal: Principal, query: unknown, now: number): Promise<AppointmentsResponse>;
  /** Issue 15: booked and expected walk-in hours against the roster, per day and team, for 14 days (lead and admin). */
  capacity(workshopId: string, principal: Principal, now: number): Promise<CapacityView>;
  /** Issue 15: appointment share, no-shows, weekday share per week; weekend vs weekday scores (lead and admin, as the history). */
  appointmentReport(workshopId: string, principal: Principal, now: number): Promise<AppointmentReport>;

  /** Jobs, optionally of one state, with `predictedStartAt` for waiting ones. */
  jobs(workshopId: string, principal: Principal, now: number, state?: JobState): Promise<JobView[]>;

  /** The accepted event log after `afterSeq`, at most `limit`; `more` says whether the log goes on after the last one returned. 403 unless lead/admin. */
  eventLog(workshopId: string, principal: Principal, afterSeq: number, limit: number): Promise<{ events: StoredEvent[]; lastSeq: number; more: boolean }>;

  /**
   * The customer's view of one job (docs/api.md, "The customer's page"), without a principal:
   * the edge checked the link first. Null for an unknown workshop or job and for a link past
   * its expiry, alike.
   */
  customerView(workshopId: string, jobId: string, now: number): Promise<CustomerJobView | null>;

  /** The views of every job a customer may still be waiting on (not delivered or cancelled), by job id: for the notifications to diff. */
  /** `ifOpen`: null when the workshop is not open on this hub, which the notifications must not open. */
  customerViews(workshopId: string, now: number, ifOpen?: boolean): Promise<Map<string, CustomerJobView> | null>;

  /** May this principal have the job's customer link (403 by role, 404 for a job without an open link)? Mints nothing. */
  authoriseCustomerLink(workshopId: string, principal: Principal, jobId: string, now: number): Promise<void>;

  /** Called when a workshop's projection changed (an ingest applied something, or a catch-up). */
  onChange(listener: (workshopId: string) => void): void;
  /** Called when a light got worse or recovered (see engine/alerts.ts for the anti-flap rule). */
  onAlert(listener: (alert: AlertMessage) => void): void;
  /** Called after every ingest call, for metrics. `type` is "unknown" where the event had no valid type. */
  onIngested(listener: (report: IngestReport) => void): void;
  /** Called when an acknowledgement reached this hub (not one another hub shared): the alert as it stands now. */
  onAcknowledged(listener: (ack: AcknowledgedAlert) => void): void;
  /** The active alerts of every workshop open on this hub (for the light gauges); opens nothing. */
  openAlerts(): OpenAlerts[];

  /**
   * Catches the workshop's projection up with the log when another hub appended to it
   * (`knownSeq` when the other hub said how far; otherwise the store is asked). Resolves
   * false when the store could not be reached.
   */
  refresh(workshopId: string, knownSeq?: number): Promise<boolean>;
  /** Called with what other hubs need to hear: appends, acknowledgements, terminal contact. */
  onShared(listener: (message: ClusterMessage) => void): void;
  /** Applies an acknowledgement or terminal contact that another hub heard (already authorised there). */
  applyShared(message: ClusterMessage): void;

  close(): Promise<void>;
}

export interface IngestReport {
  workshopId: string;
  /** `reason`: a rejected event's code. */
  outcomes: { type: string; status: EventStatus; reason?: string }[];
  durationMs: number;
  /** The ingest failed after its checks (no outcomes then): the store's error, for the failures count. */
  error?: unknown;
}

export interface AcknowledgedAlert {
  workshopId: string;
  alert: ActiveAlert;
}

export interface OpenAlerts {
  workshopId: string;
  alerts: ActiveAlert[];
}
