import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { errorReply } from '../error-reply.js';
import { fail } from '../errors.js';

/** Last in the chain: anything no route took is a JSON 404, API paths included. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(fail.notFound(`no route for ${req.method} ${req.path}`));
};

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
    const reply = errorReply(err);
    if (reply.unexpected) logger.error({ err, method: req.method, path: req.path }, 'unexpected error answering a request');
    else if (reply.status === 503) logger.warn({ err, method: req.method, path: req.path }, 'store unavailable');
    if (reply.retryAfterSeconds !== undefined) res.set('Retry-After', String(reply.retryAfterSeconds));
    res.status(reply.status).json({ error: reply.error });
  };
}
