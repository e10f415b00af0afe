import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { MINUTE_MS } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { firstReplay } from './first-replay.js';
import type { Workshop } from './workshop.js';

/**
 * The workshops this hub has open (docs/architecture.md, "Workshops on demand"): a workshop is
 * opened (its checkpoint loaded, the log's tail replayed) when something first asks for it, and
 * closed again (its checkpoint saved) once nobody has asked for it for the idle time and no car
 * is on its floor. So a hub starts at once however many workshops the config lists, and its
 * memory follows the workshops in use.
 */

/** A workshop nobody asked for (no board, terminal, console or report) this long is closed… */
export const DEFAULT_IDLE_CLOSE_MS = 15 * MINUTE_MS;

export interface OpenWorkshopsDeps {
  configs: readonly WorkshopConfig[];
  logger: Logger;
  clock: () => number;
  /** Builds the workshop's parts (nothing read yet). */
  create(config: WorkshopConfig): Workshop;
  /** The workshop has just opened (its log read). */
  opened?(w: Workshop): void;
  idleCloseMs?: number;
}

export class OpenWorkshops {
  readonly configs: ReadonlyMap<string, WorkshopConfig>;
  private readonly open = new Map<string, Workshop>();
  private readonly opening = new Map<string, Promise<Workshop>>();
  /** Workshops on their way out: reopening waits for their last batches and checkpoint. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly lastUsed = new Map<string, number>();
  private readonly idleCloseMs: number;

  constructor(private readonly deps: OpenWorkshopsDeps) {
    this.configs = new Map(deps.configs.map((c) => [c.id, c]));
    this.idleCloseMs = deps.idleCloseMs ?? DEFAULT_IDLE_CLOSE_MS;
  }

  /** The workshop if it is open now (nothing is opened). */
  peek(id: string): Workshop | undefined {
    const w = this.open.get(id);
    if (w) this.lastUsed.set(id, this.deps.clock());
    return w;
  }

  /** The workshop, opened first when it is not (callers share one opening); undefined for an id the config does not list. */
  async get(id: string): Promise<Workshop | undefined> {
    const w = this.peek(id);
    if (w) return w;
    const config = this.configs.get(id);
    if (!config) return undefined;
    let opening = this.opening.get(id);
    if (!opening) {
      const closing = this.closing.get(id) ?? Promise.resolve();
      opening = closing.then(() => this.openNow(config)).finally(() => this.opening.delete(id));
      this.opening.set(id, opening);
    }
    return opening;
  }

  /** Every open workshop. */
  list(): Workshop[] {
    return [...this.open.values()];
  }

  /** Closes the workshops idle for the idle time with no car on the floor; their ids. */
  async closeIdle(now: number): Promise<string[]> {
    const idle = this.list().filter((w) => now - (this.lastUsed.get(w.config.id) ?? now) >= this.idleCloseMs && w.queue.projection.state.openJobs.size === 0);
    await Promise.all(idle.map((w) => this.close(w, now)));
    return idle.map((w) => w.config.id);
  }

  /** Closes every open workshop (the hub stops), each checkpoint saved. */
  async closeAll(now: number): Promise<void> {
    await Promise.allSettled([...this.opening.values()]);
    await Promise.all(this.list().map((w) => this.close(w, now)));
  }

  private async openNow(config: WorkshopConfig): Promise<Workshop> {
    const { logger } = this.deps;
    const started = performance.now();
    const w = this.deps.create(config);
    const checkpoint = await w.checkpoints.restore();
    // No checkpoint: the whole log once (the archive, then the store), saving past days' reports on the way (first-replay.ts).
    const first = checkpoint.restored ? null : await firstReplay(w, this.deps.clock());
    await w.queue.catchUp();
    const p = w.queue.projection;
    const fromSeq = checkpoint.restored ? checkpoint.seq : 0;
    logger.info({ workshopId: config.id, seq: p.seq, checkpointSeq: fromSeq, replayed: p.seq - fromSeq, ms: Math.round(performance.now() - started), ...first }, 'workshop replayed');
    // The next opening starts from here, whatever happens to this hub before it stops.
    if (first !== null && p.seq > 0) await w.checkpoints.save(this.deps.clock());
    if (p.skippedOnReplay > 0) {
      logger.warn({ workshopId: config.id, skipped: p.skippedOnReplay }, 'events in the log that the current config does not allow were skipped (a technician, bay or advisor removed from the config?)');
    }
    this.open.set(config.id, w);
    this.lastUsed.set(config.id, this.deps.clock());
    this.deps.opened?.(w);
    // Today's archiving now, not at the first tick (an upgraded log shrinks to the retention at once); in the background.
    w.retention?.atTick(this.deps.clock()).catch((err: unknown) => logger.warn({ err, workshopId: config.id }, 'archiving failed (tried again tomorrow)'));
    return w;
  }

  private close(w: Workshop, now: number): Promise<void> {
    const id = w.config.id;
    this.open.delete(id);
    this.lastUsed.delete(id);
    const closing = this.closeNow(w, now).finally(() => this.closing.delete(id));
    this.closing.set(id, closing);
    return closing;
  }

  private async closeNow(w: Workshop, now: number): Promise<void> {
    const id = w.config.id;
    w.tick.close();
    await w.queue.close();
    await w.retention?.settled();
    try {
      await w.checkpoints.save(now);
    } catch (err) {
      // The next opening replays a little more; nothing is lost.
      this.deps.logger.warn({ err, workshopId: id }, 'could not save the checkpoint of a closing workshop');
    }
    this.deps.logger.info({ workshopId: id, seq: w.queue.projection.seq }, 'workshop closed');
  }
}
