import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PitwallEvent, StoredEvent } from '../../../shared/events.js';
import { dedupeCutoff, dedupeWindowOf, eventTime, StoreUnavailableError, type AppendOutcome, type DedupeOptions, type EventStore } from '../event-store.js';
import { IdWindow } from './id-window.js';
import { COMMIT_PREFIX, frameBatch } from './log-format.js';
import { MarkWriter, markFileOf } from './log-mark.js';
import { readRange, syncNewDirectories, writeDurably, type WorkshopLog } from './log-file.js';
import { localArchiveLock } from '../../archive/archive-lock.js';
import { FileBlobs } from './file-blobs.js';
import { lineNumberAt } from './log-lines.js';
import { trimLog } from './log-trim.js';
import { listLogs, LogOpening } from './log-opening.js';
import { openLog } from './open-log.js';

/**
 * The single-process event store: one append-only JSON-lines file per workshop under
 * `<dataDir>/events/`, one StoredEvent per line, each batch closed by a commit record
 * (log-format.ts), and beside each log its high-water mark (log-mark.ts).
 *
 * Memory holds only what dedupe and seeking need (the ids of the dedupe window, id-window.ts,
 * and each line's byte offset);
 * event bodies stay on disk and `read` fetches exactly the byte range of the requested page.
 * Appends to a workshop run one at a time (a promise chain), each as one write of the whole
 * batch and its commit record followed by fdatasync, so a batch is acknowledged only once it is
 * on disk and a crash can at worst leave the last, unacknowledged batch without its commit
 * record, which `open` drops whole (open-log.ts judges everything else it finds). The file's
 * durable write and ranged read are in log-file.ts.
 */

const EVENTS_DIR = 'events';
/** Logs scanned at once when the store opens. */
const OPEN_CONCURRENCY = 8;
const LOG_SUFFIX = '.jsonl';

export interface EmbeddedStoreOptions extends DedupeOptions {
  /** Hears about repairs done at open (a torn last batch or line cut off), logs sealed, and files that were skipped. */
  onWarning?: (message: string) => void;
  /**
   * Check and load the logs after `open` returns, a few at a time, instead of before (the hub:
   * its start must not wait on a chain's thousand logs). A workshop's calls wait for its own
   * log, which is loaded first when asked for; a damaged log is reported here (the message
   * names the file, the line and the repair command) and fails that workshop's calls with a
   * DamagedLogError (log-opening.ts), the other workshops serving on.
   */
  inBackground?: {
    onDamage: (workshopId: string, err: Error) => void;
    /** Every log is loaded or failed: how many there were, and how long it took. */
    onChecked?: (logs: number, ms: number) => void;
  };
}

export class EmbeddedEventStore implements EventStore {
  readonly kind = 'embedded' as const;
  /** One process per data directory: the hub that opened it. */
  readonly sharedLog = false;
  private closed = false;
  private blobStore: FileBlobs | null = null;
  /** One process per data directory: an in-process lock is enough. */
  readonly archiveLock = localArchiveLock();

  private constructor(
    private readonly dataDir: string,
    private readonly eventsDir: string,
    private readonly logs: Map<string, WorkshopLog>,
    private readonly warn: (message: string) => void,
    private readonly dedupeWindowMs: number,
    /** The logs found at open, until each is loaded (log-opening.ts). */
    private readonly opening: LogOpening,
  ) {}

  /** Checkpoints and finished reports under `<dataDir>/state/` (file-blobs.ts). */
  get blobs(): FileBlobs {
    return (this.blobStore ??= new FileBlobs(path.join(this.dataDir, 'state')));
  }

