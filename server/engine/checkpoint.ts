import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { ProjectionData } from './projection.js';

/**
 * A workshop's projection and roll-ups as bytes, stamped with the log position they cover, so
 * a hub starts from it and replays only the tail of the log (docs/architecture.md,
 * "Checkpoints"). Pure: bytes in, bytes out.
 *
 * Layout: `PWCP`, the format version (uint32), the SHA-256 of the rest, then the deflated V8
 * serialisation of { workshopId, seq, data }. V8's structured serialisation keeps Maps, Sets,
 * ±Infinity and shared references (a job record sits in `jobs` and `openJobs` as one object)
 * exactly; newer Node versions read older output. A checkpoint of another version, another
 * workshop or with a wrong checksum is refused with the reason, and the caller replays the log:
 * never a wrong board.
 */

/**
 * Raise on ANY change to what ProjectionData holds or means (state.ts, rollups.ts,
 * arrivals.ts, the figures' reading of them): old checkpoints are then ignored and rebuilt.
 */
// 2: appointments in the state; arrivals keep whether they were booked, and their service (issue 15).
export const CHECKPOINT_VERSION = 2;

const MAGIC = Buffer.from('PWCP');
const HEADER = MAGIC.length + 4 + 32;

export interface Checkpoint {
  workshopId: string;
  /** The last log seq the data includes. */
  seq: number;
  data: ProjectionData;
}

export function encodeCheckpoint(c: Checkpoint): Buffer {
  const body = deflateRawSync(serialize(c), { level: 1 });
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(CHECKPOINT_VERSION, MAGIC.length);
  createHash('sha256').update(body).digest().copy(header, MAGIC.length + 4);
  return Buffer.concat([header, body]);
}

export class CheckpointRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointRefused';
  }
}

/** The checkpoint in `bytes`, or CheckpointRefused saying why it cannot be used. */
export function decodeCheckpoint(bytes: Buffer, workshopId: string): Checkpoint {
  if (bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new CheckpointRefused('not a checkpoint (no PWCP header)');
  const version = bytes.readUInt32BE(MAGIC.length);
  if (version !== CHECKPOINT_VERSION) throw new CheckpointRefused(`format version ${version}, this hub reads ${CHECKPOINT_VERSION}`);
  const body = bytes.subarray(HEADER);
  const sum = createHash('sha256').update(body).digest();
  if (!sum.equals(bytes.subarray(MAGIC.length + 4, HEADER))) throw new CheckpointRefused('checksum mismatch (damaged)');
  let c: Checkpoint;
  try {
    c = deserialize(inflateRawSync(body)) as Checkpoint;
  } catch (err) {
    throw new CheckpointRefused(`unreadable: ${(err as Error).message}`);
  }
  if (c.workshopId !== workshopId) throw new CheckpointRefused(`it belongs to workshop ${c.workshopId}`);
  if (!Number.isSafeInteger(c.seq) || c.seq < 0 || c.data?.state?.seq !== c.seq) throw new CheckpointRefused('its seq does not match its state');
  return c;
}
