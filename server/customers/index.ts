import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { tokenBudget } from '../limits/token-budget.js';
import type { EventStore } from '../store/event-store.js';
import type { RedisClient } from '../store/redis/redis-client.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { CustomerBroadcaster } from './customer-broadcaster.js';
import { customerDoor, type CustomerDoor } from './customer-door.js';
import { attachCustomerSockets } from './customer-socket.js';
import { linkKeys } from './link-keys.js';

/** The customer's page ("到店提醒"): its settings, its door, its sockets (docs/api.md, "The customer's page"). */
export interface CustomerSettings {
  /** PITWALL_CUSTOMER_LINK_HOURS in ms (default 24 h). */
  linkTtlMs?: number;
  /** PITWALL_CUSTOMER_LINK_SECRET; unset: a key per workshop created once in the store. */
  linkSecret?: string;
  /** PITWALL_CUSTOMER_RATE_LIMIT: requests per minute per client address (default 120). */
  ratePerMinute?: number;
  /** The pages' heartbeat (default 60 s; tests shorten it). */
  heartbeatMs?: number;
}

export const DEFAULT_CUSTOMER_RATE_PER_MINUTE = 120;

/** The door, from the hub's deps: the budget shares the tokens' Redis (its own keys) so every hub counts an address once. */
export function customerDoorOf(
  deps: { store: EventStore; customers?: CustomerSettings; rateLimitRedis?: RedisClient; rateLimitKeyPrefix?: string },
  service: WorkshopService,
  clock: () => number,
): CustomerDoor {
  const c = deps.customers ?? {};
  const budget = tokenBudget({
    perMinute: c.ratePerMinute ?? DEFAULT_CUSTOMER_RATE_PER_MINUTE,
    ...(deps.rateLimitRedis !== undefined && { redis: deps.rateLimitRedis }),
    keyPrefix: `${deps.rateLimitKeyPrefix ?? 'pitwall:rate'}:customer`,
  });
  return customerDoor({ service, keys: linkKeys(deps.store.blobs, c.linkSecret), budget, clock });
}

export function attachCustomers(
  io: Server,
  deps: { door: CustomerDoor; service: WorkshopService; clock: () => number; logger: Logger; addressOf: (req: IncomingMessage) => string; heartbeatMs?: number },
): { close(): void } {
  let broadcaster: CustomerBroadcaster | undefined;
  const nsp = attachCustomerSockets(io, { door: deps.door, logger: deps.logger, addressOf: deps.addressOf, onJoined: (t, view) => broadcaster?.joined(t, view) });
  broadcaster = new CustomerBroadcaster({ nsp, service: deps.service, clock: deps.clock, logger: deps.logger, ...(deps.heartbeatMs !== undefined && { heartbeatMs: deps.heartbeatMs }) });
  return { close: () => broadcaster.close() };
}
