import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { freePort } from '../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * The alert receiver docs/alert-webhooks.md gives shops (docs/alert-receiver.mjs) takes a real
 * hub's `alert.raised` and `alert.acknowledged` and posts them in the JSON a WeCom group bot, a
 * DingTalk robot and a Teams Workflows webhook expect (three real HTTP servers stand in for them).
 */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let example: ChildProcess | undefined;
let t: TestHub | undefined;
const chats: WebhookReceiver[] = [];

afterEach(async () => {
  await t?.stop();
  example?.kill('SIGTERM');
  for (const c of chats.splice(0)) await c.close();
  t = undefined;
  example = undefined;
});

async function startExample(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  example = spawn(process.execPath, ['docs/alert-receiver.mjs'], { env: { ...process.env, PORT: String(port), PITWALL_WEBHOOK_SECRET: SECRET, ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    if ((await fetch(url, { method: 'POST', body: '{}' }).then((r) => r.status, () => 0)) === 401) return url;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('docs/alert-receiver.mjs did not start');
}

/** The part of a Teams message the test reads. */
type TeamsMessage = { attachments: { content: { body: { color?: string }[] } }[] };

describe('docs/alert-receiver.mjs', () => {
  it('turns a red bay and its acknowledgement into WeCom, DingTalk and Teams messages', async () => {
    const [wecom, dingtalk, teams] = await Promise.all([startWebhookReceiver(), startWebhookReceiver(), startWebhookReceiver()]);
    chats.push(wecom!, dingtalk!, teams!);
    const url = await startExample({ WECOM_URL: wecom!.url, DINGTALK_URL: `${dingtalk!.url}?access_token=test`, DINGTALK_SECRET: 'SECtest', TEAMS_URL: teams!.url });
    const json = testConfigJson() as { workshops: Record<string, unknown>[] };
    json.workshops[0] = { ...json.workshops[0], webhooks: [{ url, secret: SECRET, events: ['alert.raised', 'alert.acknowledged'] }] };
    t = await startTestHub({ config: parseConfig(json, 'alert receiver example config') });
    const { hub } = t;
    await request(hub.app)
      .post('/api/v1/workshops/sh-test/events')
      .set({ Authorization: `Bearer ${TOKENS.terminal}` })
      .send({ events: [ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }), ev('job.checked_in', L('17:05'), { jobId: 'W1', plate: '沪A12345', service: 'maintenance', standardMinutes: 30, customerWaiting: false }), ev('job.started', L('17:10'), { jobId: 'W1', bayId: 'B1', technicianId: 'T1' })] })
      .expect(200);
    await request(hub.app).get('/api/v1/workshops/sh-test/board').set({ Authorization: `Bearer ${TOKENS.board}` }).expect(200);

    const about = (rx: WebhookReceiver, text: RegExp): unknown[] => rx.received.map((r) => JSON.parse(r.body) as unknown).filter((b) => text.test(JSON.stringify(b)));
    await expect.poll(() => about(wecom!, /工位 B1/).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => about(dingtalk!, /工位 B1/).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => about(teams!, /工位 B1/).length, { timeout: 10_000 }).toBe(1);

    const w = about(wecom!, /工位 B1/)[0]!;
    expect(w).toEqual({ msgtype: 'markdown', markdown: { content: expect.stringMatching(/红灯.*工位 B1/) } });
    const d = about(dingtalk!, /工位 B1/)[0]!;
    expect(d).toEqual({ msgtype: 'markdown', markdown: { title: expect.stringMatching(/红灯.*工位 B1/), text: expect.stringContaining('Bay B1') } });
    const card = about(teams!, /工位 B1/)[0]!;
    expect(card).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } }] });
    expect((card as TeamsMessage).attachments[0]!.content.body[0]).toMatchObject({ type: 'TextBlock', text: expect.stringMatching(/红灯.*工位 B1/), color: 'Attention' });

    const ackedAt = Date.now();
    await request(hub.app).post('/api/v1/workshops/sh-test/alerts/bay:B1/ack').set({ Authorization: `Bearer ${TOKENS.lead}` }).expect(200);
    await expect.poll(() => about(wecom!, /已确认.*工位 B1/).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => about(teams!, /已确认.*工位 B1/).length, { timeout: 10_000 }).toBe(1);
    expect((about(teams!, /已确认.*工位 B1/)[0] as TeamsMessage).attachments[0]!.content.body[0]!.color).toBe('Good');

    // DingTalk's 加签, made afresh for each post: the HMAC-SHA256 of "<timestamp>\n<secret>" keyed with the secret.
    await expect.poll(() => about(dingtalk!, /已确认.*工位 B1/).length, { timeout: 10_000 }).toBe(1);
    const signed = new URL(dingtalk!.received.at(-1)!.url, 'http://x');
    expect(signed.searchParams.get('access_token')).toBe('test');
    const timestamp = signed.searchParams.get('timestamp')!;
    expect(Number(timestamp)).toBeGreaterThanOrEqual(ackedAt);
    expect(signed.searchParams.get('sign')).toBe(createHmac('sha256', 'SECtest').update(`${timestamp}\nSECtest`).digest('base64'));
  });
});
