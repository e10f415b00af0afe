import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../server/notify/backoff.js';
import { secretKey, signedHeaders } from '../../server/notify/signature.js';
import { secretProblem, webhookUrlProblem } from '../../shared/webhooks.js';

/** The signature is the Standard Webhooks one (checked by its reference package); the backoff is bounded. */

describe('webhook signature', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const body = JSON.stringify({ type: 'job.ready', data: { plate: '沪A·····5' } });

  it('verifies with the standardwebhooks package', () => {
    const headers = signedHeaders(secretKey(secret), 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers['webhook-signature']).toBe(new Webhook(secret).sign('msg_1', new Date(Number(headers['webhook-timestamp']) * 1000), body));
  });

  it('fails with another secret, another body or an old timestamp', () => {
    const now = Math.floor(Date.now() / 1000);
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => new Webhook(other).verify(body, signedHeaders(secretKey(secret), 'msg_1', now, body))).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, signedHeaders(secretKey(secret), 'msg_1', now, body))).toThrow();
    expect(() => new Webhook(secret).verify(body, signedHeaders(secretKey(secret), 'msg_1', now - 3600, body))).toThrow(/timestamp/i);
  });
});

describe('webhook settings', () => {
  it.each([
    ['https://sms.example.com/hook', null],
    ['http://localhost:8080/hook', null],
    ['http://127.0.0.1:8080/hook', null],
    ['http://[::1]:8080/hook', null],
    ['http://sms.example.com/hook', /must use https/],
    ['https://user:pw@sms.example.com/hook', /user name or password/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['ftp://example.com', /https/],
    ['not a url', /absolute URL/],
  ])('url %s', (url, problem) => {
    const got = webhookUrlProblem(url);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toMatch(problem);
  });

  it.each([
    [`whsec_${randomBytes(32).toString('base64')}`, null],
    [`whsec_${randomBytes(8).toString('base64')}`, /24–64 bytes .*has 8/],
    ['hunter2-hunter2-hunter2-hunter2', /must be "whsec_"/],
  ])('secret %#', (secret, problem) => {
    const got = secretProblem(secret);
    if (problem === null) expect(got).toBeNull();
    else {
      expect(got).toMatch(problem);
      expect(got).not.toContain(secret.slice(6, 14));
    }
  });

  it('backs off exponentially with jitter, up to the ceiling', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
