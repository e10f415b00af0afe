import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../fixtures/config.js';
import { startNginx, type NginxHandle } from '../helpers/nginx.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/** The shipped nginx compresses the API's JSON for the shop's Wi-Fi (deploy/nginx.conf; issue 16, item 6). */
describe('the shipped nginx', () => {
  let h: TestHub;
  let nginx: NginxHandle;
  beforeAll(async () => {
    h = await startTestHub({});
    await h.listen();
    nginx = await startNginx(Number(new URL(h.url).port));
  });
  afterAll(async () => {
    await nginx?.stop();
    await h?.stop();
  });

  const raw = (url: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      httpGet(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });

  it('gzips a board snapshot for a client that takes gzip, and not for one that does not', async () => {
    const url = `${nginx.url}/api/v1/workshops/sh-test/board`;
    const auth = { authorization: `Bearer ${TOKENS.board}` };
    const zipped = await raw(url, { ...auth, 'accept-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const board = JSON.parse(gunzipSync(zipped.body).toString()) as { workshopId: string };
    expect(board.workshopId).toBe('sh-test');
    const plain = await raw(url, auth);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.body.length).toBeLessThan(plain.body.length);
  });
});
