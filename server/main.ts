// First: sets the libuv thread pool size before anything starts the pool (see the module).
import './store/embedded/threadpool.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ConfigError, describeDemoTokens, loadHubConfig, readEnv, type HubEnv } from './config/index.js';
import type { DemoSettings } from './config/env.js';
import { createHub, type Hub } from './hub.js';
import type { WorkshopService } from './workshops/workshop-service.js';
import { acceleratedClock } from './sim/demo-clock.js';
import { demoDay } from './sim/demo-day.js';
import { DemoDriver } from './sim/demo-driver.js';
import { LiveDemo } from './sim/live-demo.js';
import type { WorkshopConfig } from '../shared/workshop.js';
import { EmbeddedEventStore } from './store/embedded/embedded-store.js';
import { EventLogError } from './store/embedded/open-log.js';
import { StoreUnavailableError, type EventStore } from './store/event-store.js';
import { RedisEventStore, redactUrl } from './store/redis/redis-store.js';
import { redisAdapter } from './realtime/redis-adapter.js';
import { budgetRedis } from './limits/budget-redis.js';

/**
 * The composition root, and the only place that reads the environment, listens and exits:
 * `createHub` builds the same hub for tests without any of that.
 */

/** A hub that has not shut down by then is stuck (a client holding a request open): exit anyway. */
const SHUTDOWN_GRACE_MS = 5000;
/** ioredis reports every failed reconnect (several a second): log a lasting outage now and then, not each retry. */
const REDIS_ERROR_LOG_EVERY_MS = 30_000;

async function main(): Promise<void> {
  const env = readEnv(process.env);
  // Synchronous writes: log lines stay in order with the start-up banner, and none is lost
  // to process.exit at shutdown. The hub logs little, so the cost does not show.
  const logger = pino({ level: env.logLevel }, pino.destination({ dest: 1, sync: true }));
  const { config, source, demoTokensFile } = await loadHubConfig(env);

  const demo = env.demo ? await prepareDemo(env.demo, config.workshops[0]!, logger) : undefined;
  const store = demo ? demo.store : await openStore(env, logger);
  // With Redis, hubs may share it: the adapter carries their nudges (server/realtime/cluster.ts).
  const fanout = env.redisUrl !== undefined && !demo ? redisAdapter(env.redisUrl, throttled(logger)) : undefined;
  // …and one budget per token across them (server/limits/token-budget.ts).
  const limiterRedis = env.redisUrl !== undefined && !demo ? budgetRedis(env.redisUrl, throttled(logger)) : undefined;
  let hub: Hub;
  try {
    hub = await createHub({
      ...(fanout && { adapter: fanout.adapter }),
      ...(limiterRedis && { rateLimitRedis: limiterRedis }),
      config,
      store,
      logger,
      rateLimitPerMinute: env.rateLimitPerMinute,
      maxSocketsPerAddress: env.maxSocketsPerAddress,
      maxEventAgeMs: env.maxEventAgeDays * 86_400_000,
      trustProxy: env.trustProxy,
      connectTimeoutMs: env.connectTimeoutMs,
      maxConnections: env.maxConnections,
      clientDir: findClientDir(),
      ...(demo && { clock: demo.clock }),
    });
  } catch (err) {
    limiterRedis?.disconnect();
    await store.close();
    throw err;
  }

  await listen(hub.httpServer, env.port, env.host);
  const baseUrl = publicUrl(hub.httpServer, env.host);
  logger.info({ url: baseUrl, workshops: config.workshops.map((w) => w.id), config: source === 'file' ? env.configPath : 'built-in demo' }, `Pitwall hub listening on ${baseUrl}`);
  if (source === 'demo') {
    // Plain lines on stdout, not JSON: this is for the person who just typed `npm start`.
    const lines = describeDemoTokens(config, baseUrl);
    process.stdout.write(
      `\nDemo workshop (no PITWALL_CONFIG set). Tokens (kept in ${demoTokensFile ?? 'the data directory'}) and the pages they open:\n` +
        `${lines.map((l) => `  ${l}`).join('\n')}\n\n`,
    );
  }

  demo?.play(hub.service);
  // `npm start` with no config: the demo workshop lives a simulated day in real time.
  const live = source === 'demo' && !demo && env.liveDemo ? new LiveDemo({ service: hub.service, workshop: config.workshops[0]!, clock: Date.now, logger }) : undefined;
  live?.start();
  handleShutdown(hub, store, logger, async () => {
    live?.stop();
    await fanout?.close();
    limiterRedis?.disconnect();
    await demo?.cleanup();
  });
}

