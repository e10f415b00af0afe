import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { DEDUPE_MARGIN_MS, DEFAULT_DEDUPE_WINDOW_MS } from '../event-store.js';
import { IdWindow } from './id-window.js';
import type { LogPoint, ScannedLog } from './log-points.js';
import { COMMIT_PREFIX, headerFirstSeq, readCommitRecord, startsWithAt } from './log-format.js';
import { CHUNK_BYTES, checkLines, NEWLINE, parsesWhole, storedShapeProblem, type LogDamage } from './log-lines.js';

export type { LogPoint, LogTail, ScannedLog } from './log-points.js';

/**
 * Reads one workshop's .jsonl log (format: log-format.ts) in one pass and rebuilds what the
 * embedded store keeps in memory: the dedupe window's ids (id-window.ts) and the byte offset of
 * every event line (so reads can seek instead of scan). The window follows the newest
 * receivedAt read so far, as the appends' did: an id seen again inside it is damage (no append
 * writes it twice); seen again after its first event left the window, it is a legitimate
 * second event (the store had forgotten the id), and older logs simply had no such lines. It judges nothing by itself: it reports where the good part
 * ends, what lies after it and the first damage, and `open-log.ts` decides.
 *
 * Lines in the form the store writes them (`{"seq":…,"receivedAt":"…","event":{"id":"…","at":"…"`
 * up front, `}}` at the end) are checked from that head alone: seq, id and the brackets, not a
 * full JSON parse, which the replay does anyway. In a framed log every batch's bytes are then
 * checked against the CRC-32 of its commit record, so a changed body is found here too
 * (one CRC over each chunk's batches, not one call per line: 1M lines cost ~0.2 s, not ~1 s).
 * Any other line is parsed whole.
 */

const CLOSE_BRACE = 0x7d;
/** The head of a line as log-format.ts writes it (the event schema puts `id` first). */
const WRITTEN_HEAD = /^\{"seq":(\d{1,15}),"receivedAt":"([^"\\]{1,64})","event":\{"id":"([A-Za-z0-9_-]{8,64})","at":"([^"\\]{1,64})"[,}]/;
const HEAD_BYTES = 300;
const HEADER_START = Buffer.from('{"pitwall":');
const COMMIT_START = Buffer.from(COMMIT_PREFIX);

/**
 * The first problem since the last good commit record, which may still be a torn write:
 * - unframed, only a line that does not parse, and only if no line follows it;
 * - framed, anything, as long as no commit record follows it (`closed`): a batch without a
 *   valid commit record was never acknowledged, whatever a power cut left in it (zeros, a
 *   line missing); a commit record after the problem means an acknowledged batch is damaged.
 * `batchFrom` is set for a commit record whose batch does not match its checksum.
 */
interface Suspect {
  damage: LogDamage;
  batchFrom: LogPoint | null;
  closed: boolean;
}

/** `dedupeWindowMs`: the hub's too_old window (event-store.ts, DedupeOptions). */
export async function scanLog(file: string, dedupeWindowMs = DEFAULT_DEDUPE_WINDOW_MS): Promise<ScannedLog> {
  const scan = new LogScan(dedupeWindowMs + DEDUPE_MARGIN_MS);
  const carry = await readLines(file, scan);
  return scan.finish(file, carry);
}

/**
 * Feeds the file's lines to the scan, a chunk at a time; returns what follows the last
 * newline (a torn last line, or nothing).
 */
async function readLines(file: string, scan: LogScan): Promise<Buffer> {
  const fh = await open(file, 'r');
  let carry = Buffer.alloc(0);
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let carryStart = 0;
    let position = 0;
    scanning: for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let lineStart = 0;
      // Batch bytes of this chunk not summed into the checksum yet: summed in one call at a commit
      // record or at the end of the chunk, not one call per line (1M lines: ~0.2 s, not ~1 s).
      let crcFrom = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
        if (!scan.acceptLine(data, lineStart, nl, carryStart + lineStart, crcFrom)) break scanning;
        if (scan.log.committed.end === carryStart + nl + 1) crcFrom = nl + 1;
        lineStart = nl + 1;
      }
      scan.sum(data, crcFrom, lineStart);
      // Copy: `chunk` is reused by the next read.
      carry = Buffer.from(data.subarray(lineStart));
      carryStart += lineStart;
    }
  } finally {
    await fh.close();
  }
  return carry;
}

