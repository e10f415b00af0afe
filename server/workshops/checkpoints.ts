import type { Logger } from 'pino';
import { MINUTE_MS } from '../../shared/time.js';
import { CheckpointRefused, decodeCheckpoint, encodeCheckpoint } from '../engine/checkpoint.js';
import type { EventStore } from '../store/event-store.js';
import type { CommitQueue } from './commit-queue.js';

/**
 * A workshop's checkpoint in the store (engine/checkpoint.ts): loaded before the log is read,
 * so opening a workshop replays only the events after it, and saved every SAVE_EVERY_EVENTS
 * events or SAVE_EVERY_MS of changes, and when the hub stops. A checkpoint that cannot be
 * used (another format version, damaged, ahead of the log) is logged and ignored: the log is
 * replayed from its start, as before checkpoints existed.
 */

export const CHECKPOINT_BLOB = 'checkpoint';
/** A crash costs at most this many events of replay, or… */
export const SAVE_EVERY_EVENTS = 2000;
/** …this much time of changes. */
export const SAVE_EVERY_MS = 5 * MINUTE_MS;

export interface CheckpointerDeps {
  workshopId: string;
  clock: () => number;
  store: EventStore;
  queue: CommitQueue;
  logger: Logger;
}

export type RestoreOutcome = { restored: true; seq: number } | { restored: false; reason: string };

export class Checkpointer {
  private savedSeq = 0;
  /** When the projection last matched a saved checkpoint (restored or saved); -Infinity: never. */
  private savedAt = -Infinity;
  private saving: Promise<void> | null = null;

  constructor(private readonly deps: CheckpointerDeps) {}

  /** The log position the saved checkpoint covers (0: none saved or loaded yet). */
  get seq(): number {
    return this.savedSeq;
  }

  /** Loads the checkpoint into the (fresh) projection, when there is a usable one. */
  async restore(): Promise<RestoreOutcome> {
    const { workshopId, store, queue, logger } = this.deps;
    const bytes = await store.blobs.load(workshopId, CHECKPOINT_BLOB);
    if (bytes === null) return { restored: false, reason: 'none saved yet' };
    try {
      const c = decodeCheckpoint(bytes, workshopId);
      const [logLength, firstSeq] = await Promise.all([store.length(workshopId), store.firstSeq(workshopId)]);
      if (c.seq > logLength) throw new CheckpointRefused(`it covers the log up to seq ${c.seq} but the log ends at ${logLength}`);
      // An old checkpoint written back by a stale hub after the archiver trimmed past it: its tail is archived.
      if (c.seq + 1 < firstSeq) throw new CheckpointRefused(`it covers the log up to seq ${c.seq} but the hot log starts at ${firstSeq} (the rest is archived)`);
      queue.projection.restore(c.data);
      this.savedSeq = c.seq;
      // Just loaded: the next save is due after SAVE_EVERY_MS of changes, not at the first tick.
      this.savedAt = this.deps.clock();
      return { restored: true, seq: c.seq };
    } catch (err) {
      if (!(err instanceof CheckpointRefused)) throw err;
      logger.warn({ workshopId, reason: err.message }, 'checkpoint ignored; replaying the whole log');
      return { restored: false, reason: err.message };
    }
  }

  /** The tick's question: saves when enough has changed since the last save. */
  async saveIfDue(now: number): Promise<void> {
    const seq = this.deps.queue.projection.seq;
    if (seq === this.savedSeq) return;
    if (seq - this.savedSeq < SAVE_EVERY_EVENTS && now - this.savedAt < SAVE_EVERY_MS) return;
    await this.save(now);
  }

  /** Saves the projection as it is once no batch is provisional (skipped when nothing changed). */
  async save(now: number): Promise<void> {
    if (this.saving) return this.saving;
    this.saving = (async () => {
      const p = await this.deps.queue.settled();
      if (p.seq === this.savedSeq) return;
      // Encoded in one synchronous step: no batch can change the projection half-way.
      const seq = p.seq;
      const bytes = encodeCheckpoint({ workshopId: this.deps.workshopId, seq, data: p.toData() });
      await this.deps.store.blobs.save(this.deps.workshopId, CHECKPOINT_BLOB, bytes);
      this.savedSeq = seq;
      this.savedAt = now;
    })().finally(() => (this.saving = null));
    return this.saving;
  }
}
