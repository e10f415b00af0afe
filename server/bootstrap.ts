import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { HubEnv } from './config/env.js';
import { createHub, type Hub, type HubDeps } from './hub.js';
import { budgetReady, budgetRedis } from './limits/budget-redis.js';
import { redisAdapter } from './realtime/redis-adapter.js';
import { EmbeddedEventStore } from './store/embedded/embedded-store.js';
import { StoreUnavailableError, type EventStore } from './store/event-store.js';
import type { RedisClient } from './store/redis/redis-client.js';
import { RedisEventStore } from './store/redis/redis-store.js';
import { redactRedisUrl } from './config/redis-url.js';

/**
 * The one wiring of a hub: the event store, and with Redis the Socket.IO adapter that links
 * the hubs and the connection their shared token budget counts on, then `createHub` with the
 * limits and timings; `stop()` closes what it opened, in order. `server/main.ts`,
 * `bench/hub-entry.ts` and the tests' `startTestHub` all start hubs through it, so a part
 * added here reaches the process, the benchmark and the tests alike.
 */

/** Where the events live, when the bootstrap opens the store itself (and closes it at stop). */
export type StoreLocation = { redisUrl: string } | { dataDir: string };

export interface BootstrapOptions extends Omit<HubDeps, 'store' | 'adapter' | 'rateLimitRedis'> {
  /** An opened store stays its opener's to close; a location is opened here and closed by `stop()`. */
  store: EventStore | StoreLocation;
  /** Link this hub with the others on this Redis through the Socket.IO adapter (server/realtime/cluster.ts). */
  adapterRedisUrl?: string;
  /** Count the tokens' budget on this Redis, shared by every hub on it; an opened connection stays its opener's. */
  rateLimitRedis?: string | RedisClient;
  /** ioredis's connection errors (it reconnects by itself); default: a warning now and then (`throttledRedisErrors`). */
  onRedisError?: (err: Error) => void;
}

export interface BootedHub {
  hub: Hub;
  store: EventStore;
  /** Closes the hub (sockets, HTTP, in-flight ingests), then the store, adapter and budget connection it opened. */
  stop(): Promise<void>;
}

/** A start-up failure whose message says it all: printed without a stack. */
export class StartupError extends Error {}

/** ioredis reports every failed reconnect (several a second): log a lasting outage now and then, not each retry. */
const REDIS_ERROR_LOG_EVERY_MS = 30_000;

export async function bootstrapHub(opts: BootstrapOptions): Promise<BootedHub> {
  const { store: storeOption, adapterRedisUrl, rateLimitRedis, onRedisError, ...deps } = opts;
  // One throttle per connection, as each reports its own outage.
  const onError = () => onRedisError ?? throttledRedisErrors(opts.logger);
  const closers: (() => Promise<void> | void)[] = [];
  const stopOpened = async () => {
    for (const close of closers.splice(0).reverse()) await close();
  };
  try {
    const store = isStore(storeOption) ? storeOption : await openStore(storeOption, opts.logger, onError(), deps.maxEventAgeMs);
    if (!isStore(storeOption)) closers.push(() => store.close());
    const fanout = adapterRedisUrl !== undefined ? redisAdapter(adapterRedisUrl, onError()) : undefined;
    if (fanout) closers.push(() => fanout.close());
    const budget = typeof rateLimitRedis === 'string' ? budgetRedis(rateLimitRedis, onError()) : rateLimitRedis;
    if (typeof rateLimitRedis === 'string') closers.push(() => budget?.disconnect());
    if (budget && !(await budgetReady(budget))) opts.logger.warn('the rate budget\'s Redis connection is not ready yet: each hub counts in memory until it is');
    const hub = await createHub({ ...deps, store, ...(fanout && { adapter: fanout.adapter }), ...(budget && { rateLimitRedis: budget }) });
    closers.push(() => hub.close());
    let stopping: Promise<void> | undefined;
    // Only once no ingest is in flight does the store close: an accepted event must reach the disk first.
    return { hub, store, stop: () => (stopping ??= stopOpened()) };
  } catch (err) {
    await stopOpened();
    throw err;
  }
}

/** The hub's limits as the environment sets them (server/config/env.ts, docs/operations.md). */
export function limitsFromEnv(
  env: HubEnv,
): Pick<HubDeps, 'rateLimitPerMinute' | 'maxSocketsPerAddress' | 'maxEventAgeMs' | 'idleCloseMs' | 'archiveDir' | 'logRetentionMs' | 'trustProxy' | 'connectTimeoutMs' | 'maxConnections' | 'metricsToken' | 'customers' | 'tls'> {
  return {
    rateLimitPerMinute: env.rateLimitPerMinute,
    maxSocketsPerAddress: env.maxSocketsPerAddress,
    maxEventAgeMs: env.maxEventAgeDays * 86_400_000,
    idleCloseMs: env.idleCloseMinutes * 60_000,
    archiveDir: env.archiveDir,
    logRetentionMs: env.logRetentionDays * 86_400_000,
    trustProxy: env.trustProxy,
    connectTimeoutMs: env.connectTimeoutMs,
    maxConnections: env.maxConnections,
    ...(env.metricsToken !== undefined && { metricsToken: env.metricsToken }),
    customers: {
      linkTtlMs: env.customerLinkHours * 3_600_000,
      ratePerMinute: env.customerRateLimitPerMinute,
      ...(env.customerLinkSecret !== undefined && { linkSecret: env.customerLinkSecret }),
    },
    ...(env.tls !== undefined && { tls: { cert: env.tls.cert, key: env.tls.key } }),
  };
}

