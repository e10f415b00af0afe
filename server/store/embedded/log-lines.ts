import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { pitwallEvent } from '../../../shared/events.js';
import { issueDetails } from '../../../shared/issue-details.js';

/**
 * Lines of a workshop's .jsonl log checked whole (JSON, the stored shape, the event's schema),
 * where the scanner's head check and the checksums are not enough (log-scan.ts): sealing an
 * unframed log, naming the line a checksum mismatch comes from, a torn last line; and the line
 * number of a byte, for reports of damage found after start-up.
 */

export interface LogDamage {
  /** The line of the file (1-based, header and commit records counted), as an editor shows it. */
  line: number;
  /** Where that line starts. */
  byte: number;
  problem: string;
}

export const CHUNK_BYTES = 1 << 20;
export const NEWLINE = 0x0a;

export async function parsesWhole(file: string, start: number, end: number): Promise<boolean> {
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
export function storedShapeProblem(value: unknown, seqNo: number): string | null {
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
