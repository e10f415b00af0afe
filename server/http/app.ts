import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { HubMetrics } from '../metrics.js';
import type { EventStore } from '../store/event-store.js';
import { requireToken, type Authenticate } from './auth.js';
import { errorHandler, notFound } from './errors.js';
import type { TokenRateLimit } from './rate-limit.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { openApiRoutes } from './routes/openapi.js';
import { securityHeaders } from './security-headers.js';
import { workshopRoutes } from './routes/workshops.js';
import { clientRoutes } from './static.js';
import type { IncomingMessage } from 'node:http';
import type { CustomerDoor } from '../customers/customer-door.js';
import { customerPageRoutes } from '../customers/customer-routes.js';

export interface HttpDeps {
  service: WorkshopService;
  /** For /healthz only: everything else goes through the service. */
  store: EventStore;
  metrics: HubMetrics;
  logger: Logger;
  authenticate: Authenticate;
  rateLimit: TokenRateLimit;
  /** The hub's clock (ms): the `now` of every board and job list. */
  clock: () => number;
  /** Which X-Forwarded-For hops to believe: server/http/client-address.ts, shared with the sockets. */
  trustProxy: (address: string, hop: number) => boolean;
  /** The customer's page's door (server/customers/): its public read, and the desk's link route. */
  customers: CustomerDoor;
  /** The client's address (server/http/client-address.ts): the customers' budget counts by it. */
  addressOf: (req: IncomingMessage) => string;
  /** The built client; unset or missing: the API alone. */
  clientDir?: string;
  /** `/metrics` wants this bearer token; unset: loopback only. */
  metricsToken?: string;
}

/** The Express app of the hub: probes, the versioned API, the client, and one error handler. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  // Nothing to gain from advertising the framework; ETags on live boards only cost a hash.
  app.disable('x-powered-by');
  app.set('etag', false);
  // `req.ip` is then the address the socket cap counts (server/http/client-address.ts).
  app.set('trust proxy', deps.trustProxy);

  app.use(securityHeaders());

  // Public: a customer's link is its own credential, its budget counted per client address.
  app.use('/api/v1/c', customerPageRoutes({ door: deps.customers, logger: deps.logger, addressOf: deps.addressOf }));
  // The API first: every terminal's post would otherwise walk the probes' routers too.
  app.use('/api/v1/workshops', requireToken(deps.authenticate), deps.rateLimit.middleware, workshopRoutes(deps));
  app.use(healthRoutes(deps.store));
  app.use(openApiRoutes());
  app.use(metricsRoutes(deps.metrics, deps.metricsToken));

  const client = deps.clientDir === undefined ? undefined : clientRoutes(deps.clientDir);
  if (client) app.use(client);
  else if (deps.clientDir !== undefined) deps.logger.info({ clientDir: deps.clientDir }, 'no built client found: serving the API only (npm run build:client builds it)');

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
