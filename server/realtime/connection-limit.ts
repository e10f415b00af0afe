import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { HubMetrics } from '../metrics.js';
import type { HubServer } from './io.js';

/** The body of the engine's refusal (HTTP 403 for polling, 400 for a WebSocket upgrade). */
export const CONNECT_ERROR_TOO_MANY = 'too_many_connections';

/** PITWALL_CONNECT_TIMEOUT_MS's default: a client sends its CONNECT right after the engine's OPEN. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectionLimitOptions {
  /** PITWALL_MAX_SOCKETS_PER_IP: engine connections per client address. */
  max: number;
  /** Time an engine connection may stay without joining a namespace (PITWALL_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs: number;
  /** The client's address (server/http/client-address.ts): the same for HTTP and sockets. */
  addressOf: (req: IncomingMessage) => string;
  metrics: HubMetrics;
  logger: Logger;
}

/**
 * At most `max` connections per client address, counted at the engine: one misbehaving device
 * (or script) opening connections in a loop must not take the hub's file descriptors and memory
 * from every TV in the chain. A namespace middleware would only see connections that send
 * CONNECT; a raw WebSocket or long-polling session that never does was outside any cap and
 * lived 45 s (docs/security.md, "Connections before the handshake"). So the place is taken in
 * the engine's `allowRequest`, before the handshake, and given back when the engine
 * connection closes; and a connection that has not joined a namespace after
 * `connectTimeoutMs` is closed.
 */
export function limitConnectionsPerAddress(io: HubServer, opts: ConnectionLimitOptions): void {
  const open = new Map<string, number>();
  const warned = new Map<string, number>();
  /** Places taken by handshakes the engine has not turned into a connection yet. */
  const pending = new Map<IncomingMessage, { address: string; onClose: () => void }>();
  const release = (address: string): void => {
    const left = (open.get(address) ?? 1) - 1;
    if (left <= 0) open.delete(address);
    else open.set(address, left);
  };

  io.connectTimeout(opts.connectTimeoutMs);

  // The hub sets no other `allowRequest` (server/hub.ts): this one is the engine's only gate.
  io.engine.opts.allowRequest = (req, answer) => {
    const address = opts.addressOf(req);
    if ((open.get(address) ?? 0) >= opts.max) {
      refused(address);
      return answer(CONNECT_ERROR_TOO_MANY, false);
    }
    // Taken now, not at `connection`: the engine handshakes asynchronously, and a burst of
    // upgrades would otherwise all pass before the first one is counted.
    open.set(address, (open.get(address) ?? 0) + 1);
    // A handshake that fails after this point (a bad WebSocket key, a transport error) never
    // becomes a connection: its place comes back when its TCP connection ends.
    const onClose = (): void => {
      if (pending.delete(req)) release(address);
    };
    pending.set(req, { address, onClose });
    req.socket.once('close', onClose);
    answer(null, true);
  };

  io.engine.on('connection', (socket: { request: IncomingMessage; once(event: 'close', fn: () => void): void }) => {
    const held = pending.get(socket.request);
    if (held === undefined) return;
    pending.delete(socket.request);
    // Long-polling reuses keep-alive TCP connections for many requests: do not pile up listeners.
    socket.request.socket.off('close', held.onClose);
    socket.once('close', () => release(held.address));
  });

  function refused(address: string): void {
    opts.metrics.socketsRefused.inc({ reason: 'per_address_limit' });
    // Once a minute per address: a device stuck in a reconnect loop must not flood the log.
    const now = Date.now();
    if (now - (warned.get(address) ?? 0) > 60_000) {
      warned.set(address, now);
      opts.logger.warn({ address, max: opts.max }, 'connection refused: too many connections from one address');
    }
  }
}
