import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import type { BlobStore } from './blob-store.js';

/**
 * The one serialisation point of the hub (docs/architecture.md, "Stores"). Both implementations
 * keep, per workshop, an append-only log of accepted events numbered 1, 2, 3… (`seq`) and the
 * set of event ids in it, and answer `append` only once the events are durable.
 */

export type StoreKind = 'redis' | 'embedded';

export type AppendOutcome =
  /** Every new event is in the log; `duplicates[i]` is true where `events[i]`'s id was there already (or earlier in the batch). */
  | { ok: true; seq: number; duplicates: boolean[] }
  /**
   * Nothing written: the log has moved past `expectedSeq` (another hub wrote first). The
   * caller catches its projection up to `seq` and tries again.
   */
  | { ok: false; conflict: true; seq: number };

export interface EventStore {
  readonly kind: StoreKind;
  /**
   * Whether processes other than this hub may append to the log (hubs sharing one Redis). When
   * not, the log only ever moves through this hub's own appends, so there is nothing to check
   * for at a heartbeat.
   */
  readonly sharedLog: boolean;
  /**
   * Appends the events whose ids the workshop's log does not hold yet, in order, as
   * positions expectedSeq+1, expectedSeq+2, …, durably, before resolving. Dedupe, the
   * version check and the write happen atomically. When every event is a duplicate the
   * version is not checked (a retried batch is harmless whatever happened since).
   * Rejects with StoreUnavailableError when nothing was written, StoreOutcomeUnknownError
   * when the store may have written the batch without confirming it.
   */
  append(workshopId: string, events: readonly PitwallEvent[], expectedSeq: number, receivedAt: string): Promise<AppendOutcome>;
  /** Up to `limit` stored events with seq > afterSeq, in order. */
  read(workshopId: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** The workshop's current log length (its last seq; 0 when empty). */
  length(workshopId: string): Promise<number>;
  /** Checkpoints and finished reports beside the log (blob-store.ts). */
  readonly blobs: BlobStore;
  /** Resolves when the store can take writes; rejects with the reason when it cannot. */
  ping(): Promise<void>;
  /** A short human description for the start-up log ("redis://127.0.0.1:6379", "embedded at ./data"). */
  describe(): string;
  close(): Promise<void>;
}

/**
 * Thrown when the store cannot be reached and certainly wrote nothing (the call was never
 * sent, or the store refused it before running it): the HTTP layer answers 503, the terminal
 * retries.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Thrown by `append` when the store did not confirm a write it may have made: a Redis command
 * that timed out or lost its connection after it was sent (Redis runs it anyway once it
 * reads it), an fsync that failed after the bytes were written. The events may or may not be
 * in the log, so the caller must neither say "nothing was changed" nor trust its own view of
 * the log until it has read the log again (docs/security.md, "When the store does not answer").
 */
export class StoreOutcomeUnknownError extends StoreUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOutcomeUnknownError';
  }
}