/**
 * PITWALL_DEMO: the first workshop gets a simulated day on an accelerated clock. Its events
 * go to a throwaway embedded store, never into real data, and the store is removed at exit.
 */
async function prepareDemo(settings: DemoSettings, workshop: WorkshopConfig, logger: Logger) {
  const day = demoDay(settings, workshop, Date.now());
  const clock = acceleratedClock(day.startMs, settings.speed);
  const dir = await mkdtemp(join(tmpdir(), 'pitwall-demo-'));
  const store = await EmbeddedEventStore.open(dir);
  logger.info(
    { demo: settings, date: day.date, events: day.events.length, store: dir },
    `demo: playing a simulated ${settings.day} (${day.date}) at ${settings.speed}× from ${settings.start} into workshop ${workshop.id}; throwaway store at ${dir}`,
  );
  return {
    store,
    clock,
    play(service: WorkshopService) {
      new DemoDriver({ service, workshopId: workshop.id, events: day.events, clock, logger }).start();
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

async function openStore(env: HubEnv, logger: Logger): Promise<EventStore> {
  if (env.redisUrl !== undefined) {
    let store: RedisEventStore;
    try {
      store = await RedisEventStore.connect(env.redisUrl, { onError: throttled(logger) });
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      // Without its log the hub has no state to serve; a supervisor (compose, systemd) retries the start.
      throw new StartupError(`Cannot reach Redis at ${redactUrl(env.redisUrl)} (REDIS_URL): ${err.message.replace(/\.$/, '')}. Start Redis, or unset REDIS_URL to use the embedded store.`);
    }
    logger.info({ store: 'redis' }, `store: redis at ${store.describe()}`);
    return store;
  }
  const store = await EmbeddedEventStore.open(env.dataDir, { onWarning: (message) => logger.warn({ store: 'embedded' }, message) });
  logger.info(
    { store: 'embedded', dataDir: env.dataDir },
    `store: embedded at ${env.dataDir} (no REDIS_URL set; set REDIS_URL=redis://… to use Redis, e.g. to run several hubs)`,
  );
  return store;
}

/** A start-up failure whose message says it all: printed without a stack. */
class StartupError extends Error {}


function throttled(logger: Logger): (err: Error) => void {
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

/** `client/dist` beside the sources: two levels up from dist/server/main.js, one from server/main.ts under tsx. */
function findClientDir(): string {
  const candidates = ['../client/dist', '../../client/dist'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The URL to print: the real port (PORT=0 picks one) and a host a browser can open. */
function publicUrl(server: HttpServer, host: string): string {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function handleShutdown(hub: Hub, store: EventStore, logger: Logger, cleanup?: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the operator does not want to wait.
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      logger.error(`still shutting down after ${SHUTDOWN_GRACE_MS} ms: exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    void (async () => {
      try {
        await hub.close();
        // Only once no ingest is in flight: an accepted event must reach the disk first.
        await store.close();
        await cleanup?.();
        logger.info('stopped');
        process.exit(0);
      } catch (err) {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof StartupError || err instanceof EventLogError) {
    // The message already names the file, the field and the problem; a stack would bury it.
    process.stderr.write(`${err.message}\n`);
  } else if (err instanceof StoreUnavailableError) {
    process.stderr.write(`Cannot start: the event store is unavailable: ${err.message}\n`);
  } else if (isListenError(err)) {
    process.stderr.write(`Cannot listen on ${err.address ?? ''}:${err.port ?? ''}: ${err.code === 'EADDRINUSE' ? 'the port is already in use (set PORT to another one)' : err.message}\n`);
  } else {
    process.stderr.write(`Pitwall failed to start:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});

function isListenError(err: unknown): err is NodeJS.ErrnoException & { address?: string; port?: number } {
  return err instanceof Error && (err as NodeJS.ErrnoException).syscall === 'listen';
}
