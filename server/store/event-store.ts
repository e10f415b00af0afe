import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import type { ArchiveLock } from '../archive/archive-lock.js';
import type { BlobStore } from './blob-store.js';
import { DAY_MS } from '../../shared/time.js';

/**
 * The one serialisation point of the hub (docs/architecture.md, "Stores"). Both implementations
 * keep, per workshop, an append-only log of accepted events numbered 1, 2, 3… (`seq`) and the
 * ids of its recent events (the dedupe window below), and answer `append` only once the events
 * are durable.
 */

/**
 * The dedupe window's default: the hub's too_old window (PITWALL_MAX_EVENT_AGE_DAYS, 14 days;
 * engine/projection.ts DEFAULT_MAX_EVENT_AGE_MS, which a test holds equal to this). The hub
 * refuses an event dated before its clock minus that window as `too_old` before the store sees
 * it, so the store only has to know the ids of events dated inside it: remembering every id
 * forever grew Redis and the embedded store's memory with the whole history.
 */
export const DEFAULT_DEDUPE_WINDOW_MS = 14 * DAY_MS;
/**
 * Added to the window: the clocks of hubs sharing one Redis may disagree, and an event may be
 * dated up to 5 minutes after its hub's clock (engine/projection.ts FUTURE_TOLERANCE_MS).
 */
export const DEDUPE_MARGIN_MS = DAY_MS;

export interface DedupeOptions {
  /**
   * The hub's too_old window in ms (default DEFAULT_DEDUPE_WINDOW_MS). An append received at
   * `receivedAt` treats an id as known when an event with it, dated (`at`) no earlier than
   * receivedAt − window − DEDUPE_MARGIN_MS, is in the log; ids of older events are forgotten.
   */
  dedupeWindowMs?: number;
}

/**
 * The earliest `at` (ms) an append received at `receivedAt` still dedupes against. Throws a
 * RangeError naming the value when receivedAt is not a time (the hub passes its clock).
 */
export function dedupeCutoff(receivedAt: string, windowMs: number): number {
  const ms = Date.parse(receivedAt);
  if (!Number.isFinite(ms)) throw new RangeError(`receivedAt must be an ISO-8601 time, got ${JSON.stringify(receivedAt)}`);
  return ms - windowMs - DEDUPE_MARGIN_MS;
}

/** An event's `at` in ms; a RangeError naming the event when it is not a time (the hub validated it: a bug, caught before anything is written). */
export function eventTime(event: PitwallEvent): number {
  const ms = Date.parse(event.at);
  if (!Number.isFinite(ms)) throw new RangeError(`event ${event.id}: at must be an ISO-8601 time, got ${JSON.stringify(event.at)}`);
  return ms;
}

/** The window option checked: a positive number of ms, or the default. */
export function dedupeWindowOf(opts: DedupeOptions): number {
  const ms = opts.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`dedupeWindowMs must be a positive number of ms, got ${ms}`);
  return ms;
}

export type StoreKind = 'redis' | 'embedded';

export type AppendOutcome =
  /**
   * Every new event is in the log; `duplicates[i]` is true where `events[i]`'s id was there
   * already inside the dedupe window (DedupeOptions), or earlier in the batch.
   */
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
   * Appends the events whose ids the workshop's log does not hold yet (within the dedupe
   * window: an id whose event is dated before dedupeCutoff(receivedAt) is forgotten), in order, as
   * positions expectedSeq+1, expectedSeq+2, …, durably, before resolving. Dedupe, the
   * version check and the write happen atomically. When every event is a duplicate the
   * version is not checked (a retried batch is harmless whatever happened since).
   * Rejects with StoreUnavailableError when nothing was written, StoreOutcomeUnknownError
   * when the store may have written the batch without confirming it.
   */
  append(workshopId: string, events: readonly PitwallEvent[], expectedSeq: number, receivedAt: string): Promise<AppendOutcome>;
  /**
   * Up to `limit` stored events with seq > afterSeq, in order. Below the first event `trim`
   * kept, the page starts at that event (the caller sees the gap from the seqs, and reads the
   * rest from the archive: server/archive/).
   */
  read(workshopId: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /**
   * Removes the events with seq ≤ upToSeq (capped at the log's length) from the hot log;
   * seqs are not renumbered, appends go on as before. Only the archiver calls it, after the
   * events are safe in the archive (server/archive/archive-workshop.ts).
   */
  trim(workshopId: string, upToSeq: number): Promise<void>;
  /** The seq of the first event still in the hot log: 1 when nothing was trimmed, length + 1 when everything was. */
  firstSeq(workshopId: string): Promise<number>;
  /** The workshop's current log length (its last seq; 0 when empty). */
  length(workshopId: string): Promise<number>;
  /** Checkpoints and finished reports beside the log (blob-store.ts). */
  readonly blobs: BlobStore;
  /** One archiver at a time per workshop (server/archive/archive-lock.ts): across hubs on Redis, in-process on the embedded store. */
  readonly archiveLock: ArchiveLock;
  /**
   * How many event ids the workshop's dedupe window holds now: bounded by the events of the
   * last window + margin (+ a day, the embedded store's sweep step), however long the log. For
   * tests and diagnostics.
   */
  rememberedIds(workshopId: string): Promise<number>;
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
 * One workshop's log found damaged after the store opened (the embedded store checks its logs
 * in the background for the hub, log-opening.ts): every call for that workshop rejects with
 * this until the log is repaired and the hub restarted; the other workshops serve on. Its
 * message names the file, the line and the repair command, for the hub's log, not the caller.
 */
export class DamagedLogError extends StoreUnavailableError {
  constructor(
    readonly workshopId: string,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = 'DamagedLogError';
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
