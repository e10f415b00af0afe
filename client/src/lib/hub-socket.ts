import { io, type Socket } from 'socket.io-client';
import { CONNECT_ERROR_UNAUTHORIZED, type ClientToServerEvents, type ServerToClientEvents } from '../../../shared/socket.js';

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

/**
 * A page feed's timeouts, all cancelled by `stop()`: a callback never runs after the page has
 * let go of its feed (a view unmounted, a test torn down).
 */
export function ownedTimers() {
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  return {
    get stopped() {
      return stopped;
    },
    later(ms: number, fn: () => void): void {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!stopped) fn();
      }, ms);
      timers.add(t);
    },
    stop(): void {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** What a page's store does with the socket's state (the board, lead and terminal stores). */
export interface ConnectionSink {
  markOffline(at: number): void;
  markUnauthorized(): void;
}

/**
 * Marks the store offline whenever the socket drops or fails to connect, and brings it back
 * where socket.io itself would not: a socket the hub closed on purpose (a lagging board is
 * dropped) and a refusal by a middleware stay down otherwise. An unknown token is final.
 */
export function reconnectForever(socket: HubSocket, sink: ConnectionSink, opts: { now: () => number; later: (ms: number, fn: () => void) => void; retryMs: number }): void {
  socket.on('disconnect', (reason) => {
    sink.markOffline(opts.now());
    if (reason === 'io server disconnect') opts.later(opts.retryMs, () => socket.connect());
  });
  socket.on('connect_error', (err) => {
    if (err.message === CONNECT_ERROR_UNAUTHORIZED) {
      sink.markUnauthorized();
      return;
    }
    sink.markOffline(opts.now());
    if (!socket.active) opts.later(opts.retryMs, () => socket.connect());
  });
}
