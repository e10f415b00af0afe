import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import type { Hub } from '../../server/hub.js';
import type { QueueSettings } from '../../server/notify/endpoint-queue.js';
import { jobNotification, type WebhookEvent } from '../../shared/webhooks.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 15's done-when for webhooks: a real receiver gets `job.turn_soon` and `job.ready`
 * signed per Standard Webhooks (checked with its reference package), a 500 is retried, and a
 * receiver that never answers leaves every ingest answered and its queue at the cap.
 */

const EVENTS_URL = '/api/v1/workshops/sh-test/events';
const bearer = { Authorization: `Bearer ${TOKENS.terminal}` };
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

let receiver: WebhookReceiver | undefined;
let t: TestHub | undefined;

afterEach(async () => {
  await t?.stop();
  await receiver?.close();
  t = undefined;
  receiver = undefined;
});

async function start(events: WebhookEvent[], queue: Partial<QueueSettings> = {}, logger?: Logger): Promise<{ hub: Hub; rx: WebhookReceiver }> {
  const rx = await startWebhookReceiver();
  receiver = rx;
  const json = testConfigJson() as { workshops: Record<string, unknown>[] };
  json.workshops[0] = { ...json.workshops[0], webhooks: [{ url: rx.url, secretEnv: 'SH_TEST_WEBHOOK_SECRET', events }] };
  t = await startTestHub({
    config: parseConfig(json, 'webhooks test config'),
    webhookEnv: { SH_TEST_WEBHOOK_SECRET: SECRET },
    notifySettleMs: 20,
    notifyCheckEveryMs: 200,
    webhookQueue: { backoffBaseMs: 50, backoffMaxMs: 200, ...queue },
    ...(logger && { logger }),
  });
  return { hub: t.hub, rx };
}

async function post(hub: Hub, events: unknown[]): Promise<void> {
  const res = await request(hub.app).post(EVENTS_URL).set(bearer).send({ events });
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(events.map(() => 'accepted'));
}

/** The webhook as the receiver verifies it: throws unless the signature and timestamp hold. */
function verified(rx: WebhookReceiver, i: number) {
  const { headers, body } = rx.received[i]!;
  return jobNotification.parse(new Webhook(SECRET).verify(body, headers as Record<string, string>));
}

async function metric(hub: Hub, line: RegExp): Promise<number> {
  const text = await hub.metrics.registry.metrics();
  const m = text.split('\n').find((l) => line.test(l));
  return m === undefined ? 0 : Number(m.split(' ').at(-1));
}

