import { signedHeaders } from './signature.js';

/** One HTTP attempt of one message to one endpoint: signed, bounded in time, no redirects followed. */

export interface WebhookTarget {
  url: string;
  /** The HMAC key (signature.ts, secretKey). */
  hmacKey: Buffer;
}

export interface WebhookMessage {
  /** `webhook-id`: the same on every attempt and on every hub (receivers dedupe by it). */
  id: string;
  /** The event type, for logs and metrics (the body says it too). */
  type: string;
  /** The JSON body, exactly as signed. */
  body: string;
}

/** What one attempt came to: a status, or why there was none (timeout, refused connection, DNS). */
export type AttemptResult = { status: number } | { error: string };

/** `stop` aborts the attempt when the hub stops: a hanging receiver must not hold its shutdown for the timeout. */
export async function postWebhook(target: WebhookTarget, message: WebhookMessage, timeoutMs: number, nowMs: number, stop?: AbortSignal): Promise<AttemptResult> {
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Pitwall-Webhooks/1',
    ...signedHeaders(target.hmacKey, message.id, Math.floor(nowMs / 1000), message.body),
  };
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers,
      body: message.body,
      // A redirect could point anywhere, inside the network too (docs/security.md, "Webhooks"): it is a failure, never followed.
      redirect: 'manual',
      signal: stop ? AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]) : AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is never read (nothing the receiver says is used or shown): release the connection.
    await res.body?.cancel().catch(() => {});
    return { status: res.status };
  } catch (err) {
    return { error: describeFailure(err) };
  }
}

/** A short reason for the log: never the URL's query or the body. */
function describeFailure(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timeout';
  const cause = err instanceof Error ? (err as Error & { cause?: { code?: string } }).cause : undefined;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.message : String(err);
}

/** Statuses worth another attempt: the receiver is down, overloaded or slow; anything else 4xx or 3xx is its answer. */
export function isRetryable(result: AttemptResult): boolean {
  if ('error' in result) return true;
  const s = result.status;
  return s >= 500 || s === 408 || s === 425 || s === 429;
}

export function isDelivered(result: AttemptResult): boolean {
  return 'status' in result && result.status >= 200 && result.status < 300;
}
