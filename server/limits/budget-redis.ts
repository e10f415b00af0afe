import { createRedisClient, isCluster, type RedisClient } from '../store/redis/redis-client.js';

/**
 * The rate limiter's own Redis connection (server/limits/token-budget.ts). Not the store's:
 * the store queues commands through a reconnect and waits up to a second for each, which is
 * right for an append that must not be lost and wrong for a check that sits in front of every
 * read. Here a command fails at once while Redis is away (no offline queue) or after
 * BUDGET_COMMAND_TIMEOUT_MS, and the limiter counts in memory meanwhile.
 */

/** A budget check slower than this counts in memory instead (a board's read must not wait on it). */
export const BUDGET_COMMAND_TIMEOUT_MS = 500;

export function budgetRedis(url: string, onError: (err: Error) => void): RedisClient {
  const client = createRedisClient(url, {
    enableOfflineQueue: false,
    commandTimeout: BUDGET_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    // On a cluster, a check on a lost master fails at once too (no waiting for the failover).
    retryThroughFailover: false,
    // One request's check and the next share a round trip when they arrive together.
    enableAutoPipelining: true,
    // Never give up reconnecting: the shared budget comes back with Redis.
    reconnectDelay: (attempt: number) => Math.min(attempt * 100, 1000),
  });
  // Without a listener an 'error' (connection refused, reset…) would crash the process.
  client.on('error', onError);
  if (isCluster(client)) client.on('node error', onError);
  return client;
}

/** How long a starting hub waits for its budget connection before it counts in memory. */
export const BUDGET_READY_WAIT_MS = 3000;

/**
 * Resolves once `client` is ready, or false after `ms`. A hub that answered before its budget
 * connection was up would give a terminal's first minute a budget of its own on every hub (the
 * memory insurance); waiting a bounded moment at start-up shares the budget from the first
 * request, and a Redis that is away still cannot hold the hub's start.
 */
export function budgetReady(client: RedisClient, ms = BUDGET_READY_WAIT_MS): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    client.on('ready', onReady);
  });
}
