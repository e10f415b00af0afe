import type { Logger } from 'pino';
import { terminalCapOf, type WorkshopConfig } from '../../shared/workshop.js';
import { AlertTracker } from '../engine/alerts.js';
import { DEFAULT_MAX_EVENT_AGE_MS, Projection } from '../engine/projection.js';
import type { EventStore } from '../store/event-store.js';
import { Checkpointer } from './checkpoints.js';
import { CommitQueue } from './commit-queue.js';
import { DayReports } from './day-reports.js';
import { Retention } from './retention.js';
import { TerminalRegistry } from './terminals.js';
import { WorkshopTick } from './tick.js';
import type { AlertMessage } from '../../shared/snapshot.js';

/**
 * One workshop of this hub, its parts side by side: the projection behind its commit queue
 * (the write path, and `settled` for every read), the alert tracker and the tick that feeds
 * it, and the terminals in contact. The registry (registry.ts) holds one per configured
 * workshop and routes what happens to each.
 */
export interface Workshop {
  readonly config: WorkshopConfig;
  readonly queue: CommitQueue;
  readonly alerts: AlertTracker;
  readonly terminals: TerminalRegistry;
  readonly tick: WorkshopTick;
  readonly checkpoints: Checkpointer;
  readonly dayReports: DayReports;
  /** Archives and trims the hot log daily, when an archive directory is set (retention.ts). */
  readonly retention: Retention | null;
}

export interface WorkshopDeps {
  store: EventStore;
  logger: Logger;
  clock: () => number;
  maxEventAgeMs?: number;
  /** PITWALL_ARCHIVE_DIR, where the archiver moved the log's old part (none: nothing was archived). */
  archiveDir?: string;
  /** With `archiveDir`: the hot log keeps this much (PITWALL_LOG_RETENTION_DAYS); the hub archives the rest daily. */
  logRetentionMs?: number;
  /** The projection changed: tell the listeners and judge it soon (registry's `changed`). */
  onChanged(): void;
  /** A tick moved a light: the listeners only (the change is already judged). */
  onLightsMoved(): void;
  onAlert(alert: AlertMessage): void;
  onAppended(seq: number): void;
}

export function createWorkshop(config: WorkshopConfig, deps: WorkshopDeps): Workshop {
  const { store, logger, clock } = deps;
  const projection = new Projection(config, { ...(deps.maxEventAgeMs !== undefined && { maxEventAgeMs: deps.maxEventAgeMs }) });
  const queue = new CommitQueue({ workshopId: config.id, projection, store, logger, clock, onChanged: deps.onChanged, onAppended: deps.onAppended });
  const alerts = new AlertTracker(config.id, projection.ctx.thresholds, config.lightPolicy);
  const tick = new WorkshopTick({
    alerts,
    settled: () => queue.settled(),
    clock,
    onAlert: deps.onAlert,
    onChanged: deps.onLightsMoved,
    onError: (err) => logger.warn({ err, workshopId: config.id }, 'could not judge the lights after a change (the next tick tries again)'),
  });
  const checkpoints = new Checkpointer({ workshopId: config.id, store, queue, logger, clock });
  const dayReports = new DayReports({ config, store, logger, maxEventAgeMs: deps.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS, ...(deps.archiveDir !== undefined && { archiveDir: deps.archiveDir }) });
  const retention =
    deps.archiveDir !== undefined && deps.logRetentionMs !== undefined
      ? new Retention({ workshopId: config.id, timezone: config.timezone, store, checkpoints, logger, archiveDir: deps.archiveDir, retentionMs: deps.logRetentionMs })
      : null;
  return { config, queue, alerts, terminals: new TerminalRegistry(terminalCapOf(config)), tick, checkpoints, dayReports, retention };
}
