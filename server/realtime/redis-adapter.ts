import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { ServerOptions } from 'socket.io';
import { createRedisClient, isCluster, type RedisClient, type RedisClientPolicy } from '../store/redis/redis-client.js';

/**
 * The Socket.IO Redis (pub/sub) adapter, on two connections of its own (a subscribed
 * connection can do nothing else). Chosen over the Redis Streams adapter because nothing
 * here relies on the adapter keeping messages: the event log in the store is the truth, and
 * a hub that missed a nudge catches up from it at its next heartbeat (cluster.ts). Pub/sub is
 * the lighter of the two and has no stream to trim.
 *
 * On a Redis Cluster the sharded adapter instead (SPUBLISH / SSUBSCRIBE, Redis 7): a plain
 * PUBLISH there is copied to every node of the cluster, a sharded one stays on the shard that
 * owns the channel's slot. The hubs only `serverSideEmit` (cluster.ts) and broadcast to their
 * own sockets (`io.local`), so one channel per namespace is all they need ('static': no
 * channel per room). After a failover ioredis moves the subscription to the promoted replica;
 * a nudge published meanwhile is lost like any other, and the heartbeat covers for it.
 */
export function redisAdapter(url: string, onError: (err: Error) => void): { adapter: NonNullable<ServerOptions['adapter']>; close(): Promise<void> } {
  // The adapter publishes without awaiting: a publish that fails while Redis is away must not
  // become an unhandled rejection, so commands wait in the offline queue and go when it is back.
  const policy: RedisClientPolicy = { maxRetriesPerRequest: null, reconnectDelay: (attempt) => Math.min(attempt * 100, 2000) };
  const pub = createRedisClient(url, policy);
  const sub = createRedisClient(url, { ...policy, shardedSubscribers: true });
  for (const client of [pub, sub]) watch(client, onError);
  const adapter = isCluster(pub)
    ? createShardedAdapter(pub, sub, { channelPrefix: 'pitwall:socket.io', subscriptionMode: 'static' })
    : createAdapter(pub, sub, { key: 'pitwall:socket.io' });
  return {
    adapter,
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}

function watch(client: RedisClient, onError: (err: Error) => void): void {
  client.on('error', onError);
  if (isCluster(client)) client.on('node error', onError);
}
