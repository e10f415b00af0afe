import type { Logger } from 'pino';
import { localDate } from '../../shared/time.js';
import { archiveWorkshop } from '../archive/archive-workshop.js';
import type { EventStore } from '../store/event-store.js';
import type { Checkpointer } from './checkpoints.js';

/**
 * Keeps a workshop's hot log at the retention (PITWALL_LOG_RETENTION_DAYS, at least 35 days):
 * once a day, at the workshop's first tick of the local day, its checkpoint is saved and the
 * events older than the retention that the checkpoint covers are archived, then trimmed
 * (server/archive/archive-workshop.ts; one hub at a time under the store's archive lock). The
 * retention's floor covers every reader of the hot log: the tail after a checkpoint, and a past
 * day rebuilt from its day checkpoint (day-reports.ts); anything older is read back from the
 * archive (log-history.ts).
 */
export interface RetentionDeps {
  workshopId: string;
  timezone: string;
  store: EventStore;
  checkpoints: Checkpointer;
  logger: Logger;
  archiveDir: string;
  retentionMs: number;
}

export class Retention {
  private ranOn: string | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: RetentionDeps) {}

  /** Runs today's archiving unless it ran already (the tick, and a workshop just opened); concurrent calls share one run. */
  atTick(now: number): Promise<void> {
    this.running ??= this.run(now).finally(() => (this.running = null));
    return this.running;
  }

  /** Waits for a run in flight (the workshop closes: its store must not close under it). */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }

  private async run(now: number): Promise<void> {
    const { workshopId, store, checkpoints, logger } = this.deps;
    const today = localDate(now, this.deps.timezone);
    if (this.ranOn === today) return;
    this.ranOn = today;
    // Most days of most workshops there is nothing old enough: the hot log's first event says so.
    const [oldest] = await store.read(workshopId, 0, 1);
    if (!oldest || Date.parse(oldest.receivedAt) >= now - this.deps.retentionMs) return;
    // What is archived must be in the checkpoint: a fresh one, so the bound is today's.
    await checkpoints.save(now);
    const result = await archiveWorkshop(store, workshopId, { now, retentionMs: this.deps.retentionMs, upToSeq: checkpoints.seq, dir: this.deps.archiveDir, lock: store.archiveLock });
    if (result.status === 'locked') logger.info({ workshopId }, 'another hub is archiving this workshop');
    else if (result.archived + result.alreadyArchived > 0) logger.info({ workshopId, ...result }, 'old events archived and trimmed from the hot log');
  }
}
