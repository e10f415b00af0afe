import type { RequestListener, Server as HttpServer } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import type { PitwallConfig } from './config/config-file.js';
import { createHttpApp } from './http/app.js';
import { clientAddress } from './http/client-address.js';
import { withEventsFastPath } from './http/events-fast-path.js';
import { tokenRateLimit } from './http/rate-limit.js';
import { createBoundedServer, DEFAULT_MAX_CONNECTIONS, type ServerTls } from './http/server-bounds.js';
import { tokenDirectory } from './workshops/principal.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, limitConnectionsPerAddress } from './realtime/connection-limit.js';
import type { WorkshopService } from './workshops/workshop-service.js';
import { Workshops } from './workshops/registry.js';
import { tokenBudget } from './limits/token-budget.js';
import { attachCustomers, customerDoorOf, type CustomerSettings } from './customers/index.js';
import { createHubMetrics, recordIngest, type HubMetrics } from './metrics.js';
import { registerLiveGauges } from './live-gauges.js';
import { linkHubs } from './realtime/cluster.js';
import { attachRealtime } from './realtime/index.js';
import { startNotifications, type NotifyOptions } from './notify/index.js';
import type { HubServer } from './realtime/io.js';
import type { EventStore } from './store/event-store.js';
import type { RedisClient } from './store/redis/redis-client.js';

/** PITWALL_RATE_LIMIT's default (server/config/env.ts), for hubs built without one (tests). */
const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
/** The same ceiling as an HTTP body: a socket `events` message is the same batch by another door. */
const MAX_SOCKET_MESSAGE_BYTES = 1024 * 1024;

export interface HubDeps extends NotifyOptions {
  config: PitwallConfig;
  /** Opened by the caller, who also closes it: close() leaves it alone. */
  store: EventStore;
  logger: Logger;
  /** Events (a read or a hello: 1) per minute per token, on every door (PITWALL_RATE_LIMIT). */
  rateLimitPerMinute?: number;
  /**
   * The budget's Redis connection (server/limits/budget-redis.ts), shared by every hub on it so
   * a token has one budget behind the balancer; unset: this hub counts alone, in memory.
   * Opened and closed by the caller.
   */
  rateLimitRedis?: RedisClient;
  /** Prefix of the budget's Redis keys (default `pitwall:rate`); tests isolate runs on one server with it. */
  rateLimitKeyPrefix?: string;
  /** The hub's clock (ms since the epoch); tests pin it to script a day. */
  clock?: () => number;
  /** The built client to serve; unset: the API alone. */
  clientDir?: string;
  /**
   * A Socket.IO adapter shared by several hubs (the Redis adapter, see server/realtime/
   * redis-adapter.ts); unset: this hub is alone. With it, hubs nudge each other after appends.
   */
  adapter?: ServerOptions['adapter'];
  /** How often subscribed boards get a fresh snapshot without a change (default 15 s; tests shorten it). */
  heartbeatMs?: number;
  /** Broadcaster tuning for tests and benchmarks: the coalescing window and the per-socket buffer cap. */
  coalesceMs?: number;
  maxBufferedBytes?: number;
  /** New events dated more than this before the clock are refused as `too_old` (default 14 days). */
  maxEventAgeMs?: number;
  /** An open workshop nobody asked for this long, with no car on its floor, is closed (default 15 min). */
  idleCloseMs?: number;
  /** PITWALL_ARCHIVE_DIR: the hub archives and trims the hot log daily (server/workshops/retention.ts); unset, it never trims. */
  archiveDir?: string;
  /** PITWALL_LOG_RETENTION_DAYS in ms (at least 35 days). */
  logRetentionMs?: number;
  /** Engine connections per client address (default 500). */
  maxSocketsPerAddress?: number;
  /** Proxies in front of the hub whose X-Forwarded-For entries are believed (default 0: none; server/http/client-address.ts). */
  trustProxy?: number;
  /** `/metrics` wants this bearer token; unset, it answers the hub's own host only (server/http/routes/metrics.ts). */
  metricsToken?: string;
  /** How long a connection may stay without joining a namespace (default 10 s). */
  connectTimeoutMs?: number;
  /** Open TCP connections of the HTTP server (default 10,000). */
  maxConnections?: number;
  /** The customer's page (server/customers/): link expiry, key secret, budget per address; unset fields keep the defaults. */
  customers?: CustomerSettings;
  /** PITWALL_TLS_CERT/KEY: the server speaks HTTPS (Socket.IO on it too); unset, plain HTTP. */
  tls?: ServerTls;
}

