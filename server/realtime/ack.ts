import type { z } from 'zod';
import { SOCKET_RATE_LIMITED, type ApiError } from '../../shared/socket.js';
import type { ErrorReply } from '../error-reply.js';
import { fail } from '../errors.js';

export type AckFn = (reply: unknown) => void;

/** The payload is the first argument; the ack, by Socket.IO's convention, the last, when it is a function. */
export function splitArgs(args: unknown[]): { payload: unknown; ack: AckFn | undefined } {
  const last = args.at(-1);
  const ack = typeof last === 'function' ? (last as AckFn) : undefined;
  return { payload: ack !== undefined && args.length === 1 ? undefined : args[0], ack };
}

/** The payload parsed by its schema (shared/socket.ts), or a 400 naming each field under `path`. */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, path: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ path: [path, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
  throw fail.badRequest('malformed message', details);
}

/**
 * The error an ack carries. HTTP answers 429 (and the store's 503s) with Retry-After; an ack
 * has no status or headers, so it says both itself: `rate_limited` for a 429, the store's own
 * code for a 503, each with `retryAfterSeconds`.
 */
export function ackError(r: ErrorReply): ApiError {
  if (r.retryAfterSeconds === undefined) return r.error;
  return { ...r.error, ...(r.status === 429 && { code: SOCKET_RATE_LIMITED }), retryAfterSeconds: r.retryAfterSeconds };
}
