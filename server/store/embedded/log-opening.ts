import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DamagedLogError } from '../event-store.js';
import { MARK_SUFFIX, readMark } from './log-mark.js';
import { EventLogError, missingLog } from './open-log.js';

/**
 * The embedded store's logs being checked and loaded (open-log.ts), a few at a time. At start-up
 * in the foreground (the store's `open` waits for all and throws the first damage, in the files'
 * order) or in the background (the hub's start does not wait on a thousand logs: a workshop's
 * calls wait for its own log, which jumps the queue when asked for, and a damaged log fails
 * that workshop alone with a DamagedLogError, the others serving on).
 */

export class LogOpening {
  /** Not started yet, in the files' order. */
  private readonly waiting = new Map<string, string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly failures = new Map<string, Error>();
  private readonly all: Promise<void>[] = [];

  /** `load` checks one log and hands it to the store, or rejects with the log's damage; `onFailure` hears of each failure once. */
  constructor(
    files: readonly (readonly [workshopId: string, file: string])[],
    private readonly load: (workshopId: string, file: string) => Promise<void>,
    private readonly onFailure: (workshopId: string, err: Error) => void = () => {},
  ) {
    for (const [workshopId, file] of files) this.waiting.set(workshopId, file);
  }

  /** Starts `width` workers over the waiting logs; resolves once every log is loaded or failed. */
  run(width: number): Promise<void> {
    const worker = async () => {
      for (let next = this.waiting.keys().next(); !next.done; next = this.waiting.keys().next()) {
        await this.start(next.value).catch(() => undefined);
      }
    };
    const workers = Array.from({ length: Math.min(width, this.waiting.size) }, worker);
    return Promise.all(workers).then(() => Promise.allSettled(this.all).then(() => undefined));
  }

  /**
   * Null when the workshop's log is loaded (or it has none); else a promise of it being loaded,
   * started now when it was still waiting, rejected with its failure.
   */
  pending(workshopId: string): Promise<void> | null {
    const failure = this.failures.get(workshopId);
    if (failure) return Promise.reject(failure);
    if (this.waiting.has(workshopId)) return this.start(workshopId);
    return this.running.get(workshopId) ?? null;
  }

  /** The first failure in the files' order (the same file named whatever the timing), or null. */
  firstFailure(order: readonly string[]): Error | null {
    for (const workshopId of order) {
      const failure = this.failures.get(workshopId);
      if (failure) return failure instanceof DamagedLogError ? (failure.cause as Error) : failure;
    }
    return null;
  }

  /** Resolves once no load runs (the store closes after them). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.all);
  }

  private start(workshopId: string): Promise<void> {
    const file = this.waiting.get(workshopId)!;
    this.waiting.delete(workshopId);
    const loading = this.load(workshopId, file).then(
      () => void this.running.delete(workshopId),
      (err: unknown) => {
        const failure = err instanceof EventLogError ? new DamagedLogError(workshopId, err) : (err as Error);
        this.failures.set(workshopId, failure);
        this.running.delete(workshopId);
        this.onFailure(workshopId, err as Error);
        throw failure;
      },
    );
    // Whoever asked handles the failure; the sweep may not have (it was asked for first).
    loading.catch(() => undefined);
    this.running.set(workshopId, loading);
    this.all.push(loading);
    return loading;
  }
}

/**
 * The workshop logs in `eventsDir` as [workshop id, file], in name order. A mark whose log is
 * gone (deleted after events were acknowledged) stops here, before anything is loaded: the
 * listing shows it at no cost. A file whose name is not one the store writes is skipped, said.
 */
export async function listLogs(eventsDir: string, logSuffix: string, warn: (message: string) => void): Promise<[string, string][]> {
  const names = (await readdir(eventsDir)).sort();
  for (const name of names) {
    if (!name.endsWith(MARK_SUFFIX) || names.includes(name.slice(0, -MARK_SUFFIX.length) + logSuffix)) continue;
    const read = await readMark(path.join(eventsDir, name));
    if (read.kind === 'mark' && read.mark.seq > 0) throw missingLog(path.join(eventsDir, name.slice(0, -MARK_SUFFIX.length) + logSuffix), read.mark);
  }
  const files: [string, string][] = [];
  for (const name of names) {
    if (!name.endsWith(logSuffix)) continue;
    const workshopId = workshopIdOf(name.slice(0, -logSuffix.length));
    if (workshopId === null) warn(`event log ${path.join(eventsDir, name)} ignored: its name is not an encoded workshop id`);
    else files.push([workshopId, path.join(eventsDir, name)]);
  }
  return files;
}

/** The workshop id a file name stands for, or null when the name is not one we would write. */
function workshopIdOf(encoded: string): string | null {
  try {
    const id = decodeURIComponent(encoded);
    return encodeURIComponent(id) === encoded ? id : null;
  } catch {
    return null;
  }
}
