import type { IdWindow } from './id-window.js';
import type { LogDamage } from './log-lines.js';

/** What the start-up scan of a workshop's log (log-scan.ts) reports. */

/** What lies after the good lines and may be cut off: a torn last line, or a batch without its commit record. */
export interface LogTail {
  line: number;
  byte: number;
  problem: string;
}

/** A point of the log: after `events` event lines, at byte `end`, after `lines` lines. */
export interface LogPoint {
  events: number;
  end: number;
  lines: number;
}

export interface ScannedLog {
  /** The ids of the good event lines inside the dedupe window of the newest receivedAt. */
  ids: IdWindow;
  /** The seqs before the file's first line: 0, or the header's firstSeq − 1 for a trimmed log (log-trim.ts). */
  base: number;
  /** offsets[i] is where the good line of seq base+i+1 starts. */
  offsets: number[];
  /** After the last good line (before the damage, or before a torn last line). */
  good: LogPoint;
  /** After the last commit record (or the header); the start of the file when there is none. */
  committed: LogPoint;
  /** The ids of the good event lines after `committed`, in order. */
  uncommittedIds: string[];
  /** The header or a commit record was seen: every batch is framed, a batch without its commit record is torn. */
  framed: boolean;
  /** A torn or unparseable last line after the good lines (only when there is no damage). */
  tornLine: LogTail | null;
  /** The first line that cannot come from an interrupted write; `good` ends before it. */
  damage: LogDamage | null;
}
