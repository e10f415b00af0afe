// First: sets the libuv thread pool size before anything starts the pool (see the module).
import '../server/store/embedded/threadpool.js';
import type { Server as HttpServer } from 'node:http';
import { pino } from 'pino';
import { bootstrapHub, connectionsFromEnv, limitsFromEnv } from '../server/bootstrap.js';
import { loadHubConfig, readEnv } from '../server/config/index.js';

/**
 * The hub as server/main.ts wires it (the same environment and the same `bootstrapHub`: store,
 * adapter, shared budget, every limit), plus the broadcaster timings the bootstrap takes for
 * tests and benchmarks, from the environment: BENCH_HEARTBEAT_MS, BENCH_COALESCE_MS,
 * BENCH_MAX_BUFFERED_BYTES. The harness uses it only where it needs them (the fan-out test
 * drives every room by its heartbeat); every other figure comes from server/main.ts itself.
 */

function tuning(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}="${raw}" is not a number of milliseconds / bytes`);
  return n;
}

async function main(): Promise<void> {
  const env = readEnv(process.env);
  const logger = pino({ level: env.logLevel }, pino.destination({ dest: 1, sync: true }));
  const { config } = await loadHubConfig(env);
  const heartbeatMs = tuning('BENCH_HEARTBEAT_MS');
  const coalesceMs = tuning('BENCH_COALESCE_MS');
  const maxBufferedBytes = tuning('BENCH_MAX_BUFFERED_BYTES');
  const { hub, stop: stopHub } = await bootstrapHub({
    config,
    logger,
    ...connectionsFromEnv(env),
    ...limitsFromEnv(env),
    ...(heartbeatMs !== undefined && { heartbeatMs }),
    ...(coalesceMs !== undefined && { coalesceMs }),
    ...(maxBufferedBytes !== undefined && { maxBufferedBytes }),
  });
  await listen(hub.httpServer, env.port, env.host);
  logger.info({ port: env.port, heartbeatMs, coalesceMs, maxBufferedBytes }, 'bench hub listening');

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 5000).unref();
    void (async () => {
      await stopHub();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
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

main().catch((err: unknown) => {
  process.stderr.write(`bench hub failed to start:\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
