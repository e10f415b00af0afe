import { readFile, rename, rm, writeFile } from 'node:fs/promises';

/**
 * A log's high-water mark: `<workshop>.mark` beside `<workshop>.jsonl`, holding how many events
 * (and bytes) the log had committed when it was last written. A log that comes back shorter
 * than its mark was cut or emptied after those events were acknowledged; the store refuses to
 * start on it instead of starting without them (docs/security.md, "The embedded log's
 * integrity").
 *
 * The mark is written after an append's fdatasync, off the acknowledgement's path, at most
 * once per MARK_INTERVAL_MS and at close (the latest value wins), as a new file renamed over
 * the old one and without an fsync of its own. So it is a lower bound, never ahead of the log:
 * - it is written only after the log's bytes are on disk;
 * - a crash of the hub loses at most the last second's values, which leaves the mark behind;
 * - a power cut can also leave the previous mark (the rename not yet durable), which is
 *   behind too; on a filesystem that does not order a rename after the renamed file's data
 *   (ext4 and XFS do, for a rename over an existing file) it could leave an empty file,
 *   which reads as "no usable mark": the store warns and checks the log by its frames alone.
 */

export const MARK_SUFFIX = '.mark';

export interface LogMark {
  /** The number of events committed. */
  seq: number;
  /** The byte length of the committed log. */
  bytes: number;
}

export type MarkRead = { kind: 'none' } | { kind: 'mark'; mark: LogMark } | { kind: 'unreadable'; problem: string };

export function markFileOf(logFile: string): string {
  return logFile.replace(/\.jsonl$/, '') + MARK_SUFFIX;
}

export async function readMark(markFile: string): Promise<MarkRead> {
  let text: string;
  try {
    text = await readFile(markFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'unreadable', problem: (err as Error).message };
  }
  try {
    const value = JSON.parse(text) as Partial<LogMark>;
    if (Number.isSafeInteger(value.seq) && value.seq! >= 0 && Number.isSafeInteger(value.bytes) && value.bytes! >= 0) return { kind: 'mark', mark: { seq: value.seq!, bytes: value.bytes! } };
  } catch {
    // Reported below, like a well-formed file of the wrong shape.
  }
  return { kind: 'unreadable', problem: `not a mark: ${JSON.stringify(text.slice(0, 80))}` };
}

export async function writeMark(markFile: string, mark: LogMark): Promise<void> {
  const tmp = `${markFile}.tmp`;
  await writeFile(tmp, JSON.stringify(mark) + '\n');
  await rename(tmp, markFile);
}

export async function removeMark(markFile: string): Promise<void> {
  await rm(markFile, { force: true });
}

/**
 * A log's mark is written at most this often (and at close). Writing it after every append
 * (a new file + rename each time) cut one-event appends over 50 workshops from ~10,000/s to
 * ~4,000/s: every rename is metadata that the next fdatasync's journal commit carries. Once a
 * second, a cut is still noticed unless it removes only the last second of acknowledged events.
 */
export const MARK_INTERVAL_MS = 1000;

/**
 * Keeps one log's mark up to date without making appends wait for it: `set` records the
 * latest value, written at once if the last write is MARK_INTERVAL_MS old, else when it is;
 * `flush` writes the latest value now and waits for it. A failed write is reported, not
 * thrown: the log itself is durable, only the cut detection is behind until the next write.
 */
export class MarkWriter {
  private latest: LogMark | null = null;
  private written: LogMark | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWriteAt = -Infinity;
  /** Said once until a write succeeds again: a full disk would otherwise warn every second. */
  private warned = false;

  constructor(
    private readonly markFile: string,
    private readonly onWarning: (message: string) => void,
    private readonly intervalMs = MARK_INTERVAL_MS,
  ) {}

  set(mark: LogMark): void {
    this.latest = mark;
    if (this.running || this.timer) return;
    const wait = this.lastWriteAt + this.intervalMs - Date.now();
    if (wait <= 0) this.start();
    else this.timer = setTimeout(() => this.start(), wait).unref();
  }

  async flush(): Promise<void> {
    if (this.timer) this.start();
    while (this.running) await this.running;
    if (this.latest !== this.written) {
      this.start();
      await this.running;
    }
  }

  private start(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // `.finally` runs after this assignment even when write() has nothing to do.
    this.running = this.write().finally(() => {
      this.running = null;
      // Values set while this write ran wait for the next interval.
      if (this.latest !== this.written && !this.timer) this.set(this.latest!);
    });
  }

  private async write(): Promise<void> {
    const mark = this.latest;
    if (mark === null || mark === this.written) return;
    this.lastWriteAt = Date.now();
    try {
      await writeMark(this.markFile, mark);
      this.written = mark;
      this.warned = false;
    } catch (err) {
      if (this.warned) return;
      this.warned = true;
      this.onWarning(`cannot write the mark ${this.markFile}: ${(err as Error).message} (the log is intact; a cut of it would not be noticed until the mark is written)`);
    }
  }
}
