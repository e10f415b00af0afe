import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import type { Hub } from '../../server/hub.js';
import { alertNotification } from '../../shared/webhooks.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { redisHubs } from '../helpers/redis-hubs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Two hubs on one Redis, both with the workshop open, both judging its lights: a bay turning
 * red reaches the receiver once (the first hub to claim it in Redis sends it, the other logs
 * that it was claimed), and so does its acknowledgement, sent by the hub the lead reached.
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const hubs = redisHubs('alert-webhooks-two-hubs-');
let receiver: WebhookReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const board = (h: Hub) => request(h.app).get('/api/v1/workshops/sh-test/board').set({ Authorization: `Bearer ${TOKENS.board}` });

describe('alert webhooks with two hubs', () => {
  it('sends a red bay and its acknowledgement once each', async () => {
    const rx = (receiver = await startWebhookReceiver());
    const json = testConfigJson() as { workshops: Record<string, unknown>[] };
    json.workshops[0] = { ...json.workshops[0], webhooks: [{ url: rx.url, secret: SECRET, events: ['alert.raised', 'alert.acknowledged'] }] };
    const config = parseConfig(json, 'alert webhooks two hubs config');
    hubs.newLog();
    const logs = [capturingLogger('debug'), capturingLogger('debug')];
    const started: Hub[] = [];
    for (const log of logs) started.push((await hubs.hub({ config, logger: log.logger, adapterRedisUrl: hubs.redisUrl, rateLimitRedis: hubs.redisUrl })).hub);
    const [a, b] = started as [Hub, Hub];
    for (const h of [a, b]) expect((await board(h)).status).toBe(200);

    const res = await request(a.app)
      .post('/api/v1/workshops/sh-test/events')
      .set({ Authorization: `Bearer ${TOKENS.terminal}` })
      .send({ events: [ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }), ev('job.checked_in', L('17:05'), { jobId: 'R1', plate: '沪D24680', service: 'maintenance', standardMinutes: 30, customerWaiting: false }), ev('job.started', L('17:10'), { jobId: 'R1', bayId: 'B1', technicianId: 'T1' })] });
    expect(res.status).toBe(200);
    // Each hub judges the red bay when its board is read (hub B once A's append reached it).
    const redOn = async (h: Hub) => ((await board(h)).body.alerts as { metric: string; light: string }[]).some((x) => x.metric === 'bay:B1' && x.light === 'red');
    await expect.poll(() => redOn(a), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => redOn(b), { timeout: 10_000 }).toBe(true);

    const messages = () => rx.received.map((r) => alertNotification.parse(new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>)));
    const bayRaised = () => messages().filter((m) => m.type === 'alert.raised' && m.data.metric === 'bay:B1');
    await expect.poll(() => bayRaised().length, { timeout: 10_000 }).toBe(1);
    const claimedElsewhere = () => logs.flatMap((l) => l.lines).filter((l) => l.includes('already claimed') && l.includes('alert.raised')).length;
    await expect.poll(claimedElsewhere, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);

    expect((await request(b.app).post('/api/v1/workshops/sh-test/alerts/bay:B1/ack').set({ Authorization: `Bearer ${TOKENS.lead}` })).status).toBe(200);
    await expect.poll(() => messages().filter((m) => m.type === 'alert.acknowledged').length, { timeout: 10_000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(bayRaised()).toHaveLength(1);
    expect(messages().filter((m) => m.type === 'alert.acknowledged')).toHaveLength(1);
  });
});