describe('webhooks', () => {
  it('sends job.turn_soon then job.ready to a real receiver, signed per Standard Webhooks', async () => {
    const { hub, rx } = await start(['job.turn_soon', 'job.ready']);
    await post(hub, [
      ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('17:05'), { jobId: 'W1', plate: '沪A12345', service: 'maintenance', standardMinutes: 30, customerWaiting: true }),
    ]);
    await rx.waitFor(1);
    const soon = verified(rx, 0);
    expect(soon.type).toBe('job.turn_soon');
    expect(soon.data).toMatchObject({ workshopId: 'sh-test', jobId: 'W1', customerUrl: null, view: { plateMasked: '沪A····5', state: 'waiting' } });
    expect(rx.received[0]!.headers['content-type']).toBe('application/json');

    await post(hub, [ev('job.started', L('17:10'), { jobId: 'W1', bayId: 'B1', technicianId: 'T1' }), ev('job.completed', L('17:40'), { jobId: 'W1', firstTimeFix: true })]);
    await rx.waitFor(2);
    const ready = verified(rx, 1);
    expect(ready.type).toBe('job.ready');
    expect(ready.data).toMatchObject({ jobId: 'W1', view: { state: 'ready' } });
    // The payload holds the event, the workshop, the job and the customer's view: nothing else.
    expect(Object.keys(JSON.parse(rx.received[1]!.body).data).sort()).toEqual(['customerUrl', 'jobId', 'view', 'workshopId']);

    // Once each: further looks (every 200 ms) send nothing more.
    await new Promise((r) => setTimeout(r, 600));
    expect(rx.received.map((r) => JSON.parse(r.body).type)).toEqual(['job.turn_soon', 'job.ready']);
    expect(await metric(hub, /^pitwall_webhook_deliveries_total\{event="job.ready",outcome="delivered"\}/)).toBe(1);
  });

  it('retries after a 500, with the same webhook-id and a fresh signature', async () => {
    const log = capturingLogger('info');
    const { hub, rx } = await start(['job.ready'], {}, log.logger);
    rx.statuses.push(500);
    await post(hub, [
      ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('17:05'), { jobId: 'W2', plate: '沪B54321', service: 'repair', standardMinutes: 30, customerWaiting: false }),
      ev('job.started', L('17:10'), { jobId: 'W2', bayId: 'B1', technicianId: 'T1' }),
      ev('job.completed', L('17:40'), { jobId: 'W2', firstTimeFix: true }),
    ]);
    await rx.waitFor(2);
    const [first, second] = rx.received;
    expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
    expect(first!.body).toBe(second!.body);
    expect(verified(rx, 1).type).toBe('job.ready');
    const outcome = (o: string) => metric(hub, new RegExp(`^pitwall_webhook_deliveries_total\\{event="job.ready",outcome="${o}"\\}`));
    await expect.poll(() => outcome('delivered')).toBe(1);
    expect(await outcome('retrying')).toBe(1);

    // Each attempt logged: type, host, status, attempt; never the secret, the body or the path.
    const attempts = log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.webhook === 'job.ready');
    const host = new URL(rx.url).host;
    expect(attempts.map((a) => [a.host, a.status, a.attempt, a.outcome])).toEqual([
      [host, 500, 1, 'retrying'],
      [host, 200, 2, 'delivered'],
    ]);
    const logged = log.lines.join('');
    for (const secretPart of [SECRET, SECRET.slice(6, 30), '沪B', 'W2', '/hook']) expect(logged).not.toContain(secretPart);
  });

  it('a receiver that never answers blocks no ingest: 100 posts answered, its queue held at the cap', async () => {
    const CAP = 5;
    // Attempts outlast the test: every request stays unanswered.
    const { hub, rx } = await start(['job.ready'], { cap: CAP, timeoutMs: 60_000 });
    rx.hang = true;
    await post(hub, [ev('shift.clock_in', L('07:00'), { technicianId: 'T1' })]);
    const slowest: number[] = [];
    for (let i = 0; i < 100; i++) {
      const m = 7 * 60 + 5 + i * 6;
      const hhmm = (x: number) => `${String(Math.floor(x / 60)).padStart(2, '0')}:${String(x % 60).padStart(2, '0')}`;
      const jobId = `H${String(i).padStart(3, '0')}`;
      const began = performance.now();
      await post(hub, [
        ev('job.checked_in', L(hhmm(m)), { jobId, plate: `沪C${String(10000 + i)}`, service: 'maintenance', standardMinutes: 5, customerWaiting: false }),
        ev('job.started', L(hhmm(m + 1)), { jobId, bayId: 'B1', technicianId: 'T1' }),
        ev('job.completed', L(hhmm(m + 4)), { jobId, firstTimeFix: true }),
      ]);
      slowest.push(performance.now() - began);
    }
    // Every job's ready notice was judged: one in flight, the cap queued, the rest dropped and counted.
    const dropped = () => metric(hub, /^pitwall_webhook_deliveries_total\{event="job.ready",outcome="queue_full"\}/);
    await expect.poll(dropped, { timeout: 10_000 }).toBe(100 - CAP);
    expect(await metric(hub, /^pitwall_webhook_queue_depth /)).toBe(CAP);
    expect(rx.held).toBe(1);
    expect(rx.received).toHaveLength(1);
    // Generous: an ingest here takes milliseconds; one that waited on the receiver would take its 60 s timeout.
    expect(Math.max(...slowest)).toBeLessThan(5_000);
  });
});
