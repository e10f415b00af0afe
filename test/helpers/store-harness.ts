import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import type { EventStore, StoreKind } from '../../server/store/event-store.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import { startRedisCluster, type RedisClusterHandle } from './redis-cluster.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';

/** The two stores behind one set-up, so every suite that matters runs against both. */

/** How each store is set up: `fresh` gives each test empty data, `open` a new instance over it. */
export interface Harness {
  kind: StoreKind;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  fresh(): Promise<void>;
  open(): Promise<EventStore>;
}

export function embeddedHarness(): Harness & { dir(): string; warnings: string[] } {
  const dirs: string[] = [];
  const warnings: string[] = [];
  return {
    kind: 'embedded',
    warnings,
    dir: () => dirs.at(-1)!,
    async setup() {},
    async teardown() {
      await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
    },
    async fresh() {
      dirs.push(await mkdtemp(path.join(os.tmpdir(), 'pitwall-store-')));
      warnings.length = 0;
    },
    open: () => EmbeddedEventStore.open(dirs.at(-1)!, { onWarning: (w) => warnings.push(w) }),
  };
}

export function redisHarness(): Harness & { server(): RedisServerHandle } {
  let server: RedisServerHandle | undefined;
  let run = 0;
  return {
    kind: 'redis',
    server: () => server!,
    async setup() {
      server = await startRedisServer();
    },
    async teardown() {
      await server?.stop();
    },
    // A new key prefix per test instead of FLUSHALL: no admin client needed.
    async fresh() {
      run++;
    },
    open: () => RedisEventStore.connect(server!.url, { keyPrefix: `test${run}` }),
  };
}


/** The Redis store on a 6-node Redis Cluster (test/helpers/redis-cluster.ts): same store, same contract. */
export function redisClusterHarness(): Harness & { label: string; cluster(): RedisClusterHandle } {
  let cluster: RedisClusterHandle | undefined;
  let run = 0;
  return {
    kind: 'redis',
    label: 'redis cluster',
    cluster: () => cluster!,
    async setup() {
      cluster = await startRedisCluster();
      await cluster.waitUntilHealthy();
    },
    async teardown() {
      await cluster?.stop();
    },
    async fresh() {
      run++;
    },
    open: () => RedisEventStore.connect(cluster!.url, { keyPrefix: `cluster${run}` }),
  };
}
