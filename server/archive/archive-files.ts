import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { StoredEvent } from '../../shared/events.js';
import { syncDirectory, syncNewDirectories } from '../store/embedded/log-file.js';

/**
 * The archive on disk (PITWALL_ARCHIVE_DIR): per workshop a folder (its id URI-encoded, as the
 * embedded log names its file), per calendar month of receivedAt (UTC) one
 * `<YYYY-MM>.jsonl.gz`: gzip of JSON lines, one StoredEvent ({seq, receivedAt, event}) per line,
 * as the store held it. Each archiver run adds one gzip member per month it writes
 * (`gunzip`/`zcat` read a file of several members as one stream), fsynced before the store
 * is trimmed, so an event leaves the hot log only once it is on disk here.
 */

const SUFFIX = '.jsonl.gz';
const MONTH_FILE = /^(\d{4}-\d{2})\.jsonl\.gz$/;

export function workshopDir(dir: string, workshopId: string): string {
  return path.join(dir, encodeURIComponent(workshopId));
}

/** The month (UTC, `YYYY-MM`) whose file holds an event received at `receivedAt`. */
export function monthOf(receivedAt: string): string {
  const ms = Date.parse(receivedAt);
  if (!Number.isFinite(ms)) throw new RangeError(`receivedAt must be an ISO-8601 time, got ${JSON.stringify(receivedAt)}`);
  return new Date(ms).toISOString().slice(0, 7);
}

export function monthFile(dir: string, workshopId: string, month: string): string {
  return path.join(workshopDir(dir, workshopId), `${month}${SUFFIX}`);
}

/** The workshops that have an archive folder. */
export async function archivedWorkshops(dir: string): Promise<string[]> {
  const names = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  return names.filter((d) => d.isDirectory()).map((d) => decodeURIComponent(d.name)).sort();
}

/** The workshop's month files, oldest first. */
export async function archivedMonths(dir: string, workshopId: string): Promise<string[]> {
  const names = await readdir(workshopDir(dir, workshopId)).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  return names.flatMap((n) => MONTH_FILE.exec(n)?.[1] ?? []).sort();
}

/** The events of one month file, in file order; [] when there is none. A damaged file throws naming it and the line. */
export async function readMonth(dir: string, workshopId: string, month: string): Promise<StoredEvent[]> {
  const file = monthFile(dir, workshopId, month);
  let text: string;
  try {
    text = gunzipSync(await readFile(file)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`archive file ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  const events: StoredEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    try {
      events.push(JSON.parse(line) as StoredEvent);
    } catch (err) {
      throw new Error(`archive file ${file}, line ${i + 1}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
  });
  return events;
}

/**
 * Appends the events to the month's file as one gzip member, atomically: the old bytes and the
 * new member go to `<file>.tmp`, fsynced, renamed over the file, the directory fsynced. A month
 * file is at most a month of one workshop's events (a few MB), so the copy is cheap, and a
 * crash can never leave a torn member that would make the whole file unreadable.
 */
export async function appendMonth(dir: string, workshopId: string, month: string, events: readonly StoredEvent[]): Promise<void> {
  const folder = workshopDir(dir, workshopId);
  const created = await mkdir(folder, { recursive: true });
  if (created !== undefined) await syncNewDirectories(created, folder);
  const file = monthFile(dir, workshopId, month);
  const old = await readFile(file).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? Buffer.alloc(0) : Promise.reject(err)));
  const member = gzipSync(Buffer.from(events.map((e) => JSON.stringify(e) + '\n').join(''), 'utf8'));
  const tmp = `${file}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    const bytes = Buffer.concat([old, member]);
    for (let done = 0; done < bytes.length; ) done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await syncDirectory(folder);
}
