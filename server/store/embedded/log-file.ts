import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../event-store.js';
import type { IdWindow } from './id-window.js';
import type { MarkWriter } from './log-mark.js';

/**
 * One workshop's log file on disk, as the embedded store (embedded-store.ts) uses it: a batch
 * written durably (one write, cut back if it fails, fdatasync, the directory synced for a new
 * file) and byte ranges read back through one shared read handle.
 */

/** In-memory state of one workshop's log. */
export interface WorkshopLog {
  file: string;
  /** The dedupe window's ids (id-window.ts). */
  ids: IdWindow;
  /** The seq of the file's first event line: 1, or the one after the last trimmed (log-trim.ts). */
  first: number;
  /** offsets[i] is the byte offset of the line of seq first+i; first − 1 + offsets.length is the log length. */
  offsets: number[];
  /** Bytes of the file that are committed (written, synced and acknowledged). */
  end: number;
  fileExists: boolean;
  writer: FileHandle | null;
  reader: Promise<FileHandle> | null;
  /** Reads running now, and read handles of files a trim replaced, closed once no read runs. */
  reading: number;
  retired: Promise<FileHandle>[];
  /** The last queued append; the next one starts when it settles. */
  queue: Promise<unknown>;
  /** Set when an fsync failed: what reached the disk is unknown until the log is reopened. */
  broken: Error | null;
  /** Keeps `<ws>.mark` at the committed length, so a later cut of the log is noticed. */
  mark: MarkWriter;
}

export async function writeDurably(log: WorkshopLog, bytes: Buffer, eventsDir: string): Promise<void> {
  let writer: FileHandle;
  try {
    writer = await writerFor(log, eventsDir);
  } catch (err) {
    throw new StoreUnavailableError(`opening ${log.file} failed: ${(err as Error).message}`, { cause: err });
  }
  try {
    // One write call in practice; the loop only guards against a short write.
    for (let done = 0; done < bytes.length; ) done += (await writer.write(bytes, done, bytes.length - done)).bytesWritten;
  } catch (err) {
    // Cut the partial batch off again, or the next append would be glued to half a line.
    const cut = await writer.truncate(log.end).then(
      () => true,
      (truncateErr: unknown) => {
        log.broken = truncateErr as Error;
        return false;
      },
    );
    // Cut off, nothing of the batch is left. Not cut off, its first lines may be whole and be
    // read back at the next open: the outcome is unknown.
    const Failure = cut ? StoreUnavailableError : StoreOutcomeUnknownError;
    throw new Failure(`writing ${log.file} failed: ${(err as Error).message}`, { cause: err });
  }
  try {
    await writer.datasync();
  } catch (err) {
    // After a failed fsync the kernel may have dropped the dirty pages, or written them: the
    // batch may or may not be in the file the next open reads. Trust nothing until reopen.
    log.broken = err as Error;
    throw new StoreOutcomeUnknownError(`syncing ${log.file} failed: ${(err as Error).message}`, { cause: err });
  }
}

async function writerFor(log: WorkshopLog, eventsDir: string): Promise<FileHandle> {
  if (log.writer) return log.writer;
  const writer = await open(log.file, 'a');
  if (!log.fileExists) {
    // A new file's directory entry is only durable once the directory itself is synced.
    try {
      await syncDirectory(eventsDir);
    } catch (err) {
      await writer.close().catch(() => {});
      throw err;
    }
    log.fileExists = true;
  }
  log.writer = writer;
  return writer;
}

function readerFor(log: WorkshopLog): Promise<FileHandle> {
  if (!log.reader) {
    const opening = open(log.file, 'r');
    // Forget a failed open so the next read tries again.
    opening.catch(() => {
      if (log.reader === opening) log.reader = null;
    });
    log.reader = opening;
  }
  return log.reader;
}

/**
 * Forgets the read handle (a trim replaced the file): reads running with it finish first, as
 * their offsets are of the old file; it is closed when the last one ends.
 */
export function retireReader(log: WorkshopLog): void {
  if (log.reader) log.retired.push(log.reader);
  log.reader = null;
  closeRetired(log);
}

function closeRetired(log: WorkshopLog): void {
  if (log.reading > 0) return;
  for (const handle of log.retired.splice(0)) void handle.then((fh) => fh.close()).catch(() => {});
}

/** The bytes [start, end) of the log (a page of whole lines), of the file as it was when called. */
export async function readRange(log: WorkshopLog, start: number, end: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(end - start);
  // Taken now, in the caller's tick: the offsets it read belong to this file.
  const handle = readerFor(log);
  log.reading++;
  try {
    const reader = await handle;
    for (let done = 0; done < bytes.length; ) {
      const { bytesRead } = await reader.read(bytes, done, bytes.length - done, start + done);
      if (bytesRead === 0) throw new Error(`${log.file} is shorter than expected (${start + done} < ${end} bytes)`);
      done += bytesRead;
    }
  } catch (err) {
    throw new StoreUnavailableError(`reading ${log.file} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    log.reading--;
    closeRetired(log);
  }
  return bytes;
}

export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** After `mkdir -p` created firstCreated…deepest, sync each new directory's parent so the chain survives a crash. */
export async function syncNewDirectories(firstCreated: string, deepest: string): Promise<void> {
  for (let dir = deepest; ; dir = path.dirname(dir)) {
    await syncDirectory(path.dirname(dir));
    if (dir === firstCreated || dir === path.dirname(dir)) return;
  }
}
