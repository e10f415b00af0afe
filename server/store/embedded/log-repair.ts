import { constants } from 'node:fs';
import { access, copyFile, open, stat } from 'node:fs/promises';
import { commitRecord } from './log-format.js';
import { markFileOf, readMark, removeMark, writeMark } from './log-mark.js';
import { checkLines } from './log-lines.js';
import { scanLog } from './log-scan.js';
import { truncateDurably } from './open-log.js';

/**
 * What `npm run repair-log -- <file>` does to a log the hub refused (docs/operations.md,
 * "Repairing an embedded log"), with the hub stopped:
 * 1. copies the file to `<file>.<time>.bak` (nothing is lost: lines set aside can be salvaged
 *    from the copy by hand);
 * 2. keeps every event line before the first damaged one, except a last batch that has no
 *    commit record and that the mark does not count (never acknowledged: the hub would drop it
 *    too), and cuts the file after them;
 * 3. checks the kept lines after the last commit record whole and closes them with one;
 * 4. sets the mark to the result, so a log shortened on purpose is accepted from now on.
 * A log that is gone while its mark remains: the mark is removed.
 */

export type RepairReport =
  | { kind: 'mark-removed'; markFile: string }
  /** `events`: the last seq kept; `firstSeq`: the first (1 unless the log was trimmed). */
  | { kind: 'repaired'; backup: string | null; firstSeq: number; events: number; bytes: number; removedBytes: number; firstRemovedLine: number | null; reason: string | null; sealed: number };

export async function repairLog(file: string, now = new Date()): Promise<RepairReport> {
  const markFile = markFileOf(file);
  if (!(await exists(file))) {
    if (!(await exists(markFile))) throw new Error(`${file} does not exist, and has no mark either: nothing to repair`);
    await removeMark(markFile);
    return { kind: 'mark-removed', markFile };
  }
  const scan = await scanLog(file);
  const read = await readMark(markFile);
  // Counted in this file's lines: a trimmed log starts after `base` seqs (log-trim.ts).
  const base = scan.base;
  const acknowledged = read.kind === 'mark' ? Math.max(0, read.mark.seq - base) : 0;

  let keep = scan.good;
  let reason = scan.damage ? `line ${scan.damage.line}: ${scan.damage.problem}` : scan.tornLine ? `line ${scan.tornLine.line}: ${scan.tornLine.problem}` : null;
  if (!scan.damage && scan.framed && scan.good.events > Math.max(scan.committed.events, acknowledged)) {
    // An unfinished last batch the mark does not count: never acknowledged, dropped as the hub would.
    const events = Math.max(scan.committed.events, acknowledged);
    // Between the last commit record and the cut there are only event lines.
    keep = events === scan.committed.events ? scan.committed : { events, end: scan.offsets[events]!, lines: scan.committed.lines + events - scan.committed.events };
    reason = `line ${scan.committed.lines + 1}: the last batch has no commit record (an interrupted write)`;
  }

  // Kept lines after the last commit record are checked whole; a bad one ends the log there.
  const from = scan.committed;
  let firstRemovedLine = keep.lines + 1;
  let sealed = keep.events - from.events;
  let cut = keep.end;
  let crc = 0;
  if (sealed > 0) {
    const checked = await checkLines(file, from.end, cut, { line: from.lines + 1, seq: base + from.events + 1 });
    if (checked.bad) {
      cut = checked.bad.byte;
      firstRemovedLine = checked.bad.line;
      sealed = checked.bad.line - from.lines - 1;
      reason ??= `line ${checked.bad.line}: ${checked.bad.problem}`;
      crc = sealed > 0 ? (await checkLines(file, from.end, cut, { line: from.lines + 1, seq: base + from.events + 1 })).crc : 0;
    } else {
      crc = checked.crc;
    }
  }
  const events = base + from.events + sealed;

  const size = (await stat(file)).size;
  let backup: string | null = null;
  if (cut < size || sealed > 0) {
    backup = `${file}.${now.toISOString().replace(/[:.]/g, '-')}.bak`;
    await copyFile(file, backup, constants.COPYFILE_EXCL);
    await syncFile(backup);
    await truncateDurably(file, cut);
  }
  let bytes = cut;
  if (sealed > 0) {
    const record = Buffer.from(commitRecord(events, sealed, crc));
    const fh = await open(file, 'r+');
    try {
      await fh.write(record, 0, record.length, cut);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    bytes += record.length;
  }
  await writeMark(markFile, { seq: events, bytes });
  return { kind: 'repaired', backup, firstSeq: base + 1, events, bytes, removedBytes: size - cut, firstRemovedLine: cut < size ? firstRemovedLine : null, reason, sealed };
}

async function exists(file: string): Promise<boolean> {
  return access(file, constants.F_OK).then(
    () => true,
    () => false,
  );
}

async function syncFile(file: string): Promise<void> {
  const fh = await open(file, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
