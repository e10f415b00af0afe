import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { PitwallEvent } from '../../shared/events.js';
import type { Floor } from './terminals.js';
import { cpuShare, procSample, wallMs } from './util.js';

/**
 * The ingest ceilings Pitwall is compared with, fed the same events in the same shape of
 * traffic (the same streams, batch size and concurrency as the hub's test):
 * - raw append + fsync: each batch's JSON lines (the embedded store's bytes) written to the
 *   workshop's file and fdatasync'ed, one batch at a time per file, as the embedded store does;
 * - raw XADD: each event XADDed with ioredis (auto-pipelined, one MULTI-less pipeline per
 *   batch) into a stream per workshop on the same Redis.
 */

export interface RawResult {
  eventsPerSecond: number;
  events: number;
  seconds: number;
  /** CPU share of Redis during the window (raw XADD only). */
  redisCpu?: number | null;
}

interface Work {
  index: number;
  take(): PitwallEvent[];
}

function workItems(floor: Floor, batch: number): Work[] {
  return floor.streams[0]!.flatMap((_, g) => floor.workshopIds.map((_, i) => ({ index: i, take: () => floor.streams[i]![g]!.take(batch, Date.now()) })));
}

async function closedLoop(items: Work[], concurrency: number, seconds: number, warmupSeconds: number, post: (w: Work, events: PitwallEvent[]) => Promise<void>, onWindowStart?: () => void): Promise<RawResult> {
  const c = Math.min(concurrency, items.length);
  const start = wallMs();
  const windowStart = start + warmupSeconds * 1000;
  const end = windowStart + seconds * 1000;
  let events = 0;
  const timer = setTimeout(() => onWindowStart?.(), warmupSeconds * 1000);
  await Promise.all(
    Array.from({ length: c }, async (_, w) => {
      const mine = items.filter((_, s) => s % c === w);
      for (let k = 0; wallMs() < end; k++) {
        const item = mine[k % mine.length]!;
        const batch = item.take();
        await post(item, batch);
        const done = wallMs();
        if (done >= windowStart && done <= end) events += batch.length;
      }
    }),
  );
  clearTimeout(timer);
  return { eventsPerSecond: events / seconds, events, seconds };
}

export async function rawAppendFsync(opts: { dir: string; floor: Floor; batch: number; concurrency: number; seconds: number; warmupSeconds: number }): Promise<RawResult> {
  const files: { fh: Promise<FileHandle>; queue: Promise<unknown>; seq: number }[] = opts.floor.workshopIds.map((id) => ({
    fh: open(path.join(opts.dir, `${encodeURIComponent(id)}.jsonl`), 'a'),
    queue: Promise.resolve(),
    seq: 0,
  }));
  try {
    return await closedLoop(workItems(opts.floor, opts.batch), opts.concurrency, opts.seconds, opts.warmupSeconds, (w, events) => {
      const f = files[w.index]!;
      const run = f.queue.then(async () => {
        const receivedAt = new Date().toISOString();
        const text = events.map((event) => JSON.stringify({ seq: ++f.seq, receivedAt, event }) + '\n').join('');
        const bytes = Buffer.from(text, 'utf8');
        const fh = await f.fh;
        for (let done = 0; done < bytes.length; ) done += (await fh.write(bytes, done, bytes.length - done)).bytesWritten;
        await fh.datasync();
      });
      f.queue = run.catch(() => {});
      return run;
    });
  } finally {
    for (const f of files) await (await f.fh).close();
  }
}

export async function rawXadd(opts: { redisUrl: string; redisPid: number; floor: Floor; batch: number; concurrency: number; seconds: number; warmupSeconds: number }): Promise<RawResult> {
  // As the store's client (server/store/redis/redis-store.ts): auto-pipelining on.
  const client = new Redis(opts.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  let cpuStart: ReturnType<typeof procSample> = null;
  try {
    const result = await closedLoop(
      workItems(opts.floor, opts.batch),
      opts.concurrency,
      opts.seconds,
      opts.warmupSeconds,
      async (w, events) => {
        const key = `bench-raw:{${opts.floor.workshopIds[w.index]}}:events`;
        const receivedAt = new Date().toISOString();
        if (events.length === 1) {
          await client.xadd(key, '*', 'r', receivedAt, 'e', JSON.stringify(events[0]));
          return;
        }
        const pipeline = client.pipeline();
        for (const e of events) pipeline.xadd(key, '*', 'r', receivedAt, 'e', JSON.stringify(e));
        const replies = await pipeline.exec();
        const failedReply = replies?.find(([err]) => err !== null);
        if (failedReply) throw failedReply[0]!;
      },
      () => (cpuStart = procSample(opts.redisPid)),
    );
    return { ...result, redisCpu: cpuShare(cpuStart, procSample(opts.redisPid)) };
  } finally {
    client.disconnect();
  }
}
