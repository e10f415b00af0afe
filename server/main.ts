// First: sets the libuv thread pool size before anything starts the pool (see the module).
import './store/embedded/threadpool.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Server as HttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { ConfigError, describeDemoTokens, loadHubConfig, readEnv } from './config/index.js';
import type { DemoSettings } from './config/env.js';
import { bootstrapHub, connectionsFromEnv, limitsFromEnv, listen, StartupError, webhooksFromEnv, type BootedHub } from './bootstrap.js';
import type { WorkshopService } from './workshops/workshop-service.js';
import { acceleratedClock } from './sim/demo-clock.js';
import { demoDay, demoRota } from './sim/demo-day.js';
import { preloadDemoHistory } from './sim/demo-preload.js';
import { DemoDriver } from './sim/demo-driver.js';
import { LiveDemo } from './sim/live-demo.js';
import type { WorkshopConfig } from '../shared/workshop.js';
import { EventLogError } from './store/embedded/open-log.js';
import { StoreUnavailableError } from './store/event-store.js';

/**
 * The composition root, and the only place that reads the environment, listens and exits:
 * `bootstrapHub` (server/bootstrap.ts) wires the same hub for the benchmark and the tests.
 */

/** A hub that has not shut down by then is stuck (a client holding a request open): exit anyway. */
const SHUTDOWN_GRACE_MS = 5000;

async function main(): Promise<void> {
  const env = readEnv(process.env);
  // Synchronous writes: log lines stay in order with the start-up banner, and none is lost
  // to process.exit at shutdown. The hub logs little, so the cost does not show.
  const logger = pino({ level: env.logLevel }, pino.destination({ dest: 1, sync: true }));
  const { config, source, demoTokensFile } = await loadHubConfig(env);

  const limits = limitsFromEnv(env);
  const demo = env.demo ? await prepareDemo(env.demo, config.workshops[0]!, limits.maxEventAgeMs, logger) : undefined;
  let booted: BootedHub;
  try {
    booted = await bootstrapHub({
      config,
      logger,
      ...limits,
      // The demo's throwaway store, alone: never Redis, never shared with other hubs, its archive inside it.
      ...(demo ? { store: demo.store, clock: demo.clock, archiveDir: demo.archiveDir } : connectionsFromEnv(env)),
      ...webhooksFromEnv(env, process.env),
      clientDir: findClientDir(),
    });
  } catch (err) {
    await demo?.store.close();
    throw err;
  }
  const { hub } = booted;

  await listen(hub.httpServer, env.port, env.host);
  const baseUrl = publicUrl(hub.httpServer, env.host, env.tls !== undefined);
  if (env.tls) logger.info({ cert: env.tls.certFile, key: env.tls.keyFile, validTo: env.tls.validTo }, 'serving HTTPS (PITWALL_TLS_CERT, PITWALL_TLS_KEY)');
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
  if (demo) logger.info({ startupMs: Math.round(performance.now()) }, `demo: ready ${Math.round(performance.now())} ms after the process started`);
  // `npm start` with no config: the demo workshop lives a simulated day in real time.
  const live = source === 'demo' && !demo && env.liveDemo ? new LiveDemo({ service: hub.service, workshop: config.workshops[0]!, clock: Date.now, logger }) : undefined;
  live?.start();
  handleShutdown(booted, logger, async () => {
    live?.stop();
    await demo?.store.close();
    await demo?.cleanup();
  });
}

/**
 * PITWALL_DEMO: the first workshop gets a simulated day on an accelerated clock, after eight
 * weeks of simulated history (demo-preload.ts: written straight into the log with a
 * checkpoint, so the workshop opens at once). Its events go to a throwaway embedded store,
 * never into real data, and the store is removed at exit.
 */
async function prepareDemo(settings: DemoSettings, workshop: WorkshopConfig, maxEventAgeMs: number | undefined, logger: Logger) {
  const simulating = performance.now();
  // The day, its weeks before and the bookings ahead, simulated once (demo-calendar.ts).
  const day = demoDay(settings, workshop, Date.now());
  const simulateMs = Math.round(performance.now() - simulating);
  const clock = acceleratedClock(day.startMs, settings.speed);
  const dir = await mkdtemp(join(tmpdir(), 'pitwall-demo-'));
  const history = await preloadDemoHistory({ dataDir: dir, workshop, date: day.date, rota: demoRota(workshop), history: day.history, now: day.startMs, ...(maxEventAgeMs !== undefined && { maxEventAgeMs }) });
  const { store } = history;
  history.ms.simulate += simulateMs;
  logger.info(
    { demo: settings, date: day.date, events: day.events.length, history: { days: history.days, events: history.events, ms: history.ms }, store: dir },
    `demo: ${history.days} days of history (${history.events} events) ready in ${Object.values(history.ms).reduce((a, b) => a + b, 0)} ms; playing a simulated ${settings.day} (${day.date}) at ${settings.speed}× from ${settings.start} into workshop ${workshop.id}; throwaway store at ${dir}`,
  );
  return {
    store,
    clock,
    archiveDir: join(dir, 'archive'),
    play(service: WorkshopService) {
      new DemoDriver({ service, workshopId: workshop.id, events: day.events, clock, logger }).start();
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `client/dist` beside the sources: two levels up from dist/server/main.js, one from server/main.ts under tsx. */
function findClientDir(): string {
  const candidates = ['../client/dist', '../../client/dist'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}


/** The URL to print: the real port (PORT=0 picks one) and a host a browser can open. */
function publicUrl(server: HttpServer, host: string, https: boolean): string {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${https ? 'https' : 'http'}://${shown}:${port}`;
}

function handleShutdown(booted: BootedHub, logger: Logger, cleanup?: () => Promise<void>): void {
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
        // The hub first, then its store: an accepted event must reach the disk before the store closes.
        await booted.stop();
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
