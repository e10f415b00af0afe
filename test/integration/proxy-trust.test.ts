import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { io as connect } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../fixtures/config.js';
import { startNginx, type NginxHandle } from '../helpers/nginx.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { connected, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/**
 * Issue 11, item 5: nginx appended to X-Forwarded-For and the hub took the first entry, which
 * the client writes itself: 40 of 40 sockets with forged addresses passed a cap of 5.
 * docs/security.md, "Behind a proxy".
 *
 * The client connects from 127.0.0.2 and nginx from 127.0.0.1 (both loopback), so the hub can
 * tell the real client from the proxy and from the forged addresses.
 */
const CLIENT_ADDRESS = '127.0.0.2';
const CAP = 5;
const ATTEMPTS = 40;
const forged = (i: number) => `203.0.113.${i + 1}`;

const sockets: ClientSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

/** 40 board sockets, each claiming another address; how many the hub let in. */
async function forgedSockets(url: string): Promise<number> {
  const outcomes = await Promise.all(
    Array.from({ length: ATTEMPTS }, (_, i) => {
      // engine.io-client hands `localAddress` to ws in Node; socket.io-client's types leave it out.
      const options: Parameters<typeof connect>[1] & { localAddress: string } = {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        auth: { token: TOKENS.board },
        localAddress: CLIENT_ADDRESS,
        extraHeaders: { 'X-Forwarded-For': forged(i) },
      };
      const s: ClientSocket = connect(url, options);
      sockets.push(s);
      return connected(s).then(
        () => true,
        () => false,
      );
    }),
  );
  return outcomes.filter(Boolean).length;
}

/** A GET from 127.0.0.2 with a forged X-Forwarded-For. */
function get(url: string, headers: Record<string, string> = { 'X-Forwarded-For': forged(99) }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { localAddress: CLIENT_ADDRESS, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('behind the shipped nginx (PITWALL_TRUST_PROXY=1)', () => {
  let h: TestHub;
  let nginx: NginxHandle;
  const { logger, lines: log } = capturingLogger('warn');
  beforeAll(async () => {
    h = await startTestHub({ maxSocketsPerAddress: CAP, trustProxy: 1, logger });
    await h.listen();
    nginx = await startNginx(Number(new URL(h.url).port));
  });
  afterAll(async () => {
    await nginx?.stop();
    await h?.stop();
  });

  it('counts sockets by the real client address, whatever X-Forwarded-For the client forged', { timeout: 60_000 }, async () => {
    expect(await forgedSockets(nginx.url)).toBe(CAP);
    // Long-polling handshakes are plain HTTP requests: the same count, the same address.
    expect((await get(`${nginx.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(403);
    const refusals = log.map((l) => JSON.parse(l) as { msg: string; address?: string }).filter((l) => l.msg.includes('too many connections'));
    expect(refusals.map((l) => l.address)).toEqual([CLIENT_ADDRESS]);
  });

  it("gives Express's req.ip the same address", async () => {
    // A probe app with the hub's own `trust proxy` setting (server/http/app.ts), behind the same nginx.
    const app = express();
    app.set('trust proxy', h.hub.expressApp.get('trust proxy'));
    app.get('/whoami', (req, res) => {
      res.json({ ip: req.ip });
    });
    const probe = http.createServer(app);
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const proxy = await startNginx((probe.address() as AddressInfo).port);
    try {
      const { body } = await get(`${proxy.url}/whoami`);
      expect(JSON.parse(body)).toEqual({ ip: CLIENT_ADDRESS });
    } finally {
      await proxy.stop();
      await new Promise((resolve) => probe.close(resolve));
    }
  });

  it('keeps query strings out of the access log', async () => {
    const secret = 'secret-board-token-in-a-bookmark';
    expect((await get(`${nginx.url}/api/v1/workshops/sh-test/board?token=${secret}`)).status).toBe(401);
    // nginx writes the line once the response has gone (its log phase): wait for it.
    await expect.poll(() => nginx.accessLog(), { timeout: 10_000 }).toContain('GET /api/v1/workshops/sh-test/board HTTP/1.1');
    const access = nginx.accessLog();
    expect(access).toContain('GET /api/v1/workshops/sh-test/board HTTP/1.1');
    expect(access).toContain(`${CLIENT_ADDRESS} [`);
    expect(access).not.toContain(secret);
    expect(access).not.toContain('token=');
  });
});

describe('straight to the hub with PITWALL_TRUST_PROXY=0', () => {
  let h: TestHub;
  beforeAll(async () => {
    h = await startTestHub({ maxSocketsPerAddress: CAP, trustProxy: 0 });
    await h.listen();
  });
  afterAll(() => h.stop());

  it('ignores X-Forwarded-For: the TCP peer is the client', { timeout: 60_000 }, async () => {
    expect(await forgedSockets(h.url)).toBe(CAP);
  });
});