  /**
   * Creates `<dataDir>/events` if needed and loads every workshop log in it: before returning
   * (rejecting with the first damage), or with `inBackground` after.
   */
  static async open(dataDir: string, opts: EmbeddedStoreOptions = {}): Promise<EmbeddedEventStore> {
    const warn = opts.onWarning ?? (() => {});
    const windowMs = dedupeWindowOf(opts);
    const root = path.resolve(dataDir);
    const eventsDir = path.join(root, EVENTS_DIR);
    const firstCreated = await mkdir(eventsDir, { recursive: true });
    if (firstCreated !== undefined) await syncNewDirectories(firstCreated, eventsDir);

    const files = await listLogs(eventsDir, LOG_SUFFIX, warn);
    const logs = new Map<string, WorkshopLog>();
    const load = async (workshopId: string, file: string) => {
      const log = await openLog(file, markFileOf(file), warn, windowMs);
      const mark = new MarkWriter(markFileOf(file), warn);
      mark.set({ seq: log.first - 1 + log.offsets.length, bytes: log.end });
      logs.set(workshopId, { file, ...log, fileExists: true, writer: null, reader: null, reading: 0, retired: [], queue: Promise.resolve(), broken: null, mark });
    };
    const opening = new LogOpening(files, load, opts.inBackground?.onDamage);
    // A few logs at a time: a chain's thousand small logs wait on the disk, not on each other.
    const started = performance.now();
    const loaded = opening.run(OPEN_CONCURRENCY);
    void loaded.then(() => opts.inBackground?.onChecked?.(files.length, performance.now() - started));
    if (!opts.inBackground) {
      await loaded;
      const failure = opening.firstFailure(files.map(([workshopId]) => workshopId));
      if (failure) throw failure;
    }
    return new EmbeddedEventStore(root, eventsDir, logs, warn, windowMs, opening);
  }

  async append(workshopId: string, events: readonly PitwallEvent[], expectedSeq: number, receivedAt: string): Promise<AppendOutcome> {
    if (!Number.isSafeInteger(expectedSeq) || expectedSeq < 0) throw new RangeError(`expectedSeq must be a non-negative integer, got ${expectedSeq}`);
    if (this.closed) throw closedError();
    // A log still loading: after it, in call order (its waiters run in the order they came).
    const loading = this.opening.pending(workshopId);
    if (loading) return loading.then(() => this.append(workshopId, events, expectedSeq, receivedAt));
    // No await before the queue is extended: callers are served in call order.
    const log = this.logFor(workshopId);
    const run = log.queue.then(() => this.appendNow(log, events, expectedSeq, receivedAt));
    log.queue = run.catch(() => {});
    return run;
  }

  async read(workshopId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    if (this.closed) throw closedError();
    await this.opening.pending(workshopId);
    const log = this.logs.get(workshopId);
    if (!log) return [];
    // Snapshot the committed part now: an append (or a trim) finishing meanwhile must not shift the page.
    const { offsets, first, end: committedEnd } = log;
    const length = offsets.length;
    // Indices into this file's offsets; below the first kept event the page starts there.
    const from = Math.max(0, Math.floor(afterSeq) - (first - 1));
    const to = Math.min(length, from + Math.floor(limit));
    if (!(to > from)) return [];
    const start = offsets[from]!;
    const end = to < length ? offsets[to]! : committedEnd;

    const bytes = await readRange(log, start, end);

    const page: StoredEvent[] = [];
    for (const line of bytes.toString('utf8').split('\n')) {
      // Commit records sit between batches; the header is never inside a page.
      if (line === '' || line.startsWith(COMMIT_PREFIX)) continue;
      const seq = first + from + page.length;
      let stored: StoredEvent;
      try {
        stored = JSON.parse(line) as StoredEvent;
      } catch (err) {
        // The open-time checksum covered these bytes: whatever is wrong changed since start-up.
        throw await damagedSince(log.file, offsets[from + page.length]!, seq, `not valid JSON (${(err as Error).message})`);
      }
      if (stored.seq !== seq) throw await damagedSince(log.file, offsets[from + page.length]!, seq, `seq is ${JSON.stringify(stored.seq)}, expected ${seq}`);
      page.push(stored);
    }
    return page;
  }

  async length(workshopId: string): Promise<number> {
    if (this.closed) throw closedError();
    await this.opening.pending(workshopId);
    const log = this.logs.get(workshopId);
    return log ? lengthOf(log) : 0;
  }

  /** In the workshop's queue, after the appends before it (log-trim.ts). */
  async trim(workshopId: string, upToSeq: number): Promise<void> {
    if (this.closed) throw closedError();
    await this.opening.pending(workshopId);
    const log = this.logs.get(workshopId);
    if (!log) return;
    const run = log.queue.then(() => {
      if (log.broken) throw new StoreUnavailableError(`${log.file} failed to sync earlier; reopen the store`, { cause: log.broken });
      return trimLog(log, Math.min(Math.floor(upToSeq), lengthOf(log)) + 1, this.eventsDir);
    });
    log.queue = run.catch(() => {});
    return run;
  }

