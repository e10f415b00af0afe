import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { parseRedisUrl } from '../../config/redis-url.js';

/**
 * The one place a Redis connection is made (the event store, the token budget, the Socket.IO
 * adapter): REDIS_URL names a server (`redis://`) or a Redis Cluster (`redis+cluster://seed1,
 * seed2…`, server/config/redis-url.ts), and each caller gets an ioredis `Redis` or `Cluster`
 * (the same command API) with its own timeouts and retry policy applied to either.
 *
 * On a cluster the policy reaches every node connection (`redisOptions`), and the cluster's own
 * reconnect follows the same schedule. Node connections are not reconnected one by one
 * (ioredis's default): a node that is gone is dropped, the next command for its slots meets an
 * error or a MOVED, and the client asks the cluster for its slots again, which is how it finds
 * a promoted replica after a failover without the hub restarting.
 */

export type RedisClient = Redis | Cluster;

export interface RedisClientPolicy {
  /** Per command, from when it is written to the socket. */
  commandTimeout?: number;
  connectTimeout?: number;
  /** Resends of a command after its connection dropped (null: until it goes through). */
  maxRetriesPerRequest: number | null;
  /** false: a command fails at once while there is no connection, instead of waiting for one. */
  enableOfflineQueue?: boolean;
  enableAutoPipelining?: boolean;
  /** The delay before reconnect attempt n (never giving up: a hub outlives any Redis restart). */
  reconnectDelay: (attempt: number) => number;
  /** Cluster only: a connection per master for SSUBSCRIBE (the sharded Socket.IO adapter). */
  shardedSubscribers?: boolean;
  /**
   * Cluster only: false fails a command at once when its node is lost or the cluster is down,
   * instead of retrying it until a replica is promoted (for a caller that has a fallback).
   */
  retryThroughFailover?: boolean;
}

/**
 * During a failover a command to the lost master fails with "Connection is closed" and then
 * CLUSTERDOWN until a replica is promoted (cluster-node-timeout plus an election, a few
 * seconds). ioredis retries it after these delays, refreshing the slots each time, up to
 * `maxRedirections` times; callers bound the whole by their own deadline.
 */
const FAILOVER_RETRY_DELAY_MS = 200;
/** Asking the cluster for its slots gives up after this (a seed that hangs must not stall start-up). */
const SLOTS_REFRESH_TIMEOUT_MS = 1000;
/** The slots are also read on this period, so a failover with no traffic to notice it is still found. */
const SLOTS_REFRESH_INTERVAL_MS = 5000;

export function createRedisClient(url: string, policy: RedisClientPolicy): RedisClient {
  const target = parseRedisUrl(url);
  const { reconnectDelay, shardedSubscribers, retryThroughFailover = true, enableOfflineQueue, enableAutoPipelining, ...perConnection } = policy;
  if (target.kind === 'server') {
    return new Redis(url, {
      ...perConnection,
      ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
      ...(enableAutoPipelining !== undefined && { enableAutoPipelining }),
      retryStrategy: reconnectDelay,
    });
  }
  const options: ClusterOptions = {
    clusterRetryStrategy: reconnectDelay,
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    ...(enableAutoPipelining !== undefined && { enableAutoPipelining }),
    ...(shardedSubscribers !== undefined && { shardedSubscribers }),
    // 0: no retry (ioredis retries only after a positive delay).
    retryDelayOnFailover: retryThroughFailover ? FAILOVER_RETRY_DELAY_MS : 0,
    retryDelayOnClusterDown: retryThroughFailover ? FAILOVER_RETRY_DELAY_MS : 0,
    retryDelayOnTryAgain: FAILOVER_RETRY_DELAY_MS,
    slotsRefreshTimeout: SLOTS_REFRESH_TIMEOUT_MS,
    slotsRefreshInterval: SLOTS_REFRESH_INTERVAL_MS,
    redisOptions: {
      ...perConnection,
      ...(target.username !== undefined && { username: target.username }),
      ...(target.password !== undefined && { password: target.password }),
      ...(target.tls && { tls: {} }),
    },
    // With TLS a seed's host name must reach the handshake as it was written (the certificate
    // names it), not resolved to an address first.
    ...(target.tls && { dnsLookup: (address, callback) => callback(null, address) }),
  };
  return new Cluster(target.nodes, options);
}

export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}
