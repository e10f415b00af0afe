import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { pitwallEvent } from '../../../shared/events.js';
import { issueDetails } from '../../workshops/parse.js';
import { COMMIT_PREFIX, LOG_HEADER, readCommitRecord, startsWithAt } from './log-format.js';

/**
 * Reads one workshop's .jsonl log (format: log-format.ts) in one pass and rebuilds what the
 * embedded store keeps in memory: the id set and the byte offset of every event line (so
 * reads can seek instead of scan). It judges nothing by itself: it reports where the good part
 * ends, what lies after it and the first damage, and `open-log.ts` decides.
 *
 * Lines in the form the store writes them (`{"seq":…,"receivedAt":"…","event":{"id":"…"` up
 * front, `}}` at the end) are checked from that head alone: seq, id and the brackets, not a
 * full JSON parse, which the replay does anyway. In a framed log every batch's bytes are then
 * checked against the CRC-32 of its commit record, so a changed body is found here too
 * (one CRC over each chunk's batches, not one call per line: 1M lines cost ~0.2 s, not ~1 s).
 * Any other line is parsed whole.
 */

export interface LogDamage {
  /** The line of the file (1-based, header and commit records counted), as an editor shows it. */
  line: number;
  /** Where that line starts. */
  byte: number;
  problem: string;
}

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
  /** The ids of the good event lines. */
  ids: Set<string>;
  /** offsets[i] is where the good line of seq i+1 starts. */
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

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;
/** The head of a line as log-format.ts writes it (the event schema puts `id` first). */
const WRITTEN_HEAD = /^\{"seq":(\d{1,15}),"receivedAt":"[^"\\]{1,64}","event":\{"id":"([A-Za-z0-9_-]{8,64})"[,}]/;
const HEAD_BYTES = 200;
const HEADER_LINE = Buffer.from(LOG_HEADER.slice(0, -1));
const COMMIT_START = Buffer.from(COMMIT_PREFIX);

