import type { ErrorDetail } from '../shared/events.js';

/**
 * A request the hub refuses, with the HTTP status it maps to. HTTP answers it as the
 * contract's error envelope; Socket.IO acks carry the same `{ code, message, details }`.
 * Anything that is not an ApiFailure is unexpected: logged, answered 500 "unexpected error".
 */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
  }

  toJSON(): { code: string; message: string; details?: ErrorDetail[] } {
    return { code: this.code, message: this.message, ...(this.details && { details: [...this.details] }) };
  }
}

/**
 * A refusal of the token's budget (429): the same request may be sent again as it is once
 * `retryAfterSeconds` have passed. HTTP says so in `Retry-After`, a socket ack in the error.
 */
export class RateLimitedFailure extends ApiFailure {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}

export const fail = {
  badRequest: (message: string, details?: readonly ErrorDetail[]) => new ApiFailure(400, 'bad_request', message, details),
  unauthorized: () => new ApiFailure(401, 'unauthorized', 'a valid token is required (Authorization: Bearer <token>)'),
  forbidden: (message: string) => new ApiFailure(403, 'forbidden', message),
  notFound: (message: string) => new ApiFailure(404, 'not_found', message),
  tooLarge: (message: string) => new ApiFailure(413, 'payload_too_large', message),
  tooManyRequests: (message: string, retryAfterSeconds: number) => new RateLimitedFailure(message, retryAfterSeconds),
  unavailable: (message: string) => new ApiFailure(503, 'store_unavailable', message),
  /** The store may have written what it did not confirm (docs/api.md, "Errors"). */
  outcomeUnknown: (message: string) => new ApiFailure(503, 'store_outcome_unknown', message),
};
