import type { Logger } from 'pino';
import type { ApiError } from '../shared/socket.js';
import { ApiFailure, fail, RateLimitedFailure } from './errors.js';
import { DamagedLogError, StoreOutcomeUnknownError, StoreUnavailableError } from './store/event-store.js';

/**
 * How an error reaches a caller, whichever door it came in by: HTTP sends `status` with
 * `{ error }`, a Socket.IO ack sends `{ error }` alone. Both edges use this one mapping so a
 * terminal sees the same code over HTTP and over its socket.
 */
export interface ErrorReply {
  status: number;
  error: ApiError;
  /** Not a refusal the caller caused: log it (with its stack) before answering. */
  unexpected: boolean;
  /** When the same request may come again: the store's 503s and a 429 (HTTP says it in Retry-After). */
  retryAfterSeconds?: number;
}

/**
 * When a store 503 suggests trying again: twice the Redis command timeout, by when a hub whose
 * store is back has caught up with the log (the terminal's outbox keeps its own backoff).
 */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** Codes for the client errors body-parser raises that are not ours (415, …), by status. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function errorReply(err: unknown): ErrorReply {
  if (err instanceof RateLimitedFailure) return { status: err.status, error: err.toJSON(), unexpected: false, retryAfterSeconds: err.retryAfterSeconds };
  if (err instanceof ApiFailure) return { status: err.status, error: err.toJSON(), unexpected: false, ...(err.status === 503 && { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS }) };
  // The store's own message names files and hosts: the operator reads it in the log, the
  // caller only needs to know what happened to its events and that resending them is safe.
  if (err instanceof StoreOutcomeUnknownError) {
    // Only "not written" may say nothing was changed: here the write may have landed.
    const f = fail.outcomeUnknown('the event store did not confirm the write; the events may or may not be stored; resend the same ids: stored ones will answer duplicate');
    return { status: f.status, error: f.toJSON(), unexpected: false, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS };
  }
  if (err instanceof DamagedLogError) {
    // Retrying cannot help: the operator must repair the log (the hub's log says how).
    const f = fail.unavailable(`workshop ${err.workshopId}'s event log is damaged and needs repair; the hub's log names the file, the line and the repair command; nothing was changed`);
    return { status: f.status, error: f.toJSON(), unexpected: false };
  }
  if (err instanceof StoreUnavailableError) {
    const f = fail.unavailable('the event store cannot be reached; nothing was changed, retry the same request');
    return { status: f.status, error: f.toJSON(), unexpected: false, retryAfterSeconds: STORE_RETRY_AFTER_SECONDS };
  }
  const parserFailure = bodyParserFailure(err);
  if (parserFailure) return { status: parserFailure.status, error: parserFailure.toJSON(), unexpected: false };
  return { status: 500, error: { code: 'internal_error', message: 'unexpected error' }, unexpected: true };
}

/**
 * `errorReply`, and the log line the operator needs about it: an unexpected error with its
 * stack, a store outage as a warning; refusals the caller caused are not logged. Every door
 * (the Express error handler, the events fast path, the socket handlers) reports through this.
 * `context` says where (method and path, or the socket), `unexpectedMessage` what was going on.
 */
export function reportFailure(logger: Logger, err: unknown, context: Record<string, unknown>, unexpectedMessage: string): ErrorReply {
  const reply = errorReply(err);
  if (reply.unexpected) logger.error({ err, ...context }, unexpectedMessage);
  else if (reply.status === 503) logger.warn({ err, ...context }, 'store unavailable');
  return reply;
}

/**
 * express.json() reports its refusals as http-errors with a `type` ("entity.parse.failed",
 * "entity.too.large", …) and `expose: true`; anything else from it is our fault.
 */
function bodyParserFailure(err: unknown): ApiFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, expose, limit } = err as { type?: unknown; status?: unknown; expose?: unknown; limit?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number' || expose !== true || status < 400 || status >= 500) return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return fail.badRequest('the body is not valid JSON');
    case 'entity.too.large':
      return fail.tooLarge(`the body is larger than the limit of ${typeof limit === 'number' ? formatBytes(limit) : '1 MB'}; send fewer events per request`);
    default:
      return new ApiFailure(status, CODE_BY_STATUS[status] ?? 'bad_request', (err as Error).message);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}
