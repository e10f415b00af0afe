import { open } from 'node:fs/promises';
import path from 'node:path';
import { commitRecord } from './log-format.js';
import type { IdWindow } from './id-window.js';
import { readMark, type LogMark } from './log-mark.js';
import { checkLines, type LogDamage } from './log-lines.js';
import { scanLog, type LogPoint, type ScannedLog } from './log-scan.js';

/**
 * Start-up's judgement of one workshop's log (docs/security.md, "The embedded log's integrity"):
 * - damage anywhere (a bad line followed by others, a gap in seq, a batch that does not match
 *   its checksum before the last one) stops start-up, naming file, line and the repair command;
 * - a log shorter than its mark (cut, emptied, replaced) stops start-up the same way;
 * - a last batch without its commit record (or not matching it) was never acknowledged and is
 *   dropped whole, with a warning; an unframed log's torn last line is cut off as before;
 * - an unframed log (written before framing) is checked line by line once and sealed with a
 *   commit record, so from then on it is framed like any other.
 */

/** Stops start-up: the message names the file, the line and what to do. */
export class EventLogError extends Error {
  override readonly name = 'EventLogError';
}

/** The command that repairs a log, as the messages print it (server/repair-log.ts). */
export function repairCommand(file: string): string {
  return `npm run repair-log -- '${file}' (in the container image: node dist/server/repair-log.js '${file}')`;
}

export interface OpenedLog {
  ids: IdWindow;
  /** The seq of the file's first event line (1 unless the log was trimmed). */
  first: number;
  offsets: number[];
  /** Bytes of the file that are committed. */
  end: number;
}

export async function openLog(file: string, markFile: string, warn: (message: string) => void, dedupeWindowMs: number): Promise<OpenedLog> {
  const scan = await scanLog(file, dedupeWindowMs);
  if (scan.damage) throw damagedLog(file, scan, scan.damage);

  const read = await readMark(markFile);
  if (read.kind === 'unreadable') warn(`the mark ${markFile} cannot be read (${read.problem}); the log ${file} is checked by its frames alone and the mark written again`);
  const keep: LogPoint = scan.framed ? scan.committed : scan.good;
  if (read.kind === 'mark' && (read.mark.seq > scan.base + keep.events || read.mark.bytes > keep.end)) throw shortenedLog(file, markFile, scan, keep, read.mark);

  const size = await sizeOf(file);
  if (size > keep.end) {
    await truncateDurably(file, keep.end);
    for (const id of scan.framed ? scan.uncommittedIds : []) scan.ids.delete(id);
    scan.offsets.length = keep.events;
    const torn = scan.tornLine;
    warn(
      scan.framed
        ? `event log ${file}: the last batch (from line ${keep.lines + 1}: ${scan.good.events - keep.events} complete event line(s)${torn ? `, then line ${torn.line}: ${torn.problem}` : ''}) has no valid commit record: an interrupted write, never acknowledged; removed it whole (${size - keep.end} byte(s)), the log now ends at seq ${keep.events}`
        : `event log ${file}: line ${torn!.line} was cut short by an interrupted write (${torn!.problem}); removed ${size - keep.end} byte(s), the log now ends at line ${torn!.line - 1}`,
    );
  }
  let end = keep.end;
  if (!scan.framed && keep.events > 0) end = await seal(file, scan, keep);
  return { ids: scan.ids, first: scan.base + 1, offsets: scan.offsets, end };
}

/**
 * Checks every line of an unframed log whole (JSON, shape, the event schema) and appends one
 * commit record over them: a one-time cost on the first start after an upgrade (1M events:
 * a few seconds), after which the checksum guards them like any batch.
 */
async function seal(file: string, scan: ScannedLog, keep: LogPoint): Promise<number> {
  const { crc, bad } = await checkLines(file, 0, keep.end, { line: 1, seq: 1 });
  if (bad) throw damagedLog(file, { ...scan, good: { events: bad.line - 1, end: bad.byte, lines: bad.line - 1 } }, bad);
  const record = Buffer.from(commitRecord(keep.events, keep.events, crc));
  const fh = await open(file, 'r+');
  try {
    await fh.write(record, 0, record.length, keep.end);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  return keep.end + record.length;
}

export function damagedLog(file: string, scan: Pick<ScannedLog, 'good'>, damage: LogDamage): EventLogError {
  return new EventLogError(
    `event log ${file} is damaged at line ${damage.line} (byte ${damage.byte}): ${damage.problem}. ` +
      'An interrupted write can only leave the last batch unfinished, so this was not repaired automatically. ' +
      `Stop the hub, then either fix line ${damage.line} by hand, or keep the ${scan.good.events} event(s) before it and set the rest aside with ${repairCommand(file)} ` +
      '(it copies the file to a .bak first).',
  );
}

function shortenedLog(file: string, markFile: string, scan: ScannedLog, keep: LogPoint, mark: LogMark): EventLogError {
  const torn = scan.tornLine ?? (scan.good.end > keep.end ? { line: keep.lines + 1, problem: 'a batch without its commit record' } : null);
  return new EventLogError(
    `event log ${file} holds ${keep.events} committed event(s)${scan.base > 0 ? ` from seq ${scan.base + 1}` : ''} (${keep.end} bytes, ${keep.lines} line(s)), but its mark ${path.basename(markFile)} says ` +
      `${mark.seq} event(s) (${mark.bytes} bytes) were written and acknowledged: the log was cut, emptied or replaced since` +
      `${torn ? ` (it ends at line ${torn.line}: ${torn.problem})` : ''}. Nothing was changed. ` +
      `Restore the file from a backup; or, if it was shortened on purpose, stop the hub and accept it as it is with ${repairCommand(file)} (it copies the file to a .bak first and resets the mark).`,
  );
}

/** A mark whose log is gone: the log was deleted after events were acknowledged. */
export function missingLog(file: string, mark: LogMark): EventLogError {
  return new EventLogError(
    `event log ${file} is missing, but its mark says ${mark.seq} event(s) (${mark.bytes} bytes) were written and acknowledged. ` +
      `Restore the file from a backup; or, if the workshop's log was removed on purpose, forget it with ${repairCommand(file)} (it removes the mark).`,
  );
}

async function sizeOf(file: string): Promise<number> {
  const fh = await open(file, 'r');
  try {
    return (await fh.stat()).size;
  } finally {
    await fh.close();
  }
}

export async function truncateDurably(file: string, length: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    await fh.truncate(length);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
