import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config/config-file.js';
import { resolveEndpoints } from '../../server/notify/endpoints.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { startTestHub } from '../helpers/test-hub.js';

/** The workshops' webhook endpoints in the config file: each refusal names the file, the field and the problem. */

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

function configWith(webhooks: unknown, extra: Record<string, unknown> = {}): unknown {
  const json = testConfigJson() as { workshops: Record<string, unknown>[] };
  // A copy: the fixture's workshop object is shared by every test of the process.
  json.workshops[0] = { ...json.workshops[0], webhooks, ...extra };
  return json;
}

function problemsOf(value: unknown): string[] {
  try {
    parseConfig(value, '/etc/pitwall.json');
  } catch (err) {
    if (err instanceof ConfigError) {
      expect(err.message.split('\n')[0]).toBe('Invalid config file /etc/pitwall.json:');
      return [...err.problems];
    }
    throw err;
  }
  return [];
}

describe('webhooks in the config file', () => {
  it('accepts endpoints with a secret or a secretEnv, and turnSoonMinutes', () => {
    const cfg = parseConfig(
      configWith(
        [
          { url: 'https://sms.example.com/pitwall', secretEnv: 'SMS_WEBHOOK_SECRET', events: ['job.turn_soon', 'job.ready'], includeCustomerLink: true },
          { url: 'http://localhost:9000/hook', secret: SECRET, events: ['job.promise_at_risk'] },
        ],
        { turnSoonMinutes: 20 },
      ),
      'test',
    );
    expect(cfg.workshops[0]!.webhooks).toHaveLength(2);
    expect(cfg.workshops[0]!.turnSoonMinutes).toBe(20);
  });

  it.each([
    { name: 'plain http to another host', webhooks: [{ url: 'http://sms.example.com/x', secret: SECRET, events: ['job.ready'] }], problem: 'workshops[0].webhooks[0].url — must use https' },
    { name: 'neither secret nor secretEnv', webhooks: [{ url: 'https://a.example.com', events: ['job.ready'] }], problem: 'workshops[0].webhooks[0].secret — give either "secret" or "secretEnv"' },
    { name: 'both secret and secretEnv', webhooks: [{ url: 'https://a.example.com', secret: SECRET, secretEnv: 'X', events: ['job.ready'] }], problem: 'workshops[0].webhooks[0].secret — give either' },
    { name: 'a secret not in the whsec_ form', webhooks: [{ url: 'https://a.example.com', secret: 'hunter2hunter2hunter2', events: ['job.ready'] }], problem: 'workshops[0].webhooks[0].secret — must be "whsec_" followed by base64' },
    { name: 'an unknown event', webhooks: [{ url: 'https://a.example.com', secret: SECRET, events: ['job.started'] }], problem: 'workshops[0].webhooks[0].events[0] — must be one of job.turn_soon, job.ready, job.promise_at_risk' },
    { name: 'no events', webhooks: [{ url: 'https://a.example.com', secret: SECRET, events: [] }], problem: 'workshops[0].webhooks[0].events — must list at least one' },
    { name: 'an unknown field', webhooks: [{ url: 'https://a.example.com', secret: SECRET, events: ['job.ready'], retries: 3 }], problem: 'workshops[0].webhooks[0].retries — unknown field' },
    { name: 'too many endpoints', webhooks: Array.from({ length: 6 }, () => ({ url: 'https://a.example.com', secret: SECRET, events: ['job.ready'] })), problem: 'workshops[0].webhooks — at most 5 webhook endpoints per workshop' },
  ])('refuses $name', ({ webhooks, problem }) => {
    const problems = problemsOf(configWith(webhooks));
    expect(problems.some((p) => p.startsWith(problem))).toBe(true);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('refuses turnSoonMinutes out of range', () => {
    expect(problemsOf(configWith([], { turnSoonMinutes: 0 }))).toEqual(['workshops[0].turnSoonMinutes — must be 1–240']);
  });

  it('names the file, the field and the variable when a secretEnv is unset or malformed, never its value', () => {
    const cfg = parseConfig(configWith([{ url: 'https://a.example.com', secretEnv: 'SH_SECRET', events: ['job.ready'] }]), 'test');
    expect(() => resolveEndpoints(cfg.workshops, {}, '/etc/pitwall.json')).toThrow(
      'Invalid config file /etc/pitwall.json:\n  workshops[0].webhooks[0].secretEnv — the environment variable SH_SECRET is not set',
    );
    expect(() => resolveEndpoints(cfg.workshops, { SH_SECRET: 'hunter2hunter2' }, '/etc/pitwall.json')).toThrow(/SH_SECRET must be "whsec_"/);
    expect(resolveEndpoints(cfg.workshops, { SH_SECRET: SECRET }).get('sh-test')!.map((e) => e.url)).toEqual(['https://a.example.com']);
  });

  it('a hub does not start with an endpoint it cannot sign for', async () => {
    const cfg = parseConfig(configWith([{ url: 'https://a.example.com', secretEnv: 'SH_SECRET', events: ['job.ready'] }]), 'test');
    await expect(startTestHub({ config: cfg })).rejects.toThrow(/SH_SECRET is not set/);
  });

  it('never shows a page the endpoints: GET /workshops/:ws leaves them out', async () => {
    const t = await startTestHub({ config: parseConfig(configWith([{ url: 'https://a.example.com/key=abc', secret: SECRET, events: ['job.ready'] }]), 'test') });
    try {
      const res = await request(t.hub.app).get('/api/v1/workshops/sh-test').set({ Authorization: `Bearer ${TOKENS.admin}` });
      expect(res.status).toBe(200);
      expect(res.body.workshop.webhooks).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain('whsec_');
    } finally {
      await t.stop();
    }
  });
});
