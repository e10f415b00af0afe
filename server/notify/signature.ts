import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature (docs/api.md, "Webhooks"): `v1,` and the base64 HMAC-SHA256,
 * keyed with the secret's bytes (the base64 after `whsec_`), of `<id>.<timestamp>.<body>`.
 * Written with node:crypto; the tests check it against the `standardwebhooks` package.
 */

/** The key an `whsec_…` secret stands for (shared/webhooks.ts checked its form at start-up). */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** The three headers of one attempt; `timestampSec` is the attempt's (Unix seconds), so a retry is signed afresh. */
export function signedHeaders(key: Buffer, id: string, timestampSec: number, body: string): Record<string, string> {
  const signature = createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSec), 'webhook-signature': `v1,${signature}` };
}
