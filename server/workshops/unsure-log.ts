import type { Logger } from 'pino';

/**
 * After an append whose outcome is unknown (StoreOutcomeUnknownError: the store may have
 * written without confirming), the log may hold events the projection lacks. Until a catch-up
 * has read the log to its end no batch is judged, and readers first wait for that catch-up.
 * This is the workshop's memory of that doubt and the catch-up that clears it, retried while
 * the store does not answer (commit-queue.ts owns the queue it runs in).
 */

/**
 * The hub reads the log again at once and, while the store does not answer, this long after
 * each failed attempt (each one already waits up to the store's own timeout): the board shows
 * what was written within moments of the store's return.
 */
const RESYNC_RETRY_MS = 250;

export interface UnsureLogDeps {
  workshopId: string;
  logger: Logger;
  /** Runs a catch-up in the workshop's turn (after the batch that caused the doubt). */
  catchUpInTurn(): Promise<void>;
  /** The catch-up came back: boards went without fresh snapshots meanwhile. */
  onResynced(): void;
}

export class UnsureLog {
  /** The log may hold events the projection lacks. */
  unsure = false;
  /** The catch-up running, shared by every reader waiting for it. */
  private resyncing: Promise<boolean> | null = null;
  /** The next attempt at it, while the store does not answer. */
  private retry: NodeJS.Timeout | null = null;
  /** Failed attempts in a row (the first is logged as a warning, the rest at debug). */
  private failures = 0;
  private closed = false;

  constructor(private readonly deps: UnsureLogDeps) {}

  /** An append may have written without saying so: read the log again now, and until it answers. */
  mark(): void {
    this.unsure = true;
    void this.resync();
  }

  /**
   * One catch-up for an unsure workshop, shared by whoever asks meanwhile. Resolves false when
   * the store did not answer, and then tries again after RESYNC_RETRY_MS, so the boards get
   * what was written without waiting for a reader or the heartbeat.
   */
  resync(): Promise<boolean> {
    if (!this.unsure) return Promise.resolve(true);
    this.resyncing ??= this.deps
      .catchUpInTurn()
      .then(
        () => {
          this.failures = 0;
          this.deps.onResynced();
          return true;
        },
        (err: unknown) => this.failed(err),
      )
      .finally(() => {
        this.resyncing = null;
      });
    return this.resyncing;
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
  }

  private failed(err: unknown): false {
    const { workshopId, logger } = this.deps;
    this.failures++;
    if (this.failures === 1) logger.warn({ err, workshopId }, 'an append may have written without confirming it; the log cannot be read yet, retrying');
    else logger.debug({ err, workshopId, attempts: this.failures }, 'the log still cannot be read');
    if (!this.closed && this.retry === null) {
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.resync();
      }, RESYNC_RETRY_MS);
      this.retry.unref();
    }
    return false;
  }
}
