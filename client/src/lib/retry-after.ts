import { SOCKET_RATE_LIMITED, type ApiError } from '../../../shared/socket.js';

/**
 * When the hub said to come back: HTTP 429's `Retry-After`, a socket ack's `rate_limited` with
 * `retryAfterSeconds` (docs/api.md). Its token's budget refused the request whole, and sending
 * it again earlier only meets the same refusal, so the client waits exactly that long, not its
 * own (shorter or longer) backoff.
 */

/** A wait past this (a misconfigured proxy, a broken header) is taken as this: the client must try again some day. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The wait (ms) a failure carries in `retryAfterSeconds` (an ApiRequestError, an ack's error), capped; null when it names none. */
export function retryAfterMsOf(err: unknown): number | null {
  const s = typeof err === 'object' && err !== null ? (err as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) return null;
  return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(s * 1000));
}

/** A `subscribe` (or other) ack refused by the budget: how long to wait before asking again; null for any other refusal. */
export function rateLimitedWaitMs(error: ApiError): number | null {
  // A rate_limited ack always carries its wait; 5 s if a hub ever left it out.
  return error.code === SOCKET_RATE_LIMITED ? (retryAfterMsOf(error) ?? 5000) : null;
}
