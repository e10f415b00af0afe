import { open } from 'node:fs/promises';

/**
 * Reads one workshop's .jsonl log at start-up and rebuilds what the embedded store keeps in
 * memory: the id set and the byte offset of every line (so reads can seek instead of scan).
 *
 * Lines in the form the store writes them (appendNow: `{"seq":…,"receivedAt":"…","event":{"id":"…"`
 * up front, `}}` at the end) are checked from that head alone: seq, id and the brackets, not a
 * full JSON parse, which the replay that follows does anyway (and a line that fails it there
 * is reported as corrupt the same way, from `read`). Any other line is parsed whole. The last
 * line is always parsed whole, so a torn write is still found here.
 *
 * A crash during an append can leave the last line cut short (no `\n`, or not JSON). That
 * append was never acknowledged (the store answers only after fsync), so the line is cut off
 * and the repair reported through `onWarning`. A bad line anywhere else cannot come from an
 * interrupted append, so it is reported as corruption instead of being "repaired" away.
 */

export interface ScannedLog {
  ids: Set<string>;
  /** offsets[i] is where the line of seq i+1 starts; offsets.length is the log length. */
  offsets: number[];
  /** Byte length of the good part of the file (the whole file after any repair). */
  end: number;
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const CLOSE_BRACE = 0x7d;
/** The head of a line as embedded-store.ts writes it (the event schema puts `id` first). */
const WRITTEN_HEAD = /^\{"seq":(\d{1,15}),"receivedAt":"[^"\\]{1,64}","event":\{"id":"([A-Za-z0-9_-]{8,64})"[,}]/;
const HEAD_BYTES = 200;

export interface BadLine {
  lineNo: number;
  start: number;
  problem: string;
}

export async function scanLog(file: string, onWarning: (msg: string) => void): Promise<ScannedLog> {
  const log: ScannedLog = { ids: new Set(), offsets: [], end: 0 };
  // A line that does not parse is only corruption if another line follows it: hold it until we know.
  let unparseable: BadLine | null = null;

  // The last line taken from its head alone: parsed whole once the scan knows it is the last.
  let lastByHead: { lineNo: number; start: number; end: number; id: string } | null = null;

  const acceptLine = (line: Buffer, start: number, end: number) => {
    if (unparseable) throw corruption(file, unparseable);
    const lineNo = log.offsets.length + 1;
    const head = line.length > 2 && line[line.length - 1] === CLOSE_BRACE && line[line.length - 2] === CLOSE_BRACE ? WRITTEN_HEAD.exec(line.toString('latin1', 0, HEAD_BYTES)) : null;
    if (head) {
      const seq = Number(head[1]);
      const id = head[2]!;
      if (seq !== lineNo) throw corruption(file, { lineNo, start, problem: `seq is ${seq}, expected ${lineNo}` });
      if (log.ids.has(id)) throw corruption(file, { lineNo, start, problem: `event id "${id}" appears earlier in the log` });
      log.ids.add(id);
      log.offsets.push(start);
      log.end = end;
      lastByHead = { lineNo, start, end, id };
      return;
    }
    lastByHead = null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.toString('utf8'));
    } catch (err) {
      unparseable = { lineNo, start, problem: `not valid JSON (${(err as Error).message})` };
      return;
    }
    const problem = checkStoredEvent(parsed, lineNo, log.ids);
    if (problem) throw corruption(file, { lineNo, start, problem });
    log.ids.add((parsed as { event: { id: string } }).event.id);
    log.offsets.push(start);
    log.end = end;
  };

  const fh = await open(file, 'r');
  let carry = Buffer.alloc(0);
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let carryStart = 0;
    let position = 0;
    for (;;) {
      const { bytesRead } = await fh.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let lineStart = 0;
      for (let nl = data.indexOf(NEWLINE); nl !== -1; nl = data.indexOf(NEWLINE, lineStart)) {
        acceptLine(data.subarray(lineStart, nl), carryStart + lineStart, carryStart + nl + 1);
        lineStart = nl + 1;
      }
      // Copy: `chunk` is reused by the next read.
      carry = Buffer.from(data.subarray(lineStart));
      carryStart += lineStart;
    }
  } finally {
    await fh.close();
  }

  if (unparseable && carry.length > 0) throw corruption(file, unparseable);
  const last = lastByHead as { lineNo: number; start: number; end: number; id: string } | null;
  if (!unparseable && last !== null && !(await parsesWhole(file, last.start, last.end))) {
    // A complete-looking last line that is not JSON: an interrupted write, like any torn tail.
    log.ids.delete(last.id);
    log.offsets.pop();
    log.end = last.start;
    unparseable = { lineNo: last.lineNo, start: last.start, problem: 'not valid JSON' };
  }
  const tornTail = unparseable ?? (carry.length > 0 ? { lineNo: log.offsets.length + 1, start: log.end, problem: 'no trailing newline' } : null);
  if (tornTail) await cutTornTail(file, tornTail, log.end, onWarning);
  return log;
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

/** Problems of a well-formed JSON line: wrong shape, seq out of order, repeated id. */
function checkStoredEvent(value: unknown, lineNo: number, ids: Set<string>): string | null {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const { seq, receivedAt, event } = value as Record<string, unknown>;
  if (seq !== lineNo) return `seq is ${JSON.stringify(seq)}, expected ${lineNo}`;
  if (typeof receivedAt !== 'string') return 'receivedAt is missing';
  if (typeof event !== 'object' || event === null) return 'event is missing';
  const id = (event as Record<string, unknown>).id;
  if (typeof id !== 'string') return 'event.id is missing';
  if (ids.has(id)) return `event id "${id}" appears earlier in the log`;
  return null;
}

async function cutTornTail(file: string, bad: BadLine, goodEnd: number, onWarning: (msg: string) => void): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    const { size } = await fh.stat();
    await fh.truncate(goodEnd);
    await fh.sync();
    onWarning(
      `event log ${file}: line ${bad.lineNo} was cut short by an interrupted write (${bad.problem}); ` +
        `removed ${size - goodEnd} byte(s), the log now ends at line ${bad.lineNo - 1}`,
    );
  } finally {
    await fh.close();
  }
}

export function corruption(file: string, bad: BadLine): Error {
  return new Error(
    `event log ${file} is corrupt at line ${bad.lineNo} (byte ${bad.start}): ${bad.problem}. ` +
      'Only an incomplete last line can come from an interrupted write, so this was not repaired automatically; fix or remove the line by hand.',
  );
}
