import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_SETTINGS, WebhookDelivery, type Endpoint } from '../../server/notify/delivery.js';
import type { QueueSettings } from '../../server/notify/endpoint-queue.js';
import { secretKey } from '../../server/notify/signature.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The delivery layer alone (server/notify/delivery.ts), against a real receiver: what is
 * retried and what is not, the retry period's end, redirects, timeouts, order, and a stop that
 * does not wait for a hanging receiver. It knows no jobs: any event type goes.
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let rx: WebhookReceiver | undefined;
let delivery: WebhookDelivery | undefined;
let registry: Registry;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  delivery?.close();
  await rx?.close();
  for (const c of closers.splice(0)) await c();
  delivery = undefined;
  rx = undefined;
});

async function setUp(settings: Partial<QueueSettings> = {}): Promise<{ rx: WebhookReceiver; d: WebhookDelivery; endpoint: Endpoint }> {
  rx = await startWebhookReceiver();
  registry = new Registry();
  delivery = new WebhookDelivery({ ...DEFAULT_QUEUE_SETTINGS, backoffBaseMs: 20, backoffMaxMs: 50, timeoutMs: 2000, ...settings }, pino({ level: 'silent' }), registry);
  return { rx, d: delivery, endpoint: { id: 'test#0', url: rx.url, hmacKey: secretKey(SECRET) } };
}

const message = (n: number, type = 'alert.raised') => ({ id: `msg_${n}`, type, body: JSON.stringify({ type, n }) });

async function count(outcome: string, event = 'alert.raised'): Promise<number> {
  const m = (await registry.getSingleMetric('pitwall_webhook_deliveries_total')!.get()).values.find((v) => v.labels.outcome === outcome && v.labels.event === event);
  return m?.value ?? 0;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhook delivery', () => {
  it('does not retry a 4xx refusal, and goes on with the next message', async () => {
    const { rx, d, endpoint } = await setUp();
    rx.statuses.push(404);
    d.send(endpoint, message(1));
    d.send(endpoint, message(2));
    await rx.waitFor(2);
    await settle(200);
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual(['msg_1', 'msg_2']);
    expect(await count('refused')).toBe(1);
    expect(await count('delivered')).toBe(1);
  });

  it('retries 5xx, 429 and timeouts until the retry period ends, then drops the message (expired)', async () => {
    const { rx, d, endpoint } = await setUp({ retryForMs: 400, timeoutMs: 100 });
    rx.statuses.push(503, 429, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
    d.send(endpoint, message(1));
    await expect.poll(() => count('expired'), { timeout: 5000 }).toBe(1);
    const attempts = rx.received.length;
    expect(attempts).toBeGreaterThanOrEqual(3);
    // Every attempt but the last is `retrying`; the last is `expired`, or `retrying` when the period ended during its wait.
    expect(await count('retrying')).toBeGreaterThanOrEqual(attempts - 1);
    expect(await count('retrying')).toBeLessThanOrEqual(attempts);
    // A hanging receiver: each attempt ends at the timeout and is retried.
    rx.hang = true;
    d.send(endpoint, message(2));
    await expect.poll(() => count('expired'), { timeout: 5000 }).toBe(2);
    expect(rx.received.filter((r) => r.headers['webhook-id'] === 'msg_2').length).toBeGreaterThanOrEqual(2);
    expect(d.depth()).toBe(0);
  });

  it('never follows a redirect', async () => {
    const { rx, d } = await setUp();
    const redirector = createServer((_req, res) => res.writeHead(302, { Location: rx.url }).end());
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => redirector.close(() => r())));
    d.send({ id: 'redirect#0', url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`, hmacKey: secretKey(SECRET) }, message(1));
    await expect.poll(() => count('refused')).toBe(1);
    expect(rx.received).toHaveLength(0);
  });

  it('holds at most the cap per endpoint and counts what it drops', async () => {
    const { rx, d, endpoint } = await setUp({ cap: 3 });
    rx.hang = true;
    const accepted = [1, 2, 3, 4, 5].map((n) => d.send(endpoint, message(n)));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(await count('queue_full')).toBe(2);
    expect(d.depth()).toBe(3);
  });

  it('a stop aborts the attempt in flight instead of waiting for its timeout', async () => {
    const { rx, d, endpoint } = await setUp({ timeoutMs: 60_000 });
    rx.hang = true;
    d.send(endpoint, message(1));
    await rx.waitFor(1);
    d.close();
    // The hub hung up on the receiver (the attempt's 60 s timeout did not have to pass).
    await expect.poll(() => rx.abandoned, { timeout: 10_000 }).toBe(1);
    expect(await count('unsent_at_stop', 'any')).toBe(1);
  });
});
