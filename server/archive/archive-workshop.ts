import type { StoredEvent } from '../../shared/events.js';
import { DAY_MS } from '../../shared/time.js';
import type { EventStore } from '../store/event-store.js';
import { appendMonth, monthOf, readMonth } from './archive-files.js';
import type { ArchiveLock } from './archive-lock.js';

/**
 * Moves a workshop's old events from the store's hot log to the archive (archive-files.ts):
 * the events received before `now − retentionMs` AND with seq ≤ `upToSeq` (the engine passes
 * the seq its checkpoint covers), from the start of the hot log up to the first event that is
 * not both, so what leaves is always a prefix. A page at a time is read and appended to its
 * months' files, fsynced; once every page is, the store is trimmed up to the last one, once
 * (EventStore.trim: the embedded store's trim copies the hot part, so not once per page).
 *
 * Idempotent: a run interrupted between the archive write and the trim leaves those events in
 * both places; the next run finds their seqs in the month files and skips them (never a second
 * line), then trims. One run at a time per workshop, under `lock` (archive-lock.ts); the lease
 * is extended before each page and before the trim, and a run that lost it stops without trimming.
 *
 * Not scheduled by the hub: the caller (the lead's wiring, once checkpoints exist; tests)
 * decides when. `verify.ts` (`npm run archive -- verify`) proves archive + hot log = the history.
 */

/** PITWALL_LOG_RETENTION_DAYS' floor: the hot log keeps at least this much (the too_old window, the history's recent weeks). */
export const MIN_RETENTION_DAYS = 35;
export const MIN_RETENTION_MS = MIN_RETENTION_DAYS * DAY_MS;
const PAGE = 5000;

export interface ArchiveOptions {
  /** The clock (ms). */
  now: number;
  /** Events received at least this long before `now` may be archived; at least MIN_RETENTION_MS. */
  retentionMs: number;
  /** Only events with seq ≤ this (covered by a checkpoint). */
  upToSeq: number;
  /** PITWALL_ARCHIVE_DIR. */
  dir: string;
  lock: ArchiveLock;
  /** Events per read-and-archive step (default 5000). */
  pageSize?: number;
}

export type ArchiveResult =
  | { status: 'locked' }
  /** `archived` lines written, `alreadyArchived` found in the archive from an interrupted run; the hot log now starts at `firstSeq`. */
  | { status: 'done'; archived: number; alreadyArchived: number; firstSeq: number; months: string[] };

export async function archiveWorkshop(store: EventStore, workshopId: string, opts: ArchiveOptions): Promise<ArchiveResult> {
  if (!(opts.retentionMs >= MIN_RETENTION_MS)) throw new RangeError(`retentionMs must be at least ${MIN_RETENTION_DAYS} days (${MIN_RETENTION_MS} ms), got ${opts.retentionMs}`);
  const lease = await opts.lock.acquire(workshopId);
  if (!lease) return { status: 'locked' };
  try {
    const cutoff = opts.now - opts.retentionMs;
    const eligible = (e: StoredEvent) => e.seq <= opts.upToSeq && Date.parse(e.receivedAt) < cutoff;
    const known = new Map<string, Set<number>>();
    const result = { status: 'done' as const, archived: 0, alreadyArchived: 0, firstSeq: await store.firstSeq(workshopId), months: [] as string[] };
    const lost = (seq: number) => new Error(`workshop ${workshopId}: the archive lock was lost (expired) before trimming up to seq ${seq}; the archive holds those events, the next run trims them`);
    let next = result.firstSeq;
    for (let full = true; full; ) {
      if (!(await lease.extend())) throw lost(next - 1);
      const page = await store.read(workshopId, next - 1, opts.pageSize ?? PAGE);
      if (page.length > 0 && page[0]!.seq !== next) throw new Error(`workshop ${workshopId}: the hot log jumps to seq ${page[0]!.seq}, expected ${next}; nothing archived from there`);
      const stop = page.findIndex((e) => !eligible(e));
      const moving = stop === -1 ? page : page.slice(0, stop);
      full = moving.length === (opts.pageSize ?? PAGE);
      if (moving.length > 0) next = moving.at(-1)!.seq + 1;
      for (const [month, events] of byMonth(moving)) {
        const seqs = known.get(month) ?? new Set((await readMonth(opts.dir, workshopId, month)).map((e) => e.seq));
        known.set(month, seqs);
        const fresh = events.filter((e) => !seqs.has(e.seq));
        result.alreadyArchived += events.length - fresh.length;
        if (fresh.length === 0) continue;
        await appendMonth(opts.dir, workshopId, month, fresh);
        for (const e of fresh) seqs.add(e.seq);
        result.archived += fresh.length;
        if (!result.months.includes(month)) result.months.push(month);
      }
    }
    if (next === result.firstSeq) return result;
    if (!(await lease.extend())) throw lost(next - 1);
    await store.trim(workshopId, next - 1);
    return { ...result, firstSeq: next };
  } finally {
    await lease.release();
  }
}

function byMonth(events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const months = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const month = monthOf(e.receivedAt);
    const list = months.get(month);
    if (list) list.push(e);
    else months.set(month, [e]);
  }
  return months;
}
