import type { ApiError } from '../../../shared/socket.js';
import { retryAfterSeconds } from './retry-after.js';

/**
 * The hub's HTTP API from the browser. Tokens travel in the Authorization header (the board's
 * `?token=` in the page URL is only how the TV got it). A refusal becomes an ApiRequestError
 * carrying the hub's own code and message, to show the user as it is.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
    /** A 429's `Retry-After`: the hub takes the same request again after this many seconds (the outbox waits that long). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(error.message);
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    cache: 'no-store',
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const error = (json as { error?: ApiError } | undefined)?.error ?? { code: `http_${res.status}`, message: res.statusText || `HTTP ${res.status}` };
    throw new ApiRequestError(res.status, error, retryAfterSeconds(res.headers.get('Retry-After')));
  }
  return json as T;
}

export const apiGet = <T>(path: string, token: string) => call<T>('GET', path, token);
export const apiPost = <T>(path: string, token: string, body: unknown, headers?: Record<string, string>) => call<T>('POST', path, token, body, headers);

export const workshopPath = (workshopId: string, rest = '') => `/api/v1/workshops/${encodeURIComponent(workshopId)}${rest}`;
