import { createHash } from 'node:crypto';
import type { StoredEvent } from '../../shared/events.js';
import type { EventStore } from '../store/event-store.js';
import { archivedMonths, monthOf, readMonth } from './archive-files.js';

/**
 * Proves that a workshop's archive and hot log together are its full history
 * (`npm run archive -- verify`): every seq from 1 to the log's length exactly once (the archive
 * holds 1…A without gap or repeat, each line in the file of its receivedAt's month; the hot log
 * holds firstSeq…length without gap; nothing between them), and, given a reference (the
 * history as dumped before, or the store before a trim in a test), every event identical to
 * it. Events found in both the archive and the hot log (a run interrupted before its trim) must
 * be identical there too; they are counted, not a problem: the next run trims them.
 * Events are compared by a SHA-256 of their JSON, so the whole archive never sits in memory.
 */

export interface VerifyReport {
  workshopId: string;
  /** Lines in the archive, and the highest seq there (0: none). */
  archived: number;
  archivedUpTo: number;
  /** The hot log: its first seq and its length (last seq). */
  firstSeq: number;
  length: number;
  /** Seqs in both the archive and the hot log. */
  overlap: number;
  /** Events compared with the reference (0: none given). */
  compared: number;
  problems: string[];
}

const PAGE = 5000;

export async function verifyWorkshop(store: EventStore, workshopId: string, dir: string, reference?: Iterable<StoredEvent>): Promise<VerifyReport> {
  const problems: string[] = [];
  const seen = new Map<number, string>();
  let archived = 0;
  for (const month of await archivedMonths(dir, workshopId)) {
    for (const e of await readMonth(dir, workshopId, month)) {
      archived++;
      if (seen.has(e.seq)) problems.push(`seq ${e.seq} is in the archive twice (again in ${month})`);
      seen.set(e.seq, digest(e));
      if (monthOf(e.receivedAt) !== month) problems.push(`seq ${e.seq} (received ${e.receivedAt}) is in the file of ${month}`);
    }
  }
  let archivedUpTo = 0;
  for (const seq of seen.keys()) if (seq > archivedUpTo) archivedUpTo = seq;
  for (let seq = 1; seq <= archivedUpTo && problems.length < 100; seq++) if (!seen.has(seq)) problems.push(`seq ${seq} is missing from the archive`);

  const firstSeq = await store.firstSeq(workshopId);
  const length = await store.length(workshopId);
  if (firstSeq > archivedUpTo + 1) problems.push(`seqs ${archivedUpTo + 1}–${firstSeq - 1} are neither in the archive nor in the hot log`);
  let overlap = 0;
  for (let after = firstSeq - 1; after < length; ) {
    const page = await store.read(workshopId, after, PAGE);
    if (page.length === 0) break;
    for (const e of page) {
      if (e.seq !== after + 1) problems.push(`the hot log jumps from seq ${after} to ${e.seq}`);
      after = e.seq;
      const inArchive = seen.get(e.seq);
      if (inArchive !== undefined) {
        overlap++;
        if (inArchive !== digest(e)) problems.push(`seq ${e.seq} differs between the archive and the hot log`);
      } else {
        seen.set(e.seq, digest(e));
      }
    }
  }
  const compared = reference ? compare(seen, reference, problems) : 0;
  return { workshopId, archived, archivedUpTo, firstSeq, length, overlap, compared, problems };
}

/** Every reference event must be in the history, identical; every history event in the reference. */
function compare(history: Map<number, string>, reference: Iterable<StoredEvent>, problems: string[]): number {
  let compared = 0;
  const inReference = new Set<number>();
  for (const e of reference) {
    compared++;
    inReference.add(e.seq);
    const found = history.get(e.seq);
    if (found === undefined) problems.push(`seq ${e.seq} of the reference is neither in the archive nor in the hot log`);
    else if (found !== digest(e)) problems.push(`seq ${e.seq} differs from the reference`);
  }
  for (const seq of history.keys()) if (!inReference.has(seq)) problems.push(`seq ${seq} is not in the reference`);
  return compared;
}

/** The same event read from Redis, the embedded log or a gzip line gives the same digest: fields in a fixed order. */
function digest(e: StoredEvent): string {
  return createHash('sha256').update(JSON.stringify({ seq: e.seq, receivedAt: e.receivedAt, event: e.event })).digest('base64');
}

/** The report as the CLI prints it: one line, then one per problem. */
export function describeReport(r: VerifyReport): string {
  const head =
    `workshop ${r.workshopId}: archive ${r.archived} event(s) (seq 1–${r.archivedUpTo}), hot log seq ${r.firstSeq}–${r.length}` +
    (r.overlap > 0 ? `, ${r.overlap} in both (an interrupted archiver run; the next run trims them)` : '') +
    (r.compared > 0 ? `, ${r.compared} compared with the reference` : '');
  return r.problems.length === 0 ? `OK   ${head}` : [`FAIL ${head}`, ...r.problems.slice(0, 50).map((p) => `     ${p}`), ...(r.problems.length > 50 ? [`     … and ${r.problems.length - 50} more`] : [])].join('\n');
}
