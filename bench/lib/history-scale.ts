import type { Redis } from 'ioredis';
import { writeBenchConfig } from './config.js';
import { firstRun, timedGet, type FirstStart, type HistoryDeps } from './history-http.js';
import { preloadEmbedded, preloadRedis } from './preload.js';
import { removeTempDir, startRedis, tempDir, type HubHandle } from './processes.js';
import type { DayTemplates } from './traffic.js';
import { procSample, sleep, summarise, wallMs, type Summary } from './util.js';

/**
 * Parts 2 and 3 of the history section (history-phase.ts): many workshops with short logs
 * restarted (a hub that opens workshops on demand should be up and small before anyone asks),
 * and what a workshop-year costs in Redis's memory.
 */

export interface ManyWorkshopsResult {
  workshops: number;
  daysEach: number;
  events: number;
  preloadSeconds: number;
  firstStart: FirstStart;
  toHealthySeconds: number;
  /** Spawn → the hub's "event logs checked" line (null: it never said so), and the check's own time. */
  logsCheckedSeconds: number | null;
  logsCheckMs: number | null;
  /** After every log is loaded and a moment for the heap to settle, before any request. */
  rssBeforeUseBytes: number | null;
  /** The first board of each of these workshops, one after another. */
  coldWorkshops: string[];
  coldBoardMs: Summary;
  coldBoardSamplesMs: number[];
  rssAfterBoardsBytes: number | null;
}

/** `count` workshops spread over all of them (the first, and evenly after it), each asked once. */
function spread(ids: readonly string[], count: number): string[] {
  const n = Math.min(count, ids.length);
  return Array.from({ length: n }, (_, i) => ids[Math.floor((i * ids.length) / n)]!);
}

export async function manyWorkshops(deps: HistoryDeps, templates: DayTemplates): Promise<ManyWorkshopsResult> {
  const { sizes } = deps;
  const config = writeBenchConfig(deps.work, sizes.workshops, templates.shape, 'pitwall-history-many.json');
  const ids = config.workshops.map((w) => w.id);
  const dataDir = tempDir('pitwall-bench-history-many-');
  try {
    const loaded = preloadEmbedded(dataDir, ids, templates, { days: sizes.workshopDays });
    deps.log(`history many: ${ids.length} workshops × ${sizes.workshopDays} day(s), ${loaded.events.toLocaleString('en-US')} events preloaded in ${(loaded.ms / 1000).toFixed(1)} s`);
    // Started and stopped once first (a version with checkpoints writes one per workshop then); the restart is measured.
    const firstStart = await firstRun(deps, 'history-many-first', config.file, { dataDir }, ids[0]!, config.boardToken);
    const hub = await deps.startHub('history-many', config.file, { dataDir });
    try {
      // The embedded store checks its logs after /healthz (log-opening.ts): RSS before use is taken once they are all loaded.
      const logsChecked = await logsCheckedAfter(hub, HUB_LOGS_CHECKED_TIMEOUT_MS);
      await sleep(deps.smoke ? 200 : 1000);
      const rssBeforeUseBytes = procSample(hub.pid)?.rssBytes ?? null;
      const cold = spread(ids, sizes.coldBoards);
      const samples: number[] = [];
      for (const id of cold) samples.push((await timedGet(hub.url, `/api/v1/workshops/${id}/board`, config.boardToken)).ms);
      const result: ManyWorkshopsResult = {
        workshops: ids.length,
        daysEach: sizes.workshopDays,
        events: loaded.events,
        preloadSeconds: loaded.ms / 1000,
        firstStart,
        toHealthySeconds: (hub.readyAt - hub.spawnedAt) / 1000,
        logsCheckedSeconds: logsChecked === null ? null : logsChecked.at - hub.spawnedAt / 1000,
        logsCheckMs: logsChecked?.ms ?? null,
        rssBeforeUseBytes,
        coldWorkshops: cold,
        coldBoardMs: summarise(samples),
        coldBoardSamplesMs: samples,
        rssAfterBoardsBytes: procSample(hub.pid)?.rssBytes ?? null,
      };
      deps.log(
        `  first start ${firstStart.toHealthySeconds.toFixed(2)} s; restart → /healthz ${result.toHealthySeconds.toFixed(2)} s, logs checked ${result.logsCheckedSeconds?.toFixed(2) ?? 'n/a'} s, RSS ${((rssBeforeUseBytes ?? NaN) / 2 ** 20).toFixed(0)} MB; ` +
          `${cold.length} cold boards p95 ${result.coldBoardMs.p95?.toFixed(0)} ms`,
      );
      return result;
    } finally {
      await hub.stop('SIGTERM');
    }
  } finally {
    removeTempDir(dataDir);
  }
}

