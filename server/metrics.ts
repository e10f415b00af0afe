import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
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
}

export function createHubMetrics(): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
  };
}

/** Turns one ingest report (WorkshopService.onIngested) into counts and a duration sample. */
export function recordIngest(metrics: HubMetrics, report: IngestReport): void {
  // One counter update per (type, result) of the batch, not per event: a label lookup costs a hash.
  const counts = new Map<string, { type: string; result: string; n: number }>();
  for (const { type, status } of report.outcomes) {
    const key = `${type} ${status}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { type, result: status, n: 1 });
  }
  for (const { type, result, n } of counts.values()) metrics.eventsTotal.inc({ type, result }, n);
  metrics.ingestDuration.observe(report.durationMs / 1000);
}
