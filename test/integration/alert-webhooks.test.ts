import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import { MemoryClaims } from '../../server/notify/claims.js';
import { DEFAULT_QUEUE_SETTINGS, WebhookDelivery } from '../../server/notify/delivery.js';
import { AlertNotifier, RAISE_SLOT_MS } from '../../server/notify/alert-notifier.js';
import { resolveEndpoints } from '../../server/notify/endpoints.js';
import { alertNotification, type AlertNotification } from '../../shared/webhooks.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 16, item 9: a workshop's red alerts and their acknowledgement go to a signed webhook.
 * A real hub's bay turns red and a lead acknowledges it; a real receiver gets both, signed per
 * Standard Webhooks (checked with its reference package). Two hubs raising the same light a
 * minute apart, across a slot boundary, send it once; a new episode is sent again.
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: WebhookReceiver | undefined;
let t: TestHub | undefined;
const closers: (() => void)[] = [];

afterEach(async () => {
  await t?.stop();
  for (const c of closers.splice(0)) c();
  await receiver?.close();
  t = undefined;
  receiver = undefined;
});

function configWith(url: string, events: string[]) {
  const json = testConfigJson() as { workshops: Record<string, unknown>[] };
  json.workshops[0] = { ...json.workshops[0], webhooks: [{ url, secret: SECRET, events }] };
  return parseConfig(json, 'alert webhooks test config');
}

function verified(rx: WebhookReceiver): AlertNotification[] {
  return rx.received.map(({ headers, body }) => alertNotification.parse(new Webhook(SECRET).verify(body, headers as Record<string, string>)));
}

describe('alert webhooks', () => {
  it('sends a bay turning red and its acknowledgement to a real receiver, signed', async () => {
    const rx = (receiver = await startWebhookReceiver());
    t = await startTestHub({ config: configWith(rx.url, ['alert.raised', 'alert.acknowledged']) });
    const { hub } = t;
    // A 30-minute job on bay B1 since 17:10: at the hub's 18:00, 50 of 30 minutes, red.
    const posted = await request(hub.app)
      .post('/api/v1/workshops/sh-test/events')
      .set({ Authorization: `Bearer ${TOKENS.terminal}` })
      .send({
        events: [
          ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }),
          ev('job.checked_in', L('17:05'), { jobId: 'W1', plate: '沪A12345', service: 'maintenance', standardMinutes: 30, customerWaiting: false }),
          ev('job.started', L('17:10'), { jobId: 'W1', bayId: 'B1', technicianId: 'T1' }),
        ],
      });
    expect(posted.status).toBe(200);
    // A board's read judges the lights at once (without it the hub does within 5 s).
    const board = await request(hub.app).get('/api/v1/workshops/sh-test/board').set({ Authorization: `Bearer ${TOKENS.board}` });
    expect(board.body.alerts).toContainEqual(expect.objectContaining({ metric: 'bay:B1', light: 'red' }));

    const raisedBay = () => verified(rx).find((m) => m.type === 'alert.raised' && m.data.metric === 'bay:B1');
    await expect.poll(raisedBay, { timeout: 10_000 }).toBeDefined();
    expect(raisedBay()!.data).toMatchObject({ workshopId: 'sh-test', workshopName: expect.any(String), light: 'red', acknowledgedAt: null });
    // The board's text, the car's plate masked as on the customer's page: the message leaves the shop.
    expect(raisedBay()!.data.message).toMatch(/^Bay B1 \(沪A····5, 50 of 30 min\)/);
    expect(rx.received.some((r) => r.body.includes('沪A12345'))).toBe(false);
    // Only red lights leave the hub: a yellow one stays on the board.
    expect(verified(rx).every((m) => m.data.light === 'red')).toBe(true);

    const ack = await request(hub.app).post('/api/v1/workshops/sh-test/alerts/bay:B1/ack').set({ Authorization: `Bearer ${TOKENS.lead}` });
    expect(ack.status).toBe(200);
    const acked = () => verified(rx).find((m) => m.type === 'alert.acknowledged');
    await expect.poll(acked, { timeout: 10_000 }).toBeDefined();
    expect(acked()!.data).toMatchObject({ metric: 'bay:B1', light: 'red', since: raisedBay()!.data.since, acknowledgedAt: expect.any(String) });

    // A second acknowledgement of the same alert is the same message: claimed already, not sent again.
    await request(hub.app).post('/api/v1/workshops/sh-test/alerts/bay:B1/ack').set({ Authorization: `Bearer ${TOKENS.lead}` });
    await new Promise((r) => setTimeout(r, 300));
    expect(verified(rx).filter((m) => m.type === 'alert.acknowledged')).toHaveLength(1);
  });

  it('an endpoint that did not ask for alerts gets none', async () => {
    const rx = (receiver = await startWebhookReceiver());
    t = await startTestHub({ config: configWith(rx.url, ['job.ready']) });
    await request(t.hub.app)
      .post('/api/v1/workshops/sh-test/events')
      .set({ Authorization: `Bearer ${TOKENS.terminal}` })
      .send({ events: [ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }), ev('job.checked_in', L('17:05'), { jobId: 'W1', plate: '沪A12345', service: 'maintenance', standardMinutes: 30, customerWaiting: false }), ev('job.started', L('17:10'), { jobId: 'W1', bayId: 'B1', technicianId: 'T1' })] });
    const board = await request(t.hub.app).get('/api/v1/workshops/sh-test/board').set({ Authorization: `Bearer ${TOKENS.board}` });
    expect(board.body.alerts).toContainEqual(expect.objectContaining({ metric: 'bay:B1', light: 'red' }));
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.received).toHaveLength(0);
  });

  it('two hubs raising the same light a minute apart, across a slot boundary, send it once; a new episode again', async () => {
    const rx = (receiver = await startWebhookReceiver());
    const config = configWith(rx.url, ['alert.raised']);
    const endpoints = resolveEndpoints(config.workshops, {});
    // The claims two hubs share (Redis in production; one memory here), each hub its own delivery.
    const claims = new MemoryClaims();
    const hubs = [0, 1].map(() => {
      const delivery = new WebhookDelivery(DEFAULT_QUEUE_SETTINGS, pino({ level: 'silent' }), new Registry());
      closers.push(() => delivery.close());
      return new AlertNotifier({ workshops: config.workshops, endpoints, claims, delivery, clock: Date.now, logger: pino({ level: 'silent' }) });
    });
    const raise = (hub: number, atMs: number) =>
      hubs[hub]!.moved({ workshopId: 'sh-test', metric: 'averageWait', light: 'red', previous: 'yellow', message: 'Average wait 95 min is red', at: new Date(atMs).toISOString() });
    const boundary = Math.ceil(Date.parse(L('10:00')) / RAISE_SLOT_MS) * RAISE_SLOT_MS;
    raise(0, boundary - 30_000);
    raise(1, boundary + 30_000);
    await rx.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toHaveLength(1);
    // The light recovered (3 minutes at least) and turned red again: a new message.
    raise(1, boundary + 30_000 + 3 * 60_000);
    await rx.waitFor(2);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(2);
  });
});
