import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PITWALL_VERSION } from '../shared/version.js';
import { errorReply } from './error-reply.js';
import { REJECTION_CODES } from './engine/rejection.js';
import type { IngestReport } from './workshops/workshop-service.js';

/**
 * The hub's Prometheus metrics, served by `GET /metrics`.
 *
 * Each hub owns its registry instead of prom-client's global one: tests build several hubs in
 * one process, and the global registry refuses a second metric of the same name.
 */
export interface HubMetrics {
  readonly registry: Registry;
  /** Events judged, by type and outcome (`accepted`, `duplicate`, `rejected`). */
  readonly eventsTotal: Counter<'type' | 'result'>;
  /** Wall time of one ingest call (a whole batch), parse to durable append. */
  readonly ingestDuration: Histogram;
  readonly connectedSockets: Gauge;
  /** Snapshots delivered, counted per receiving socket (a room of 3 boards counts 3). */
  readonly snapshotsSent: Counter;
  /** Board sockets disconnected because they stopped reading (back-pressure cap). */
  readonly slowSocketsDropped: Counter;
  /** Handshakes refused before authentication (`per_address_limit`). */
  readonly socketsRefused: Counter<'reason'>;
  /** Events rejected, by the rejection's code (a fixed list: engine/rejection.ts). */
  readonly eventsRejected: Counter<'reason'>;
  /** Ingest calls that failed after their checks (the store down, unsure, a damaged log), by the answer's code. */
  readonly ingestFailures: Counter<'reason'>;
  /** From an events post's arrival to the first board snapshot that shows it leaving this hub. */
  readonly postToBoard: Histogram;
}

export function createHubMetrics(): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Always 1: the version rides in the label, so a dashboard shows which release each hub runs.
  new Gauge({ name: 'pitwall_build_info', help: 'The release this hub runs (the value is always 1)', labelNames: ['version'] as const, registers: [registry] }).set({ version: PITWALL_VERSION }, 1);
  return {
    registry,
    eventsTotal: new Counter({
      name: 'pitwall_events_total',
      help: 'Events judged by the hub, by event type and result (accepted, duplicate, rejected)',
      labelNames: ['type', 'result'] as const,
      registers: [registry],
    }),
    ingestDuration: new Histogram({
      name: 'pitwall_ingest_duration_seconds',
      help: 'Duration of one ingest call (a batch): parse, judge, durable append, apply',
      // An fsync or a Redis round trip is a few ms; a slow disk or a Redis failover is seconds.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    connectedSockets: new Gauge({
      name: 'pitwall_connected_sockets',
      help: 'Socket.IO clients connected to this hub',
      registers: [registry],
    }),
    slowSocketsDropped: new Counter({
      name: 'pitwall_slow_sockets_dropped_total',
      help: 'Sockets disconnected because their unsent data passed the cap (a board that stopped reading)',
      registers: [registry],
    }),
    socketsRefused: new Counter({
      name: 'pitwall_sockets_refused_total',
      help: 'Socket.IO handshakes refused before authentication, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    snapshotsSent: new Counter({
      name: 'pitwall_snapshots_sent_total',
      help: 'Board snapshots sent, counted once per receiving socket',
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'pitwall_events_rejected_total',
      help: 'Events rejected by the hub, by the rejection\'s code (invalid_event, too_old, illegal_transition, …)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    ingestFailures: new Counter({
      name: 'pitwall_ingest_failures_total',
      help: 'Events posts that failed after their checks, by the answer\'s code (store_unavailable, store_outcome_unknown, internal_error)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    postToBoard: new Histogram({
      name: 'pitwall_post_to_board_seconds',
      help: 'From an events post reaching this hub to the first board snapshot showing it leaving the hub (watched workshops only)',
      // The ingest (ms) plus the broadcaster's 250 ms coalescing window; seconds mean a slow store or a busy loop.
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/** Turns one ingest report (WorkshopService.onIngested) into counts and a duration sample. */
export function recordIngest(metrics: HubMetrics, report: IngestReport): void {
  // One counter update per (type, result) of the batch, not per event: a label lookup costs a hash.
  const counts = new Map<string, { type: string; result: string; n: number }>();
  const reasons = new Map<string, number>();
  for (const { type, status, reason } of report.outcomes) {
    const key = `${type} ${status}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { type, result: status, n: 1 });
    if (reason !== undefined) {
      const label = KNOWN_REASONS.has(reason) ? reason : 'other';
      reasons.set(label, (reasons.get(label) ?? 0) + 1);
    }
  }
  for (const { type, result, n } of counts.values()) metrics.eventsTotal.inc({ type, result }, n);
  for (const [reason, n] of reasons) metrics.eventsRejected.inc({ reason }, n);
  // A failure is counted, not timed: the duration histogram stays that of the ingests answered.
  if (report.error !== undefined) return metrics.ingestFailures.inc({ reason: errorReply(report.error).error.code });
  metrics.ingestDuration.observe(report.durationMs / 1000);
}

/** The label's values stay the engine's fixed list, whatever a result carries. */
const KNOWN_REASONS: ReadonlySet<string> = new Set(REJECTION_CODES);