export interface Hub {
  /** Every HTTP request's handler: the events fast path in front of the Express app. */
  app: RequestListener;
  /** The Express app alone (every route, the events post included): what the fast path must answer like. */
  expressApp: Express;
  /** Created, not listening: `server/main.ts` (or a test) decides where. An https.Server with `tls`. */
  httpServer: HttpServer;
  io: HubServer;
  service: WorkshopService;
  metrics: HubMetrics;
  /** Stops timers, disconnects sockets, stops the HTTP server and waits for in-flight ingests. Not the store. */
  close(): Promise<void>;
}

/**
 * Builds the whole hub from its arguments, replaying every workshop's log first. Reads no
 * environment and listens nowhere, so tests build as many as they like in one process.
 */
/** Enough for every TV and tablet of a large workshop behind one NAT address. */
export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 500;

export async function createHub(deps: HubDeps): Promise<Hub> {
  const { config, store, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const metrics = createHubMetrics();
  // Signed webhooks (server/notify/), first: a missing secret stops the start before anything opens.
  // Claims are shared through the budget's Redis when the hubs share one.
  // The job notifications read the customers' views of workshops open here (never opening one); set once the service is.
  let viewsOf: WorkshopService['customerViews'] | undefined;
  const customerViewsOf: NotifyOptions['customerViewsOf'] = (workshopId, now) => viewsOf?.(workshopId, now, true) ?? Promise.resolve(null);
  const notifications = startNotifications({ customerViewsOf, ...deps, registry: metrics.registry, logger, clock, ...(deps.rateLimitRedis !== undefined && { redis: deps.rateLimitRedis }) });
  const customers = deps.customers ?? {};
  const service = await Workshops.open({ config, store, logger, clock, ...(customers.linkTtlMs !== undefined && { customerLinkTtlMs: customers.linkTtlMs }), ...(deps.maxEventAgeMs !== undefined && { maxEventAgeMs: deps.maxEventAgeMs }), ...(deps.idleCloseMs !== undefined && { idleCloseMs: deps.idleCloseMs }), ...(deps.archiveDir !== undefined && { archiveDir: deps.archiveDir }), ...(deps.logRetentionMs !== undefined && { logRetentionMs: deps.logRetentionMs }) });

  service.onIngested((report) => recordIngest(metrics, report));
  viewsOf = (workshopId, now, ifOpen) => service.customerViews(workshopId, now, ifOpen);
  notifications.watch(service);

  const authenticate = tokenDirectory(config.tokens);
  const addresses = clientAddress(deps.trustProxy ?? 0);
  // One budget for every door: Express, the fast path and the socket handlers take from it.
  const budget = tokenBudget({
    perMinute: deps.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    ...(deps.rateLimitRedis !== undefined && { redis: deps.rateLimitRedis }),
    ...(deps.rateLimitKeyPrefix !== undefined && { keyPrefix: deps.rateLimitKeyPrefix }),
  });
  const rateLimit = tokenRateLimit(budget);
  const door = customerDoorOf(deps, service, clock);
  const expressApp = createHttpApp({
    service,
    store,
    metrics,
    logger,
    authenticate,
    rateLimit,
    clock,
    trustProxy: addresses.trust,
    customers: door,
    addressOf: addresses.of,
    ...(deps.clientDir !== undefined && { clientDir: deps.clientDir }),
    ...(deps.metricsToken !== undefined && { metricsToken: deps.metricsToken }),
  });
  const app = withEventsFastPath(expressApp, { service, authenticate, rateLimit, clock, logger });
  const httpServer = createBoundedServer(app, { maxConnections: deps.maxConnections ?? DEFAULT_MAX_CONNECTIONS, logger, ...(deps.tls !== undefined && { tls: deps.tls }) });
  // Same origin as the client it serves: no CORS. The client is the Vue app, not /socket.io.js.
  const io: HubServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    ...(deps.adapter !== undefined && { adapter: deps.adapter }),
  });
  limitConnectionsPerAddress(io, {
    max: deps.maxSocketsPerAddress ?? DEFAULT_MAX_SOCKETS_PER_ADDRESS,
    connectTimeoutMs: deps.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    addressOf: addresses.of,
    metrics,
    logger,
  });
  const tuning = { heartbeatMs: deps.heartbeatMs, coalesceMs: deps.coalesceMs, maxBufferedBytes: deps.maxBufferedBytes };
  const realtime = attachRealtime(io, { service, authenticate, metrics, logger, clock, tuning, budget });
  registerLiveGauges({ registry: metrics.registry, store, service, io });
  if (deps.adapter !== undefined) linkHubs(io, service, logger);
  const customerPages = attachCustomers(io as unknown as Server, { door, service, clock, logger, addressOf: addresses.of, ...(customers.heartbeatMs !== undefined && { heartbeatMs: customers.heartbeatMs }) });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      realtime.close();
      notifications.close();
      customerPages.close();
      // Disconnects every socket, then closes the HTTP server (letting requests in flight finish).
      await io.close();
      await service.close();
    })());

  return { app, expressApp, httpServer, io, service, metrics, close };
}
