import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Hub } from '../../server/hub.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { startTestHub, type TestHubOptions } from './test-hub.js';

/**
 * Hubs over one redis-server per test file (several hubs on one Redis, the scale-out
 * topology). Call at the file's top level: it registers the file's hooks. Each `newLog()`
 * starts a fresh key prefix, so the hubs a test starts after it share a log no other test
 * touched; everything a test started (`hub`, `onCleanup`) is closed after it, last first.
 */
export function redisHubs(prefix: string) {
  let redis: RedisServerHandle;
  let run = 0;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    get redisUrl(): string {
      return redis.url;
    },
    newLog(): void {
      run++;
    },
    onCleanup(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },
    /** A listening hub over the current log's Redis store (the store stays open until the hub is closed). */
    async hub(opts: Omit<TestHubOptions, 'store'>): Promise<{ hub: Hub; url: string }> {
      const store = await RedisEventStore.connect(redis.url, { keyPrefix: `${prefix}${run}`, ...(opts.maxEventAgeMs !== undefined && { dedupeWindowMs: opts.maxEventAgeMs }) });
      const t = await startTestHub({ ...opts, store });
      const url = await t.listen();
      cleanups.push(async () => {
        // The hub, then its adapter; the store is ours.
        await t.stop();
        await store.close();
      });
      return { hub: t.hub, url };
    },
  };
}