  async firstSeq(workshopId: string): Promise<number> {
    if (this.closed) throw closedError();
    await this.opening.pending(workshopId);
    return this.logs.get(workshopId)?.first ?? 1;
  }

  async rememberedIds(workshopId: string): Promise<number> {
    if (this.closed) throw closedError();
    await this.opening.pending(workshopId);
    return this.logs.get(workshopId)?.ids.size ?? 0;
  }

  async ping(): Promise<void> {
    if (this.closed) throw closedError();
    try {
      await access(this.eventsDir, constants.W_OK);
    } catch (err) {
      throw new StoreUnavailableError(`event log directory ${this.eventsDir} is not writable: ${(err as Error).message}`, { cause: err });
    }
  }

  describe(): string {
    return `embedded log at ${this.dataDir}`;
  }

  /** Lets queued appends finish, then closes the files. Later calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening.settled();
    await Promise.all([...this.logs.values()].map((log) => log.queue));
    await Promise.all([...this.logs.values()].map((log) => log.mark.flush()));
    for (const log of this.logs.values()) {
      await log.writer?.close().catch(() => {});
      for (const reader of [log.reader, ...log.retired.splice(0)]) await reader?.then((fh) => fh.close()).catch(() => {});
      log.writer = null;
      log.reader = null;
    }
  }

  private logFor(workshopId: string): WorkshopLog {
    let log = this.logs.get(workshopId);
    if (!log) {
      const file = path.join(this.eventsDir, encodeURIComponent(workshopId) + LOG_SUFFIX);
      log = { file, ids: new IdWindow(), first: 1, offsets: [], end: 0, fileExists: false, writer: null, reader: null, reading: 0, retired: [], queue: Promise.resolve(), broken: null, mark: new MarkWriter(markFileOf(file), this.warn) };
      this.logs.set(workshopId, log);
    }
    return log;
  }

  /** Runs inside the workshop's queue, so it sees every earlier append of the workshop committed. */
  private async appendNow(log: WorkshopLog, events: readonly PitwallEvent[], expectedSeq: number, receivedAt: string): Promise<AppendOutcome> {
    if (log.broken) throw new StoreUnavailableError(`${log.file} failed to sync earlier; reopen the store`, { cause: log.broken });

    const cutoff = dedupeCutoff(receivedAt, this.dedupeWindowMs);
    const ats = events.map(eventTime);
    const duplicates: boolean[] = [];
    const fresh: PitwallEvent[] = [];
    const batchIds = new Set<string>();
    const freshAts: number[] = [];
    events.forEach((event, i) => {
      const duplicate = log.ids.has(event.id, cutoff) || batchIds.has(event.id);
      duplicates.push(duplicate);
      if (!duplicate) {
        batchIds.add(event.id);
        fresh.push(event);
        freshAts.push(ats[i]!);
      }
    });
    const length = lengthOf(log);
    if (fresh.length === 0) return { ok: true, seq: length, duplicates };
    if (length !== expectedSeq) return { ok: false, conflict: true, seq: length };

    // An empty log (new, or emptied by a torn first write) starts with the header.
    const batch = frameBatch(length + 1, receivedAt, fresh, log.end === 0);
    await writeDurably(log, batch.bytes, this.eventsDir);

    fresh.forEach((event, i) => log.ids.add(event.id, freshAts[i]!));
    log.ids.forgetBefore(cutoff);
    for (const offset of batch.lineOffsets) log.offsets.push(log.end + offset);
    log.end += batch.bytes.length;
    log.mark.set({ seq: lengthOf(log), bytes: log.end });
    return { ok: true, seq: length + fresh.length, duplicates };
  }
}

async function damagedSince(file: string, byte: number, seq: number, problem: string): Promise<Error> {
  const line = await lineNumberAt(file, byte).catch(() => null);
  return new Error(`event log ${file} is damaged at line ${line ?? '?'} (byte ${byte}, seq ${seq}): ${problem}; it changed after start-up (the hub checked it then)`);
}

function closedError(): StoreUnavailableError {
  return new StoreUnavailableError('the embedded event store is closed');
}

/** The log's last seq (its length): the trimmed seqs count. */
function lengthOf(log: WorkshopLog): number {
  return log.first - 1 + log.offsets.length;
}