export async function scanLog(file: string): Promise<ScannedLog> {
  const log: ScannedLog = {
    ids: new Set(),
    offsets: [],
    good: { events: 0, end: 0, lines: 0 },
    committed: { events: 0, end: 0, lines: 0 },
    uncommittedIds: [],
    framed: false,
    tornLine: null,
    damage: null,
  };
  let crc = 0;
  let line = 0;
  const record = { seq: 0, events: 0, crc: 0 };
  /**
   * The first problem since the last good commit record, which may still be a torn write:
   * - unframed, only a line that does not parse, and only if no line follows it;
   * - framed, anything, as long as no commit record follows it (`closed`): a batch without a
   *   valid commit record was never acknowledged, whatever a power cut left in it (zeros, a
   *   line missing); a commit record after the problem means an acknowledged batch is damaged.
   * `batchFrom` is set for a commit record whose batch does not match its checksum.
   */
  let suspect: { damage: LogDamage; batchFrom: LogPoint | null; closed: boolean } | null = null;
  // The last event line taken from its head alone: parsed whole at the end if it is the last line.
  let lastByHead: { line: number; start: number; end: number } | null = null;

  // In place, no allocation: these run for every line of the log.
  const advance = (end: number) => {
    log.good.events = log.offsets.length;
    log.good.end = end;
    log.good.lines = line;
  };
  const commit = (end: number) => {
    advance(end);
    log.committed.events = log.good.events;
    log.committed.end = end;
    log.committed.lines = line;
    log.uncommittedIds.length = 0;
    crc = 0;
  };

  /** Takes the line data[from, to) (its newline at `to`), which starts at byte `start` of the file; false once damage is found. */
  const acceptLine = (data: Buffer, from: number, to: number, start: number, crcFrom: number): boolean => {
    if (suspect && (suspect.closed || !log.framed)) return damaged(suspect.damage);
    line++;
    const end = start + (to - from) + 1;
    lastByHead = null;
    // Byte compares, no slice: this runs for every line of the log.
    const commitLike = to - from > COMMIT_START.length && data[from + 2] === COMMIT_START[2] && startsWithAt(data, from, COMMIT_START);
    if (suspect) {
      // Framed, after a problem: only a later commit record matters.
      if (commitLike) suspect.closed = true;
      return true;
    }
    if (line === 1 && data.subarray(from, to).equals(HEADER_LINE)) {
      log.framed = true;
      commit(end);
      return true;
    }
    if (commitLike) {
      // Even a broken commit record says the log is framed.
      log.framed = true;
      const parsed = readCommitRecord(data, from, to, record);
      const sum = crc32(data.subarray(crcFrom, from), crc);
      if (parsed && record.seq === log.offsets.length && record.events === log.uncommittedIds.length && record.crc === sum) {
        commit(end);
        return true;
      }
      const batch = `lines ${log.committed.lines + 1}–${line - 1}`;
      const problem = !parsed
        ? 'not a valid commit record'
        : record.crc === sum || record.seq !== log.offsets.length || record.events !== log.uncommittedIds.length
          ? `commit record for ${record.events} event(s) up to seq ${record.seq}, but ${batch} hold ${log.uncommittedIds.length} up to seq ${log.offsets.length}`
          : `the bytes of ${batch} do not match the checksum of their commit record`;
      suspect = { damage: { line, byte: start, problem }, batchFrom: parsed && record.crc !== sum ? { ...log.committed } : null, closed: true };
      return true;
    }
    const seqNo = log.offsets.length + 1;
    const head = to - from > 2 && data[to - 1] === CLOSE_BRACE && data[to - 2] === CLOSE_BRACE ? WRITTEN_HEAD.exec(data.toString('latin1', from, Math.min(to, from + HEAD_BYTES))) : null;
    let id: string;
    if (head) {
      const seq = Number(head[1]);
      id = head[2]!;
      if (seq !== seqNo) return suspicious({ line, byte: start, problem: `seq is ${seq}, expected ${seqNo}` });
      lastByHead = { line, start, end };
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString('utf8', from, to));
      } catch (err) {
        suspect = { damage: { line, byte: start, problem: `not valid JSON (${(err as Error).message})` }, batchFrom: null, closed: false };
        return true;
      }
      const problem = storedShapeProblem(parsed, seqNo);
      if (problem) return suspicious({ line, byte: start, problem });
      id = (parsed as { event: { id: string } }).event.id;
    }
    if (log.ids.has(id)) return suspicious({ line, byte: start, problem: `event id "${id}" appears earlier in the log` });
    log.ids.add(id);
    log.offsets.push(start);
    log.uncommittedIds.push(id);
    advance(end);
    return true;
  };

  const damaged = (damage: LogDamage): false => {
    log.damage = damage;
    return false;
  };
  /** A line no writer of ours produces: damage in an unframed log; in a framed one, damage only if a commit record follows. */
  const suspicious = (damage: LogDamage): boolean => {
    if (!log.framed) return damaged(damage);
    suspect = { damage, batchFrom: null, closed: false };
    return true;
  };

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
      // Batch bytes of this chunk not summed into `crc` yet: summed in one call at a commit
      // record or at the end of the chunk, not one call per line (1M lines: ~0.2 s, not ~1 s).
      let crcFrom = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
        if (!acceptLine(data, lineStart, nl, carryStart + lineStart, crcFrom)) break scanning;
        if (log.committed.end === carryStart + nl + 1) crcFrom = nl + 1;
        lineStart = nl + 1;
      }
      crc = crc32(data.subarray(crcFrom, lineStart), crc);
      // Copy: `chunk` is reused by the next read.
      carry = Buffer.from(data.subarray(lineStart));
      carryStart += lineStart;
    }
  } finally {
    await fh.close();
  }

  // Assigned inside acceptLine, which the compiler does not follow.
  const last = suspect as { damage: LogDamage; batchFrom: LogPoint | null; closed: boolean } | null;
  // Unframed: a bad line, then a torn one.
  if (!log.damage && last && !log.framed && carry.length > 0) log.damage = last.damage;
  if (last?.batchFrom && log.damage === last.damage) await pinpoint(file, log, last.batchFrom);
  if (log.damage) return log;

  if (last) {
    log.tornLine = last.damage;
  } else if (carry.length > 0) {
    log.tornLine = { line: line + 1, byte: log.good.end, problem: 'no trailing newline' };
  } else if (!log.framed && lastByHead !== null) {
    // Unframed, as before: a complete-looking last line that is not JSON is a torn write too.
    const lastLine = lastByHead as { line: number; start: number; end: number };
    if (!(await parsesWhole(file, lastLine.start, lastLine.end))) {
      log.ids.delete(log.uncommittedIds.pop()!);
      log.offsets.pop();
      log.good = { events: log.offsets.length, end: lastLine.start, lines: lastLine.line - 1 };
      log.tornLine = { line: lastLine.line, byte: lastLine.start, problem: 'not valid JSON' };
    }
  }
  return log;
}

