import { Router, type ErrorRequestHandler, type Request } from 'express';
import type { Logger } from 'pino';
import { customerPagePath, type CustomerLinkResponse } from '../../shared/customer-link.js';
import { reportFailure } from '../error-reply.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { UNEXPECTED_HTTP_ERROR } from '../http/errors.js';
import { principalOf } from '../http/auth.js';
import { linkClosed, type CustomerDoor } from './customer-door.js';

/**
 * The customer's page over HTTP (docs/api.md, "The customer's page"): `GET /api/v1/c/:capability`,
 * public, rate-limited per client address; and the desk's `GET …/jobs/:jobId/customer-link`
 * behind the token. The capability never reaches a log line: this router's own error handler
 * logs the route's pattern, not the path.
 */

/** The route as logs name it: the path would hold the capability. */
const LOGGED_PATH = '/api/v1/c/:capability';

export interface CustomerRoutesDeps {
  door: CustomerDoor;
  logger: Logger;
  /** The client's address (server/http/client-address.ts), as the socket cap counts it. */
  addressOf: (req: Request) => string;
}

export function customerPageRoutes(deps: CustomerRoutesDeps): Router {
  const router = Router();
  router.get('/:capability', async (req, res) => {
    await deps.door.charge(deps.addressOf(req));
    const opened = await deps.door.open(String(req.params.capability));
    if (opened === null) throw linkClosed();
    // A phone on a shared device: nothing of it stays in a cache.
    res.set('Cache-Control', 'no-store').json(opened.view);
  });
  const errors: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const reply = reportFailure(deps.logger, err, { method: req.method, path: LOGGED_PATH }, UNEXPECTED_HTTP_ERROR);
    if (reply.retryAfterSeconds !== undefined) res.set('Retry-After', String(reply.retryAfterSeconds));
    res.status(reply.status).set('Cache-Control', 'no-store').json({ error: reply.error });
  };
  router.use(errors);
  return router;
}

/** The desk's link for a car: the roles that check cars in (shared/permissions.ts, `mint:customer_link`). */
export function customerLinkRoute(router: Router, deps: { service: WorkshopService; door: CustomerDoor; clock: () => number }): void {
  router.get('/:ws/jobs/:jobId/customer-link', async (req, res) => {
    const workshopId = String(req.params.ws);
    const jobId = String(req.params.jobId);
    await deps.service.authoriseCustomerLink(workshopId, principalOf(res), jobId, deps.clock());
    const capability = await deps.door.mint({ workshopId, jobId });
    const body: CustomerLinkResponse = { jobId, capability, path: customerPagePath(capability) };
    res.set('Cache-Control', 'no-store').json(body);
  });
}
