import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/socket.js';

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One socket to the hub that never gives up: a TV runs for days, so reconnection attempts are
 * unlimited, backing off to 10 s. Callers re-subscribe on every `connect` (a new connection
 * has no rooms) and show their own "offline since" while it is down.
 */
export function connectHub(token: string, url?: string): HubSocket {
  const opts = {
    auth: { token },
    transports: ['websocket'],
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    timeout: 10_000,
  };
  return url === undefined ? io(opts) : io(url, opts);
}
