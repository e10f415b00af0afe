/**
 * Small named blobs per workshop beside its event log: the projection's checkpoint
 * (engine/checkpoint.ts), a past day's finished report. Not the truth: a blob lost or damaged
 * is rebuilt from the log, so they need no atomicity with it, only that a blob read back is
 * one that was written whole (a write replaces the old blob in one step).
 */
export interface BlobStore {
  save(workshopId: string, name: string, data: Buffer): Promise<void>;
  /** The blob, or null when there is none. */
  load(workshopId: string, name: string): Promise<Buffer | null>;
  remove(workshopId: string, name: string): Promise<void>;
  /**
   * Saves `data` unless the blob exists, and returns the blob as stored: whoever created it
   * first, of every hub on the store (the customer links' key, server/customers/link-keys.ts).
   */
  createOnce(workshopId: string, name: string, data: Buffer): Promise<Buffer>;
}

/** Blob names are code's, never a user's: letters, digits, `-`, `.`, `_`. */
export function checkBlobName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) throw new RangeError(`invalid blob name "${name}"`);
  return name;
}
