import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { reportFailure } from '../error-reply.js';
import { fail } from '../errors.js';
import { loggablePath } from '../customers/capability.js';

/** Last in the chain: anything no route took is a JSON 404, API paths included. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(fail.notFound(`no route for ${req.method} ${req.path}`));
};

/** The log message of a request that failed by the hub's fault (the fast path logs the same). */
export const UNEXPECTED_HTTP_ERROR = 'unexpected error answering a request';

/**
 * The one error handler: every refusal in the contract's envelope
 * `{ "error": { "code", "message", "details"? } }`. Unexpected errors are logged with their
 * stack and answered "unexpected error", so no internals reach the caller.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    // The answer is already on its way (a failure while streaming a static file): only the
    // socket can be cut now, which Express's default handler does.
    if (res.headersSent) return next(err);
    // A customer page's path holds its capability: logged without it.
    const reply = reportFailure(logger, err, { method: req.method, path: loggablePath(req.path) }, UNEXPECTED_HTTP_ERROR);
    if (reply.retryAfterSeconds !== undefined) res.set('Retry-After', String(reply.retryAfterSeconds));
    res.status(reply.status).json({ error: reply.error });
  };
}
