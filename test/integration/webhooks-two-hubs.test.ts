import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import type { Hub } from '../../server/hub.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { redisHubs } from '../helpers/redis-hubs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Two hubs on one Redis, both with the workshop open, both judging the same notices: each
 * notice reaches the receiver once, because the first hub to claim its id in Redis sends it
 * (server/notify/claims.ts) and the other logs that it was claimed.
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const hubs = redisHubs('webhooks-two-hubs-');
let receiver: WebhookReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('webhooks with two hubs', () => {
  it('sends each notice once, whichever hub judged it first', async () => {
    const rx = await startWebhookReceiver();
    receiver = rx;
    const json = testConfigJson() as { workshops: Record<string, unknown>[] };
    json.workshops[0] = { ...json.workshops[0], webhooks: [{ url: rx.url, secret: SECRET, events: ['job.turn_soon', 'job.ready'] }] };
    const config = parseConfig(json, 'two hubs test config');
    hubs.newLog();
    const logs = [capturingLogger('debug'), capturingLogger('debug')];
    const started: Hub[] = [];
    for (const log of logs) {
      const { hub: h } = await hubs.hub({
        config,
        logger: log.logger,
        adapterRedisUrl: hubs.redisUrl,
        rateLimitRedis: hubs.redisUrl,
        notifySettleMs: 20,
        notifyCheckEveryMs: 100,
      });
      started.push(h);
    }
    const [a, b] = started as [Hub, Hub];
    // Both hubs open the workshop (the board of each is read) before anything happens.
    for (const h of [a, b]) expect((await request(h.app).get('/api/v1/workshops/sh-test/board').set({ Authorization: `Bearer ${TOKENS.board}` })).status).toBe(200);

    const events = [
      ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('17:05'), { jobId: 'D1', plate: '沪D24680', service: 'maintenance', standardMinutes: 30, customerWaiting: true }),
      ev('job.started', L('17:10'), { jobId: 'D1', bayId: 'B1', technicianId: 'T1' }),
      ev('job.completed', L('17:40'), { jobId: 'D1', firstTimeFix: true }),
    ];
    // The check-in on hub A, the rest on hub B: each hub hears the other's appends through Redis.
    for (const [h, batch] of [[a, events.slice(0, 2)], [b, events.slice(2)]] as const) {
      const res = await request(h.app).post('/api/v1/workshops/sh-test/events').set({ Authorization: `Bearer ${TOKENS.terminal}` }).send({ events: batch });
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(batch.map(() => 'accepted'));
      await new Promise((r) => setTimeout(r, 500));
    }

    // Both hubs judged both notices: one sent each, the other found it claimed.
    const claimedElsewhere = () => logs.flatMap((l) => l.lines).filter((l) => l.includes('already claimed')).length;
    await expect.poll(claimedElsewhere, { timeout: 10_000 }).toBe(2);
    await rx.waitFor(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.received.map((r) => (new Webhook(SECRET).verify(r.body, r.headers as Record<string, string>) as { type: string }).type)).toEqual(['job.turn_soon', 'job.ready']);
  });
});