/**
 * A batch does not match its checksum: name its first line that is not an event the hub
 * would have written, and let the good part end before it; when every line reads as an
 * event (a value changed), the batch as a whole is the damage.
 */
async function pinpoint(file: string, log: ScannedLog, batchFrom: LogPoint): Promise<void> {
  const batchEnd = log.damage!.byte;
  const { bad } = await checkLines(file, batchFrom.end, batchEnd, { line: batchFrom.lines + 1, seq: batchFrom.events + 1 });
  const keep = bad ? bad.line - batchFrom.lines - 1 : 0;
  log.offsets.length = batchFrom.events + keep;
  for (const id of log.uncommittedIds.splice(keep)) log.ids.delete(id);
  log.good = { events: log.offsets.length, end: bad ? bad.byte : batchFrom.end, lines: bad ? bad.line - 1 : batchFrom.lines };
  if (bad) log.damage = { ...bad, problem: `${bad.problem}; the batch up to line ${log.damage!.line} does not match its checksum` };
}

async function parsesWhole(file: string, start: number, end: number): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const bytes = Buffer.alloc(end - start);
    await fh.read(bytes, 0, bytes.length, start);
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/** Problems of a well-formed JSON line: wrong shape, seq out of order (the body is checked by `checkLines`). */
function storedShapeProblem(value: unknown, seqNo: number): string | null {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const { seq, receivedAt, event } = value as Record<string, unknown>;
  if (seq !== seqNo) return `seq is ${JSON.stringify(seq)}, expected ${seqNo}`;
  if (typeof receivedAt !== 'string') return 'receivedAt is missing';
  if (typeof event !== 'object' || event === null) return 'event is missing';
  if (typeof (event as Record<string, unknown>).id !== 'string') return 'event.id is missing';
  return null;
}

/**
 * Checks the event lines in [from, to) whole: JSON, the stored shape and the event's schema.
 * Used where the head check and the checksum are not enough: to seal an unframed log (its
 * lines were never checksummed) and to name the line a checksum mismatch comes from. Returns
 * the CRC-32 of the range and the first bad line.
 */
export async function checkLines(file: string, from: number, to: number, first: { line: number; seq: number }): Promise<{ crc: number; bad: LogDamage | null }> {
  const fh = await open(file, 'r');
  let crc = 0;
  try {
    let carry = Buffer.alloc(0);
    let line = first.line;
    let seq = first.seq;
    let lineByte = from;
    for (let position = from; position < to; ) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, to - position));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      crc = crc32(chunk.subarray(0, bytesRead), crc);
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let lineStart = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
        const problem = eventLineProblem(data.toString('utf8', lineStart, nl), seq);
        if (problem) return { crc, bad: { line, byte: lineByte, problem } };
        lineByte += nl + 1 - lineStart;
        line++;
        seq++;
        lineStart = nl + 1;
      }
      carry = Buffer.from(data.subarray(lineStart));
    }
    if (carry.length > 0) return { crc, bad: { line, byte: lineByte, problem: 'no trailing newline' } };
  } finally {
    await fh.close();
  }
  return { crc, bad: null };
}

function eventLineProblem(text: string, seq: number): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  const shape = storedShapeProblem(parsed, seq);
  if (shape) return shape;
  const checked = pitwallEvent.safeParse((parsed as { event: unknown }).event);
  if (checked.success) return null;
  // Worded as the API words a refusal (server/workshops/parse.ts).
  const issue = issueDetails(checked.error, (parsed as { event: unknown }).event)[0]!;
  return `event${issue.path ? `.${issue.path}` : ''} ${issue.message} (not an event the hub accepts)`;
}

/** The line number of the line starting at `byte` (counting newlines before it): for reports of damage found after start-up. */
export async function lineNumberAt(file: string, byte: number): Promise<number> {
  const fh = await open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let lines = 1;
    for (let position = 0; position < byte; ) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(CHUNK_BYTES, byte - position), position);
      if (bytesRead === 0) break;
      for (let i = chunk.indexOf(NEWLINE, 0); i !== -1 && i < bytesRead; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
      position += bytesRead;
    }
    return lines;
  } finally {
    await fh.close();
  }
}
