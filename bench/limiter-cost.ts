/**
 * What the token budget (server/limits/token-budget.ts) costs the hub per request, in its own
 * process: CPU per take (process.cpuUsage, so a loaded machine inflates it less than wall
 * time), the wall time of one take alone (the Redis round trip a single-event post now waits
 * for), and takes per second with 64 in flight (a hub's concurrent posts share round trips
 * through auto-pipelining). In memory and on a throwaway redis-server, through the same
 * connection settings server/main.ts uses (server/limits/budget-redis.ts), with Redis's AOF
 * fsynced on every write and every second.
 * `npx tsx bench/limiter-cost.ts`
 */
import { budgetRedis } from '../server/limits/budget-redis.js';
import { tokenBudget, type TokenBudget } from '../server/limits/token-budget.js';
import { killAll, startRedis } from './lib/processes.js';

const SEQUENTIAL = 2_000;
const CONCURRENT = 40_000;
const IN_FLIGHT = 64;
/** Many tokens, as many devices would present: one key each. */
const TOKENS = Array.from({ length: 200 }, (_, i) => `bench-token-${String(i).padStart(6, '0')}`);

async function measure(name: string, budget: TokenBudget): Promise<void> {
  // Warm up: script loaded, keys created, JIT settled.
  for (let i = 0; i < 500; i++) await budget.take(TOKENS[i % TOKENS.length]!, 1);

  const walls: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t0 = process.hrtime.bigint();
    await budget.take(TOKENS[i % TOKENS.length]!, 1);
    walls.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  walls.sort((a, b) => a - b);

  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < CONCURRENT) await budget.take(TOKENS[next++ % TOKENS.length]!, 1);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuPerTakeUs = (cpu.user + cpu.system) / CONCURRENT;
  console.log(
    `${name.padEnd(15)} one take alone: p50 ${walls[walls.length >> 1]!.toFixed(0)} µs, p99 ${walls[Math.floor(walls.length * 0.99)]!.toFixed(0)} µs; ` +
      `${IN_FLIGHT} in flight: ${Math.round(CONCURRENT / seconds).toLocaleString('en')} takes/s, ${cpuPerTakeUs.toFixed(1)} µs of hub CPU per take`,
  );
}

async function main(): Promise<void> {
  const limit = 1_000_000_000;
  await measure('memory', tokenBudget({ perMinute: limit }));
  const redis = await startRedis();
  const client = budgetRedis(redis.url, (err) => console.error('redis:', err.message));
  await new Promise<void>((resolve) => client.once('ready', () => resolve()));
  try {
    // The counters are writes like any other: with `appendfsync always` each waits for an fsync.
    for (const fsync of ['always', 'everysec'] as const) {
      await redis.setFsync(fsync);
      await measure(`redis ${fsync}`, tokenBudget({ perMinute: limit, redis: client }));
    }
  } finally {
    client.disconnect();
    await redis.stop();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(killAll);
