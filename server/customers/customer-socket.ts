import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import { CUSTOMER_LINK_CLOSED, CUSTOMER_NAMESPACE, CUSTOMER_RATE_LIMITED, CUSTOMER_SOCKET_REFUSED, type CustomerClientToServer, type CustomerServerToClient } from '../../shared/customer-link.js';
import { RateLimitedFailure } from '../errors.js';
import type { CustomerJobView } from '../../shared/customer-view.js';
import type { CapabilityTarget } from './capability.js';
import type { CustomerDoor } from './customer-door.js';

/**
 * The customer's socket (docs/api.md, "The customer's socket"): the namespace `/customer`, apart
 * from the boards' `/`, so no board broadcast, snapshot or alert can reach it. The handshake's
 * `auth: { capability }` is checked by the same door as the page (customer-door.ts); the socket
 * joins its job's room and nothing else, and every message it sends is refused.
 */

export interface CustomerSocketData {
  target: CapabilityTarget;
  /** The view as the handshake found it: the page's first `view`. */
  first: CustomerJobView;
}
export type CustomerNamespace = Namespace<CustomerClientToServer, CustomerServerToClient, Record<string, never>, CustomerSocketData>;
type CustomerSocket = Socket<CustomerClientToServer, CustomerServerToClient, Record<string, never>, CustomerSocketData>;

/** The room of one job's customer pages; prefixed so it can never collide with a socket id room. */
export function customerRoomOf(t: CapabilityTarget): string {
  return `job:${JSON.stringify([t.workshopId, t.jobId])}`;
}

/** The job a customer room is for (the broadcaster walks the rooms). */
export function targetOfRoom(room: string): CapabilityTarget | null {
  if (!room.startsWith('job:')) return null;
  const [workshopId, jobId] = JSON.parse(room.slice('job:'.length)) as [string, string];
  return { workshopId, jobId };
}

export interface CustomerSocketDeps {
  door: CustomerDoor;
  logger: Logger;
  addressOf: (req: IncomingMessage) => string;
  /** A page joined a job's room: the broadcaster keeps its view fresh. */
  onJoined: (t: CapabilityTarget, view: CustomerJobView) => void;
}

export function attachCustomerSockets(io: Server, deps: CustomerSocketDeps): CustomerNamespace {
  const nsp = io.of(CUSTOMER_NAMESPACE) as unknown as CustomerNamespace;
  nsp.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const capability = typeof auth === 'object' && auth !== null ? (auth as { capability?: unknown }).capability : undefined;
    void (async () => {
      await deps.door.charge(deps.addressOf(socket.request));
      const opened = typeof capability === 'string' ? await deps.door.open(capability) : null;
      if (opened === null) return next(new Error(CUSTOMER_LINK_CLOSED));
      socket.data.target = opened.target;
      socket.data.first = opened.view;
      next();
    })().catch((err: unknown) => {
      if (err instanceof RateLimitedFailure) return next(new Error(CUSTOMER_RATE_LIMITED));
      // Logged without the handshake: its auth holds the capability.
      deps.logger.warn({ err }, 'could not check a customer link');
      next(new Error(CUSTOMER_LINK_CLOSED));
    });
  });
  nsp.on('connection', (socket: CustomerSocket) => {
    void socket.join(customerRoomOf(socket.data.target));
    socket.emit('view', socket.data.first);
    deps.onJoined(socket.data.target, socket.data.first);
    // A customer's page only listens: whatever it sends is refused, with an ack if it asked for one.
    socket.onAny((...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ ok: false, error: { code: CUSTOMER_SOCKET_REFUSED, message: "a customer's link only receives its car's view; it may send nothing" } });
    });
  });
  return nsp;
}
