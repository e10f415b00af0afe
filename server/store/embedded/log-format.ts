import { crc32 } from 'node:zlib';
import type { PitwallEvent, StoredEvent } from '../../../shared/events.js';

/**
 * The lines of an embedded event log (docs/security.md, "The embedded log's integrity").
 *
 * - The first line of a log this version created is the header: it says that every batch in
 *   the file is framed, so even a first batch torn before its commit record is recognised. A
 *   log whose start was trimmed (log-trim.ts) names its first seq there: `,"firstSeq":N`.
 * - One event line per stored event, `{"seq":…,"receivedAt":"…","event":{…}}`.
 * - After each appended batch, one commit record: the seq of its last event, how many event
 *   lines it closes and the CRC-32 of their bytes, newlines included. A commit record closes
 *   every event line since the previous one (or since the start of the file).
 *
 * The batch, its commit record (and the header for a new file) go out in one write + fdatasync,
 * so a crash can only leave the last batch without its commit record (or with bytes that do
 * not match it): that batch was never acknowledged and is dropped whole at the next start.
 * Logs written before framing (no header, no commit record) still load: their last torn line
 * is cut off as before, and the first start seals them with one commit record.
 */

export const LOG_HEADER = '{"pitwall":"event-log","format":2}\n';
export const LOG_HEADER_BYTES = Buffer.byteLength(LOG_HEADER);

/** The header of a log whose first event is `firstSeq` (LOG_HEADER for 1: logs that were never trimmed stay as they were). */
export function logHeader(firstSeq: number): string {
  return firstSeq === 1 ? LOG_HEADER : `${LOG_HEADER.slice(0, -2)},"firstSeq":${firstSeq}}\n`;
}

/** The first seq a header line (no newline) names: 1 for LOG_HEADER, null when the line is no header. */
export function headerFirstSeq(line: string): number | null {
  if (line === LOG_HEADER.slice(0, -1)) return 1;
  const m = /^\{"pitwall":"event-log","format":2,"firstSeq":([1-9]\d{0,14})\}$/.exec(line);
  return m ? Number(m[1]) : null;
}

/** What every commit record starts with (event lines start with `{"seq":`). */
export const COMMIT_PREFIX = '{"commit":';

export function commitRecord(lastSeq: number, events: number, crc: number): string {
  return `${COMMIT_PREFIX}${lastSeq},"events":${events},"crc32":${crc}}\n`;
}

const EVENTS_KEY = Buffer.from(',"events":');
const CRC_KEY = Buffer.from(',"crc32":');
const COMMIT_KEY = Buffer.from(COMMIT_PREFIX);

/**
 * Reads the commit record in data[from, to) (no newline) into `out`; false when the line is
 * not one. Straight from the bytes: the start-up scan meets one record per batch (a
 * million-event log can hold half a million), so no string, regex or object per record.
 */
export function readCommitRecord(data: Buffer, from: number, to: number, out: { seq: number; events: number; crc: number }): boolean {
  let at = from;
  for (let field = 0; field < 3; field++) {
    const key = field === 0 ? COMMIT_KEY : field === 1 ? EVENTS_KEY : CRC_KEY;
    if (!startsWithAt(data, at, key)) return false;
    at += key.length;
    const start = at;
    let value = 0;
    while (at < to && data[at]! >= 0x30 && data[at]! <= 0x39) value = value * 10 + (data[at++]! - 0x30);
    if (at === start || at - start > 15) return false;
    if (field === 0) out.seq = value;
    else if (field === 1) out.events = value;
    else out.crc = value;
  }
  return at === to - 1 && data[at] === 0x7d;
}

/** Whether data holds `key` at `at`: a byte loop, cheaper than Buffer.compare for a few bytes. */
export function startsWithAt(data: Buffer, at: number, key: Buffer): boolean {
  if (at + key.length > data.length) return false;
  for (let i = 0; i < key.length; i++) if (data[at + i] !== key[i]) return false;
  return true;
}

export interface FramedBatch {
  bytes: Buffer;
  /** Byte offset of each event line, relative to the start of `bytes`. */
  lineOffsets: number[];
}

/**
 * One batch as the store appends it: (the header when the file is new, naming `firstSeq`), one
 * line per event numbered from `firstSeq`, and the commit record over those lines.
 */
export function frameBatch(firstSeq: number, receivedAt: string, events: readonly PitwallEvent[], newFile: boolean): FramedBatch {
  const lineOffsets: number[] = [];
  const header = newFile ? logHeader(firstSeq) : '';
  let at = Buffer.byteLength(header);
  const lines = events.map((event, i) => {
    const line = JSON.stringify({ seq: firstSeq + i, receivedAt, event } satisfies StoredEvent) + '\n';
    lineOffsets.push(at);
    at += Buffer.byteLength(line);
    return line;
  });
  const body = Buffer.from(lines.join(''), 'utf8');
  const commit = commitRecord(firstSeq + events.length - 1, events.length, crc32(body));
  return { bytes: Buffer.concat([Buffer.from(header), body, Buffer.from(commit)]), lineOffsets };
}
