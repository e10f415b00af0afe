import type { IncomingMessage } from 'node:http';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { WorkshopService } from '../ingest/workshop-service.js';
import type { HubMetrics } from '../metrics.js';
import type { EventStore } from '../store/event-store.js';
import { requireToken, type Authenticate } from './auth.js';
import { errorHandler, notFound } from './errors.js';
import type { TokenRateLimit } from './rate-limit.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { workshopRoutes } from './routes/workshops.js';
import { clientRoutes } from './static.js';

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
  /** The built client; unset or missing: the API alone. */
  clientDir?: string;
}

/** The Express app of the hub: probes, the versioned API, the client, and one error handler. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  // Nothing to gain from advertising the framework; ETags on live boards only cost a hash.
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // 'self' covers same-origin ws:/wss: only in recent browsers; TV browsers lag, so
          // name the page's own host for websockets explicitly.
          connectSrc: ["'self'", sameHostWebSockets('ws'), sameHostWebSockets('wss')],
          imgSrc: ["'self'", 'data:'],
          // Boards are often reached over plain http on the shop LAN: upgrading their
          // requests to https would break every asset.
          upgradeInsecureRequests: null,
        },
      },
    }),
  );

  app.use(healthRoutes(deps.store));
  app.use(metricsRoutes(deps.metrics));
  app.use('/api/v1/workshops', requireToken(deps.authenticate), deps.rateLimit.middleware, workshopRoutes(deps));

  const client = deps.clientDir === undefined ? undefined : clientRoutes(deps.clientDir);
  if (client) app.use(client);
  else if (deps.clientDir !== undefined) deps.logger.info({ clientDir: deps.clientDir }, 'no built client found: serving the API only (npm run build:client builds it)');

  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}

/**
 * `ws://<host the page was loaded from>`. The Host header is the caller's own, so it only
 * shapes the caller's own policy; still, anything that is not a plain host[:port] is left out
 * rather than pasted into a header.
 */
function sameHostWebSockets(scheme: 'ws' | 'wss'): (req: IncomingMessage) => string {
  return (req) => {
    const host = req.headers.host;
    return host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `${scheme}://${host}` : "'self'";
  };
}
