import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { ServerOptions } from 'socket.io';

/**
 * The Socket.IO Redis (pub/sub) adapter, on two connections of its own (a subscribed
 * connection can do nothing else). Chosen over the Redis Streams adapter because nothing
 * here relies on the adapter keeping messages: the event log in the store is the truth, and
 * a hub that missed a nudge catches up from it at its next heartbeat (cluster.ts). Pub/sub is
 * the lighter of the two and has no stream to trim.
 */
export function redisAdapter(url: string, onError: (err: Error) => void): { adapter: NonNullable<ServerOptions['adapter']>; close(): Promise<void> } {
  // The adapter publishes without awaiting: a publish that fails while Redis is away must not
  // become an unhandled rejection, so commands wait in the offline queue and go when it is back.
  const pub = new Redis(url, { maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  pub.on('error', onError);
  sub.on('error', onError);
  return {
    adapter: createAdapter(pub, sub, { key: 'pitwall:socket.io' }),
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
