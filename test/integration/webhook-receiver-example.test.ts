import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import type { Hub } from '../../server/hub.js';
import { signedHeaders, secretKey } from '../../server/notify/signature.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { freePort } from '../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The minimal receiver the docs give shops (docs/webhook-receiver.mjs) accepts what a real hub
 * sends (the hub counts it delivered) and refuses a body changed after signing (401).
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: ChildProcess | undefined;
let t: TestHub | undefined;

afterEach(async () => {
  await t?.stop();
  receiver?.kill('SIGTERM');
  t = undefined;
  receiver = undefined;
});

async function startExample(): Promise<string> {
  const port = await freePort();
  receiver = spawn(process.execPath, ['docs/webhook-receiver.mjs'], { env: { ...process.env, PORT: String(port), PITWALL_WEBHOOK_SECRET: SECRET, GATEWAY_URL: 'http://127.0.0.1:9/unused' }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    const up = await fetch(url, { method: 'POST', body: '{}' }).then((r) => r.status, () => 0);
    if (up === 401) return url;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('docs/webhook-receiver.mjs did not start');
}

describe('docs/webhook-receiver.mjs', () => {
  it('verifies what the hub sends, and refuses a tampered body', async () => {
    const url = await startExample();
    const json = testConfigJson() as { workshops: Record<string, unknown>[] };
    json.workshops[0] = { ...json.workshops[0], webhooks: [{ url, secret: SECRET, events: ['job.ready'] }] };
    t = await startTestHub({ config: parseConfig(json, 'example test config'), notifySettleMs: 20, notifyCheckEveryMs: 200 });
    const hub = t.hub;
    const events = [
      ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('17:05'), { jobId: 'X1', plate: '沪E13579', service: 'maintenance', standardMinutes: 30, customerWaiting: false }),
      ev('job.started', L('17:10'), { jobId: 'X1', bayId: 'B1', technicianId: 'T1' }),
      ev('job.completed', L('17:40'), { jobId: 'X1', firstTimeFix: true }),
    ];
    await request(hub.app).post('/api/v1/workshops/sh-test/events').set({ Authorization: `Bearer ${TOKENS.terminal}` }).send({ events });
    const delivered = async () => (await hub!.metrics.registry.metrics()).includes('pitwall_webhook_deliveries_total{event="job.ready",outcome="delivered"} 1');
    await expect.poll(delivered, { timeout: 10_000 }).toBe(true);

    const body = JSON.stringify({ type: 'job.ready', data: { jobId: 'X2' } });
    const headers = signedHeaders(secretKey(SECRET), 'msg_test', Math.floor(Date.now() / 1000), body);
    expect((await fetch(url, { method: 'POST', headers, body: body.replace('X2', 'X3') })).status).toBe(401);
  });
});
