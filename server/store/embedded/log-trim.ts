import { open, rename } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { COMMIT_PREFIX, commitRecord, logHeader } from './log-format.js';
import { readRange, retireReader, syncDirectory, type WorkshopLog } from './log-file.js';

/**
 * Trimming a workshop's log (EventStore.trim): the events from `keepFrom` on are copied to a new
 * file whose header names keepFrom as its first seq (log-format.ts), closed by one commit record
 * over all of them (a commit record may close any number of lines, as the seal of an unframed
 * log does), fsynced, and renamed over the log. Cost: the size of what is kept, the hot part
 * (about the retention's days), once per archiver run; what is trimmed is never read.
 *
 * Crash safety: the mark is moved to the new length first (flushed, the directory synced): a
 * mark is a lower bound, and the old file is longer, so a crash before the rename reopens the
 * old log as it was (the `.trim` file left behind is overwritten by the next trim); the rename
 * is atomic, so a crash after it reopens the new one. Runs inside the workshop's append queue.
 */

/** Events copied per read: a page of the old file at a time, never the whole of it in memory. */
const PAGE_EVENTS = 8192;

export async function trimLog(log: WorkshopLog, keepFrom: number, eventsDir: string): Promise<void> {
  const skip = keepFrom - log.first;
  if (!(skip > 0)) return;
  const lastSeq = log.first - 1 + log.offsets.length;
  const tmp = `${log.file}.trim`;
  const offsets: number[] = [];
  const fh = await open(tmp, 'w');
  let end = 0;
  try {
    const write = async (bytes: Buffer) => {
      for (let done = 0; done < bytes.length; ) done += (await fh.write(bytes, done, bytes.length - done, end + done)).bytesWritten;
      end += bytes.length;
    };
    await write(Buffer.from(logHeader(keepFrom)));
    let crc = 0;
    for (let i = skip; i < log.offsets.length; i += PAGE_EVENTS) {
      const to = Math.min(i + PAGE_EVENTS, log.offsets.length);
      const text = (await readRange(log, log.offsets[i]!, to < log.offsets.length ? log.offsets[to]! : log.end)).toString('utf8');
      // The old commit records go: the one written below closes every kept line.
      const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith(COMMIT_PREFIX));
      const page = Buffer.from(lines.map((line) => line + '\n').join(''), 'utf8');
      let at = end;
      for (const line of lines) {
        offsets.push(at);
        at += Buffer.byteLength(line) + 1;
      }
      crc = crc32(page, crc);
      await write(page);
    }
    if (offsets.length > 0) await write(Buffer.from(commitRecord(lastSeq, offsets.length, crc)));
    await fh.sync();
  } finally {
    await fh.close();
  }

  log.mark.set({ seq: lastSeq, bytes: end });
  await log.mark.flush();
  await syncDirectory(eventsDir);
  await log.writer?.close().catch(() => {});
  log.writer = null;
  await rename(tmp, log.file);
  // From here the file is the new one: so is the state, whatever the directory sync says.
  log.first = keepFrom;
  log.offsets = offsets;
  log.end = end;
  retireReader(log);
  await syncDirectory(eventsDir);
}
