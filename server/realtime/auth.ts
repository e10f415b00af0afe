import { CONNECT_ERROR_UNAUTHORIZED } from '../../shared/socket.js';
import type { Principal } from '../workshops/principal.js';
import type { HubServer } from './io.js';

/**
 * Authentication once, at the handshake (docs/api.md: `auth: { token }`); a missing or unknown
 * token fails the connection with `connect_error` "unauthorized" and no handler ever runs.
 * Workshop and event-type checks happen per message, in the service.
 */
export function authenticateSockets(io: HubServer, authenticate: (token: string) => Principal | undefined): void {
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    const principal = typeof token === 'string' ? authenticate(token) : undefined;
    if (principal === undefined) return next(new Error(CONNECT_ERROR_UNAUTHORIZED));
    socket.data.principal = principal;
    next();
  });
}
