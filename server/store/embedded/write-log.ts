import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PitwallEvent } from '../../../shared/events.js';
import { frameBatch } from './log-format.js';

/**
 * A whole workshop log written in one go, in the format the store appends (log-format.ts: the
 * header, then each batch framed with its commit record), for a history made elsewhere: the
 * demo's simulated weeks (server/sim/demo-preload.ts). Thousands of events a second through the
 * hub's ingest would take minutes; written as the store would have written them, it is one
 * file write. The store checks it like any log when it opens it, and writes the mark then.
 * The log must not exist yet: a workshop's log has one writer.
 */
export interface LogBatch {
  /** When the hub would have received the batch (retention and the id window go by it). */
  receivedAt: string;
  events: readonly PitwallEvent[];
}

/** Writes `<dataDir>/events/<workshop>.jsonl`; the number of events written (the log's last seq). */
export async function writeWholeLog(dataDir: string, workshopId: string, batches: readonly LogBatch[]): Promise<number> {
  const dir = path.join(dataDir, 'events');
  await mkdir(dir, { recursive: true });
  const parts: Buffer[] = [];
  let seq = 0;
  for (const b of batches) {
    if (b.events.length === 0) continue;
    parts.push(frameBatch(seq + 1, b.receivedAt, b.events, seq === 0).bytes);
    seq += b.events.length;
  }
  // 'wx': never over a log that exists.
  await writeFile(path.join(dir, `${encodeURIComponent(workshopId)}.jsonl`), Buffer.concat(parts), { flag: 'wx' });
  return seq;
}
