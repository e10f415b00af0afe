import type { StoredEvent } from '../../shared/events.js';
import { archivedMonths, readMonth } from '../archive/archive-files.js';
import type { EventStore } from '../store/event-store.js';
import { READ_PAGE } from './commit-queue.js';

/**
 * A workshop's whole log after `afterSeq`, wherever it is now: the months the archiver moved
 * out of the store (server/archive/), then the hot log, in seq order, a page at a time. For the
 * rare readers that go back further than the hot log: a first replay with no checkpoint, a past
 * day with no day checkpoint left. A gap (an archive file missing) is an error that says where,
 * never a silently shorter history. Resolves with the last seq read (afterSeq when none).
 */
export async function readHistory(store: EventStore, archiveDir: string | undefined, workshopId: string, afterSeq: number, each: (page: StoredEvent[]) => void | Promise<void>): Promise<number> {
  let last = afterSeq;
  const first = await store.firstSeq(workshopId);
  if (last + 1 < first) {
    for (const month of archiveDir === undefined ? [] : await archivedMonths(archiveDir, workshopId)) {
      const page = (await readMonth(archiveDir!, workshopId, month)).filter((e) => e.seq > last && e.seq < first);
      if (page.length === 0) continue;
      if (page[0]!.seq !== last + 1) throw gap(workshopId, archiveDir, last + 1, page[0]!.seq);
      await each(page);
      last = page.at(-1)!.seq;
    }
    if (last + 1 < first) throw gap(workshopId, archiveDir, last + 1, first);
  }
  for (;;) {
    const page = await store.read(workshopId, last, READ_PAGE);
    if (page.length > 0) {
      await each(page);
      last = page.at(-1)!.seq;
    }
    if (page.length < READ_PAGE) return last;
  }
}

function gap(workshopId: string, dir: string | undefined, from: number, to: number): Error {
  const where = dir === undefined ? 'no archive directory is set (PITWALL_ARCHIVE_DIR)' : `nor in the archive at ${dir} (run \`npm run archive -- verify --workshop ${workshopId}\`)`;
  return new Error(`workshop ${workshopId}: events ${from}–${to - 1} are not in the store, ${where}`);
}
