import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { PitwallEvent } from '../../shared/events.js';
import { frameBatch } from '../../server/store/embedded/log-format.js';
import { DEDUPE_MARGIN_MS, DEFAULT_DEDUPE_WINDOW_MS } from '../../server/store/event-store.js';
import { redisKeys } from '../../server/store/redis/redis-store.js';
import { daysFor, historicDays, type DayTemplates } from './traffic.js';

/**
 * Event logs written straight into a store, in the store's own format (what the hub would have
 * written had it accepted them), for the start-up replay and the memory-per-workshop figures:
 * simulated days that end yesterday, per workshop.
 */

export interface Preloaded {
  events: number;
  jobs: number;
  ms: number;
}

/** How much to write per workshop: whole days (`days`) or a number of events (as many days as that takes). */
export type LogSize = { days: number } | { events: number };

function forEachWorkshopLog(workshopIds: readonly string[], templates: DayTemplates, size: LogSize, sink: (workshopId: string, events: PitwallEvent[]) => void): { events: number; jobs: number } {
  const days = 'days' in size ? size.days : daysFor(templates, size.events);
  const eventsPerWorkshop = 'events' in size ? size.events : Infinity;
  const now = Date.now();
  let events = 0;
  let jobs = 0;
  for (const id of workshopIds) {
    events += historicDays(templates, days, now, eventsPerWorkshop, (batch) => {
      for (const e of batch) if (e.type === 'job.checked_in') jobs++;
      sink(id, batch);
    });
  }
  return { events, jobs };
}

/** `<dataDir>/events/<workshop>.jsonl`, as server/store/embedded/embedded-store.ts writes them. */
export function preloadEmbedded(dataDir: string, workshopIds: readonly string[], templates: DayTemplates, size: LogSize): Preloaded {
  const started = performance.now();
  const dir = path.join(dataDir, 'events');
  mkdirSync(dir, { recursive: true });
  const fds = new Map<string, { fd: number; seq: number }>();
  const counts = forEachWorkshopLog(workshopIds, templates, size, (id, batch) => {
    let f = fds.get(id);
    if (!f) {
      f = { fd: openSync(path.join(dir, `${encodeURIComponent(id)}.jsonl`), 'w'), seq: 0 };
      fds.set(id, f);
    }
    if (batch.length === 0) return;
    // Framed as the store frames an append (header first, a commit record per batch); no mark:
    // the store writes it at its first open.
    writeSync(f.fd, frameBatch(f.seq + 1, batch[0]!.at, batch, f.seq === 0).bytes);
    f.seq += batch.length;
  });
  for (const f of fds.values()) closeSync(f.fd);
  return { ...counts, ms: performance.now() - started };
}

/**
 * The stream, id window and counter of server/store/redis/redis-store.ts, with the default key
 * prefix: the window as the hub keeps it (each append drops the ids dated before it), the ids of
 * the last dedupe window and its margin.
 */
export async function preloadRedis(client: Redis, workshopIds: readonly string[], templates: DayTemplates, size: LogSize): Promise<Preloaded> {
  const started = performance.now();
  let events = 0;
  let jobs = 0;
  const inFlight: Promise<unknown>[] = [];
  const windowFrom = Date.now() - DEFAULT_DEDUPE_WINDOW_MS - DEDUPE_MARGIN_MS;
  for (const id of workshopIds) {
    // One workshop's log at a time in memory; a few pipelines in flight keep Redis busy.
    const log: PitwallEvent[] = [];
    const c = forEachWorkshopLog([id], templates, size, (_, batch) => log.push(...batch));
    events += c.events;
    jobs += c.jobs;
    const keys = redisKeys(id);
    for (let from = 0; from < log.length; from += 1000) {
      const pipeline = client.pipeline();
      const chunk = log.slice(from, from + 1000);
      chunk.forEach((event, k) => {
        pipeline.xadd(keys.events, `${from + k + 1}-0`, 'r', event.at, 'e', JSON.stringify(event));
        if (Date.parse(event.at) >= windowFrom) pipeline.zadd(keys.idWindow, Date.parse(event.at), event.id);
      });
      pipeline.set(keys.seq, from + chunk.length);
      inFlight.push(pipeline.exec());
      if (inFlight.length >= 4) await Promise.all(inFlight.splice(0));
    }
  }
  await Promise.all(inFlight);
  return { events, jobs, ms: performance.now() - started };
}
