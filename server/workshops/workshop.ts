import type { Logger } from 'pino';
import { terminalCapOf, type WorkshopConfig } from '../../shared/workshop.js';
import { AlertTracker } from '../engine/alerts.js';
import { DEFAULT_MAX_EVENT_AGE_MS, Projection } from '../engine/projection.js';
import type { EventStore } from '../store/event-store.js';
import { Checkpointer } from './checkpoints.js';
import { CommitQueue } from './commit-queue.js';
import { DayReports } from './day-reports.js';
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
}

export interface WorkshopDeps {
  store: EventStore;
  logger: Logger;
  clock: () => number;
  maxEventAgeMs?: number;
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
  const checkpoints = new Checkpointer({ workshopId: config.id, store, queue, logger });
  const dayReports = new DayReports({ config, store, logger, maxEventAgeMs: deps.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS });
  return { config, queue, alerts, terminals: new TerminalRegistry(terminalCapOf(config)), tick, checkpoints, dayReports };
}
