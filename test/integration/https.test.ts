import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lanAddress } from '../helpers/lan-address.js';
import { startHubProcess, type HubProcess } from '../helpers/hub-process.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/self-signed.js';

/**
 * The hub as `npm start` runs it (server/main.ts, its own process) with PITWALL_TLS_CERT and
 * PITWALL_TLS_KEY, at this machine's LAN address: HTTPS for pages and the API, Socket.IO on
 * the same server, HSTS; plain HTTP without them; a wrong file stops the start, named.
 */
const LAN = lanAddress();
let cert: TestCertificate;
let dataDir: string;
const hubs: HubProcess[] = [];

beforeAll(async () => {
  cert = await selfSignedCertificate([LAN, '127.0.0.1']);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-https-'));
});
afterAll(async () => {
  await Promise.all(hubs.map((h) => h.kill('SIGTERM')));
  await rm(dataDir, { recursive: true, force: true });
  if (cert) await rm(cert.dir, { recursive: true, force: true });
});

/** GET over HTTPS trusting the test certificate: status, headers, body. */
function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: readFileSync(cert.certFile) }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('the hub with PITWALL_TLS_CERT and PITWALL_TLS_KEY', () => {
  it('serves HTTPS at the LAN address, with HSTS, Socket.IO on the same port, and says so at start', async () => {
    const hub = await startHubProcess({ HOST: LAN, PITWALL_DATA_DIR: dataDir, PITWALL_DEMO: 'off', PITWALL_TLS_CERT: cert.certFile, PITWALL_TLS_KEY: cert.keyFile });
    hubs.push(hub);
    expect(hub.url).toBe(`https://${LAN}:${hub.port}`);
    const health = await get(`${hub.url}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    expect(health.headers['strict-transport-security']).toBe('max-age=15552000');
    const page = await get(`${hub.url}/terminal/demo`);
    expect(page.headers['strict-transport-security']).toBe('max-age=15552000');

    // Socket.IO over wss on the same server: a board connects with the token the hub printed,
    // with its https:// link.
    const token = new RegExp(`${hub.url.replace(/[.]/g, '\\.')}/board/demo#token=([\\w-]+)`).exec(hub.output())![1]!;
    const socket = connect(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token }, ca: readFileSync(cert.certFile, 'utf8') });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(err.message));
    });
    socket.disconnect();
    expect(outcome).toBe('connected');

    // Plain http to the same port is not served.
    await expect(fetch(`http://${LAN}:${hub.port}/healthz`)).rejects.toThrow();
    expect(hub.output()).toMatch(/serving HTTPS/);
    expect(hub.output()).toContain(`https://${LAN}:${hub.port}`);
  });

  it('stays plain HTTP without them, with no HSTS', async () => {
    const hub = await startHubProcess({ PITWALL_DATA_DIR: dataDir, PITWALL_DEMO: 'off' });
    hubs.push(hub);
    expect(hub.url).toMatch(/^http:\/\//);
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('does not start with a key that is not the certificate’s: the variable, the file and the problem on stderr', async () => {
    const other = await selfSignedCertificate(['127.0.0.1']);
    try {
      await expect(startHubProcess({ PITWALL_DATA_DIR: dataDir, PITWALL_DEMO: 'off', PITWALL_TLS_CERT: cert.certFile, PITWALL_TLS_KEY: other.keyFile })).rejects.toThrow(
        `PITWALL_TLS_KEY="${other.keyFile}" — is not the private key of the certificate in PITWALL_TLS_CERT="${cert.certFile}"`,
      );
    } finally {
      await rm(other.dir, { recursive: true, force: true });
    }
  });
});