/** The webhooks' settings as the environment sets them (docs/operations.md, "Webhooks"); `secretEnv` variables are read from `processEnv`. */
export function webhooksFromEnv(env: HubEnv, processEnv: NodeJS.ProcessEnv): Pick<HubDeps, 'webhookQueue' | 'webhookEnv' | 'configSource'> {
  return {
    webhookQueue: { timeoutMs: env.webhookTimeoutMs, retryForMs: env.webhookRetryMinutes * 60_000, cap: env.webhookQueueCap },
    webhookEnv: processEnv,
    ...(env.configPath !== undefined && { configSource: env.configPath }),
  };
}

/** REDIS_URL set: the log in Redis, shared with the other hubs, which link through the adapter and share the budget. */
export function connectionsFromEnv(env: HubEnv): Pick<BootstrapOptions, 'store' | 'adapterRedisUrl' | 'rateLimitRedis'> {
  if (env.redisUrl === undefined) return { store: { dataDir: env.dataDir } };
  return { store: { redisUrl: env.redisUrl }, adapterRedisUrl: env.redisUrl, rateLimitRedis: env.redisUrl };
}

/**
 * An opened store has methods; a location is plain data. Not `'dataDir' in s`: the embedded
 * store keeps its own `dataDir` field, and a wrapped store (a test's fault injection) inherits it.
 */
function isStore(s: EventStore | StoreLocation): s is EventStore {
  return typeof (s as Partial<EventStore>).append === 'function';
}

/** `maxEventAgeMs`, the hub's too_old window, is also the stores' dedupe window (event-store.ts, DedupeOptions). */
async function openStore(at: StoreLocation, logger: Logger, onError: (err: Error) => void, maxEventAgeMs: number | undefined): Promise<EventStore> {
  const window = maxEventAgeMs !== undefined ? { dedupeWindowMs: maxEventAgeMs } : {};
  if ('redisUrl' in at) {
    let store: RedisEventStore;
    try {
      store = await RedisEventStore.connect(at.redisUrl, { onError, onWarning: throttledWarnings(logger), ...window });
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      // Without its log the hub has no state to serve; a supervisor (compose, systemd) retries the start.
      throw new StartupError(`Cannot reach Redis at ${redactRedisUrl(at.redisUrl)} (REDIS_URL): ${err.message.replace(/\.$/, '')}. Start Redis, or unset REDIS_URL to use the embedded store.`);
    }
    logger.info({ store: 'redis' }, `store: redis at ${store.describe()}`);
    return store;
  }
  const store = await EmbeddedEventStore.open(at.dataDir, {
    onWarning: (message) => logger.warn({ store: 'embedded' }, message),
    // Checked after start-up, so a chain's thousand logs do not hold it; a damaged one takes its workshop out, not the hub.
    inBackground: {
      onDamage: (workshopId, err) => logger.error({ store: 'embedded', workshopId }, `workshop ${workshopId} is unavailable until its log is repaired: ${err.message}`),
      onChecked: (logs, ms) => logger.info({ store: 'embedded', logs, ms: Math.round(ms) }, `event logs checked: ${logs} in ${(ms / 1000).toFixed(2)} s`),
    },
    ...window,
  });
  logger.info(
    { store: 'embedded', dataDir: at.dataDir },
    `store: embedded at ${at.dataDir} (no REDIS_URL set; set REDIS_URL=redis://… to use Redis, e.g. to run several hubs)`,
  );
  return store;
}

/** A warning per kind of Redis error, then at most one every 30 s with how many were left out. */
export function throttledRedisErrors(logger: Logger): (err: Error) => void {
  let lastLoggedAt = -Infinity;
  let lastMessage = '';
  let suppressed = 0;
  return (err) => {
    const now = Date.now();
    if (err.message === lastMessage && now - lastLoggedAt < REDIS_ERROR_LOG_EVERY_MS) {
      suppressed++;
      return;
    }
    logger.warn({ err: err.message, repeated: suppressed }, 'redis connection error (the client keeps reconnecting)');
    lastLoggedAt = now;
    lastMessage = err.message;
    suppressed = 0;
  };
}

/** The store's warnings (a cluster append no replica confirmed): each kind at most once every 30 s. */
function throttledWarnings(logger: Logger): (message: string) => void {
  const lastLoggedAt = new Map<string, number>();
  return (message) => {
    const kind = message.replace(/\{[^}]*\}/g, '{…}');
    const now = Date.now();
    if (now - (lastLoggedAt.get(kind) ?? -Infinity) < REDIS_ERROR_LOG_EVERY_MS) return;
    lastLoggedAt.set(kind, now);
    logger.warn({ store: 'redis' }, message);
  };
}

/** Listens on `host:port`; rejects with the listen error (EADDRINUSE…) instead of emitting it. */
export function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
