import type { Logger } from 'pino';
import type { HubMetrics } from '../metrics.js';
import type { HubServer } from './io.js';

export const CONNECT_ERROR_TOO_MANY = 'too_many_connections';

/**
 * At most `max` sockets per client address: one misbehaving device (or script) opening
 * sockets in a loop must not take the hub's memory from every TV in the chain. Behind a load
 * balancer every socket comes from the balancer's address; with `trustProxy` the first
 * address of X-Forwarded-For is the client's (only set it when the hub is reachable through
 * the balancer alone, or anyone can claim any address).
 */
export function limitSocketsPerAddress(io: HubServer, opts: { max: number; trustProxy: boolean; metrics: HubMetrics; logger: Logger }): void {
  const open = new Map<string, number>();
  const warned = new Map<string, number>();
  const addressOf = (handshake: { address: string; headers: Record<string, string | string[] | undefined> }): string => {
    if (!opts.trustProxy) return handshake.address;
    const xff = handshake.headers['x-forwarded-for'];
    const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
    return first || handshake.address;
  };
  io.use((socket, next) => {
    const address = addressOf(socket.handshake);
    if ((open.get(address) ?? 0) >= opts.max) {
      opts.metrics.socketsRefused.inc({ reason: 'per_address_limit' });
      // Once a minute per address: a device stuck in a reconnect loop must not flood the log.
      const now = Date.now();
      if (now - (warned.get(address) ?? 0) > 60_000) {
        warned.set(address, now);
        opts.logger.warn({ address, max: opts.max }, 'socket refused: too many connections from one address');
      }
      return next(new Error(CONNECT_ERROR_TOO_MANY));
    }
    next();
  });
  io.on('connection', (socket) => {
    const address = addressOf(socket.handshake);
    open.set(address, (open.get(address) ?? 0) + 1);
    socket.once('disconnect', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