/** The scan's state over the lines so far; every method but `finish` runs for every line, in place, without allocating. */
class LogScan {
  readonly log: ScannedLog = {
    ids: new IdWindow(),
    base: 0,
    offsets: [],
    good: { events: 0, end: 0, lines: 0 },
    committed: { events: 0, end: 0, lines: 0 },
    uncommittedIds: [],
    framed: false,
    tornLine: null,
    damage: null,
  };
  /** CRC-32 of the batch since the last commit record, as far as summed. */
  private crc = 0;
  private line = 0;
  private readonly record = { seq: 0, events: 0, crc: 0 };
  private suspect: Suspect | null = null;
  /** The last event line taken from its head alone: parsed whole at the end if it is the last line. */
  private lastByHead: { line: number; start: number; end: number } | null = null;
  /** The newest receivedAt so far (ms), and the last one read as text: a batch shares one, so it is parsed once per batch. */
  private newest = -Infinity;
  private lastReceivedAt = '';

  /** `keepMs`: the dedupe window plus its margin. */
  constructor(private readonly keepMs: number) {}

  /** Takes the line data[from, to) (its newline at `to`), which starts at byte `start` of the file; false once damage is found. */
  acceptLine(data: Buffer, from: number, to: number, start: number, crcFrom: number): boolean {
    const log = this.log;
    if (this.suspect && (this.suspect.closed || !log.framed)) return this.damaged(this.suspect.damage);
    this.line++;
    const end = start + (to - from) + 1;
    this.lastByHead = null;
    // Byte compares, no slice: this runs for every line of the log.
    const commitLike = to - from > COMMIT_START.length && data[from + 2] === COMMIT_START[2] && startsWithAt(data, from, COMMIT_START);
    if (this.suspect) {
      // Framed, after a problem: only a later commit record matters.
      if (commitLike) this.suspect.closed = true;
      return true;
    }
    const firstSeq = this.line === 1 && startsWithAt(data, from, HEADER_START) ? headerFirstSeq(data.toString('latin1', from, to)) : null;
    if (firstSeq !== null) {
      log.base = firstSeq - 1;
      log.framed = true;
      this.commit(end);
      return true;
    }
    if (commitLike) return this.commitRecord(data, from, to, start, end, crcFrom);
    return this.eventLine(data, from, to, start, end);
  }

  /** Sums data[from, to) into the batch's checksum (the end of a chunk). */
  sum(data: Buffer, from: number, to: number): void {
    this.crc = crc32(data.subarray(from, to), this.crc);
  }

  /** A commit record: the batch before it must match its count, last seq and checksum. */
  private commitRecord(data: Buffer, from: number, to: number, start: number, end: number, crcFrom: number): boolean {
    const { log, record, line } = this;
    // Even a broken commit record says the log is framed.
    log.framed = true;
    const parsed = readCommitRecord(data, from, to, record);
    const sum = crc32(data.subarray(crcFrom, from), this.crc);
    const lastSeq = log.base + log.offsets.length;
    if (parsed && record.seq === lastSeq && record.events === log.uncommittedIds.length && record.crc === sum) {
      this.commit(end);
      return true;
    }
    const batch = `lines ${log.committed.lines + 1}–${line - 1}`;
    const problem = !parsed
      ? 'not a valid commit record'
      : record.crc === sum || record.seq !== lastSeq || record.events !== log.uncommittedIds.length
        ? `commit record for ${record.events} event(s) up to seq ${record.seq}, but ${batch} hold ${log.uncommittedIds.length} up to seq ${lastSeq}`
        : `the bytes of ${batch} do not match the checksum of their commit record`;
    this.suspect = { damage: { line, byte: start, problem }, batchFrom: parsed && record.crc !== sum ? { ...log.committed } : null, closed: true };
    return true;
  }