const HUB_LOGS_CHECKED_TIMEOUT_MS = 120_000;

/** When the hub logged that its embedded logs are all checked (seconds, the wall clock of wallMs), and how long it said the check took; null if it did not within `timeoutMs`. */
async function logsCheckedAfter(hub: HubHandle, timeoutMs: number): Promise<{ at: number; ms: number } | null> {
  const deadline = wallMs() + timeoutMs;
  while (wallMs() < deadline) {
    const line = hub.output().split('\n').find((l) => l.includes('"event logs checked'));
    if (line) return { at: wallMs() / 1000, ms: (JSON.parse(line) as { ms: number }).ms };
    await sleep(25);
  }
  return null;
}

export interface RedisYearResult {
  days: number;
  events: number;
  preloadSeconds: number;
  usedMemoryBeforeBytes: number;
  usedMemoryAfterPreloadBytes: number;
  /** After a hub has started on the log and stopped (a version with roll-ups in Redis writes them then). */
  usedMemoryAfterHubBytes: number;
  firstStart: FirstStart;
  /** (after hub − before), scaled to 365 days when fewer were written. */
  perWorkshopYearBytes: number;
}

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  const bytes = Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
  if (!Number.isFinite(bytes)) throw new Error(`INFO memory has no used_memory line: ${info.slice(0, 200)}`);
  return bytes;
}

/** One workshop-year written into a redis-server of its own (nothing else in it), a hub started and stopped on it. */
export async function redisYear(deps: HistoryDeps, templates: DayTemplates): Promise<RedisYearResult> {
  const days = deps.sizes.redisDays;
  const config = writeBenchConfig(deps.work, 1, templates.shape, 'pitwall-history-redis.json');
  const id = config.workshops[0]!.id;
  const redis = await startRedis();
  const dataDir = tempDir('pitwall-bench-history-redis-');
  try {
    const before = await usedMemory(redis.client);
    // The preload is the harness's writing, not the hub's: no fsync per write (as run.ts's preload).
    await redis.setFsync('everysec');
    const loaded = await preloadRedis(redis.client, [id], templates, { days });
    await redis.setFsync('always');
    const afterPreload = await usedMemory(redis.client);
    const firstStart = await firstRun(deps, 'history-redis-first', config.file, { dataDir, redisUrl: redis.url }, id, config.boardToken);
    const afterHub = await usedMemory(redis.client);
    const result: RedisYearResult = {
      days,
      events: loaded.events,
      preloadSeconds: loaded.ms / 1000,
      usedMemoryBeforeBytes: before,
      usedMemoryAfterPreloadBytes: afterPreload,
      usedMemoryAfterHubBytes: afterHub,
      firstStart,
      perWorkshopYearBytes: ((afterHub - before) * 365) / days,
    };
    deps.log(`history redis: ${days} days, ${loaded.events.toLocaleString('en-US')} events; used_memory ${(before / 2 ** 20).toFixed(1)} → ${(afterPreload / 2 ** 20).toFixed(1)} → ${(afterHub / 2 ** 20).toFixed(1)} MB after a hub`);
    return result;
  } finally {
    removeTempDir(dataDir);
    await redis.stop();
  }
}
