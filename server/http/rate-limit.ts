import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { MemoryStore, rateLimit } from 'express-rate-limit';
import { fail } from '../errors.js';
import { tokenOf } from './auth.js';

const WINDOW_MS = 60_000;

export interface TokenRateLimit {
  middleware: RequestHandler;
  /** Stops the store's cleanup timer (it is unref'd, but a closed hub should leave nothing behind). */
  close(): void;
}

/**
 * `limitPerMinute` API requests per minute per token, with the standard `RateLimit` and
 * `Retry-After` headers. Keyed by token rather than IP: a whole workshop's terminals often
 * sit behind one NAT, while one runaway script should not starve its neighbours. Mounted after
 * `requireToken`, so an unknown token is a 401 and never fills the store.
 */
export function tokenRateLimit(limitPerMinute: number): TokenRateLimit {
  const store = new MemoryStore();
  // Tokens reaching the limiter are known ones (requireToken runs first), so this stays as
  // small as the config's token list; a hash per request was a visible share of a small post.
  const digests = new Map<string, string>();
  const digestOf = (token: string): string => {
    let d = digests.get(token);
    if (d === undefined) digests.set(token, (d = createHash('sha256').update(token).digest('base64url')));
    return d;
  };
  const middleware = rateLimit({
    windowMs: WINDOW_MS,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store,
    // A digest: should the counts ever move to a shared store (Redis), no usable token lands there.
    keyGenerator: (_req, res) => digestOf(tokenOf(res) ?? ''),
    handler: (_req, _res, next) => next(fail.tooManyRequests(`more than ${limitPerMinute} requests per minute with this token; retry after the Retry-After header's seconds`)),
  });
  return { middleware, close: () => store.shutdown() };
}