  /** An event line: checked from its head when it is in the form the store writes, else parsed whole. */
  private eventLine(data: Buffer, from: number, to: number, start: number, end: number): boolean {
    const { log, line } = this;
    const seqNo = log.base + log.offsets.length + 1;
    const head = to - from > 2 && data[to - 1] === CLOSE_BRACE && data[to - 2] === CLOSE_BRACE ? WRITTEN_HEAD.exec(data.toString('latin1', from, Math.min(to, from + HEAD_BYTES))) : null;
    let id: string;
    let receivedAt: string;
    let at: string | undefined;
    if (head) {
      const seq = Number(head[1]);
      [receivedAt, id, at] = [head[2]!, head[3]!, head[4]!];
      if (seq !== seqNo) return this.suspicious({ line, byte: start, problem: `seq is ${seq}, expected ${seqNo}` });
      this.lastByHead = { line, start, end };
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString('utf8', from, to));
      } catch (err) {
        this.suspect = { damage: { line, byte: start, problem: `not valid JSON (${(err as Error).message})` }, batchFrom: null, closed: false };
        return true;
      }
      const problem = storedShapeProblem(parsed, seqNo);
      if (problem) return this.suspicious({ line, byte: start, problem });
      const stored = parsed as { receivedAt: string; event: { id: string; at?: unknown } };
      [receivedAt, id, at] = [stored.receivedAt, stored.event.id, typeof stored.event.at === 'string' ? stored.event.at : undefined];
    }
    const cutoff = this.cutoffAt(receivedAt);
    if (log.ids.has(id, cutoff)) return this.suspicious({ line, byte: start, problem: `event id "${id}" appears earlier in the log (within the dedupe window)` });
    const atMs = at === undefined ? NaN : Date.parse(at);
    log.ids.add(id, Number.isFinite(atMs) ? atMs : this.newest);
    log.ids.forgetBefore(cutoff);
    log.offsets.push(start);
    log.uncommittedIds.push(id);
    this.advance(end);
    return true;
  }

  /** After the last line: where the good part ends, the damage, or the torn tail to cut. */
  async finish(file: string, carry: Buffer): Promise<ScannedLog> {
    const { log, suspect: last, lastByHead } = this;
    // Unframed: a bad line, then a torn one.
    if (!log.damage && last && !log.framed && carry.length > 0) log.damage = last.damage;
    if (last?.batchFrom && log.damage === last.damage) await pinpoint(file, log, last.batchFrom);
    if (log.damage) return log;

    if (last) {
      log.tornLine = last.damage;
    } else if (carry.length > 0) {
      log.tornLine = { line: this.line + 1, byte: log.good.end, problem: 'no trailing newline' };
    } else if (!log.framed && lastByHead !== null) {
      // Unframed, as before: a complete-looking last line that is not JSON is a torn write too.
      if (!(await parsesWhole(file, lastByHead.start, lastByHead.end))) {
        log.ids.delete(log.uncommittedIds.pop()!);
        log.offsets.pop();
        log.good = { events: log.offsets.length, end: lastByHead.start, lines: lastByHead.line - 1 };
        log.tornLine = { line: lastByHead.line, byte: lastByHead.start, problem: 'not valid JSON' };
      }
    }
    return log;
  }

  /** The dedupe cutoff after a line received at `receivedAt`: the window of the newest receivedAt so far. */
  private cutoffAt(receivedAt: string): number {
    if (receivedAt !== this.lastReceivedAt) {
      this.lastReceivedAt = receivedAt;
      const ms = Date.parse(receivedAt);
      if (ms > this.newest) this.newest = ms;
    }
    return this.newest - this.keepMs;
  }

  private advance(end: number): void {
    const good = this.log.good;
    good.events = this.log.offsets.length;
    good.end = end;
    good.lines = this.line;
  }

  private commit(end: number): void {
    this.advance(end);
    const { log } = this;
    log.committed.events = log.good.events;
    log.committed.end = end;
    log.committed.lines = this.line;
    log.uncommittedIds.length = 0;
    this.crc = 0;
  }

  private damaged(damage: LogDamage): false {
    this.log.damage = damage;
    return false;
  }

  /** A line no writer of ours produces: damage in an unframed log; in a framed one, damage only if a commit record follows. */
  private suspicious(damage: LogDamage): boolean {
    if (!this.log.framed) return this.damaged(damage);
    this.suspect = { damage, batchFrom: null, closed: false };
    return true;
  }
}

/**
 * A batch does not match its checksum: name its first line that is not an event the hub
 * would have written, and let the good part end before it; when every line reads as an
 * event (a value changed), the batch as a whole is the damage.
 */
async function pinpoint(file: string, log: ScannedLog, batchFrom: LogPoint): Promise<void> {
  const batchEnd = log.damage!.byte;
  const { bad } = await checkLines(file, batchFrom.end, batchEnd, { line: batchFrom.lines + 1, seq: log.base + batchFrom.events + 1 });
  const keep = bad ? bad.line - batchFrom.lines - 1 : 0;
  log.offsets.length = batchFrom.events + keep;
  for (const id of log.uncommittedIds.splice(keep)) log.ids.delete(id);
  log.good = { events: log.offsets.length, end: bad ? bad.byte : batchFrom.end, lines: bad ? bad.line - 1 : batchFrom.lines };
  if (bad) log.damage = { ...bad, problem: `${bad.problem}; the batch up to line ${log.damage!.line} does not match its checksum` };
}
