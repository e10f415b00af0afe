import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIR } from '../helpers/e2e.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/** The hub serves the built client on its own port: pages fall back to index.html, the API never does. */
describe('the built client', () => {
  let dir: string;
  let h: TestHub;
  const INDEX = '<!doctype html><title>Pitwall</title><div id="app"></div>';
  const BIG_ASSET = `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ i, label: `row ${i}` })))};`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-client-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), INDEX);
    await writeFile(path.join(dir, 'assets', 'index-3f2a1b.js'), 'console.log("board")');
    // The build's brotli and gzip copies (client/vite.config.ts), here made by hand.
    await writeFile(path.join(dir, 'assets', 'app-9c8d7e.js'), BIG_ASSET);
    await writeFile(path.join(dir, 'assets', 'app-9c8d7e.js.br'), brotliCompressSync(BIG_ASSET));
    await writeFile(path.join(dir, 'assets', 'app-9c8d7e.js.gz'), gzipSync(BIG_ASSET));
    // A source map left in a build by hand (npm run build:client writes none, vite.config.ts).
    await writeFile(path.join(dir, 'assets', 'index-3f2a1b.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
    await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    h = await startTestHub({ clientDir: dir });
  });
  afterAll(async () => {
    await h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['/', '/board', '/board/sh-test', '/terminal/sh-test/B1', '/lead/sh-test', '/desk/sh-test', '/reports/sh-test', '/region'])('answers %s with index.html, never cached', async (page) => {
    const res = await request(h.hub.app).get(page);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(INDEX);
  });

  it('serves the brotli copy to a browser that takes it, gzip to one that takes only gzip, the file itself otherwise', async () => {
    // node:http, not supertest: it would decompress before the test sees the bytes.
    const url = h.url || (await h.listen());
    const get = (encoding: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        httpGet(`${url}/assets/app-9c8d7e.js`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const br = await get('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG_ASSET);
    const gz = await get('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(BIG_ASSET);
    const plain = await get('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(BIG_ASSET);
    for (const res of [br, gz, plain]) {
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect(br.body.length).toBeLessThan(BIG_ASSET.length / 3);
  });

  it('never serves a source map, even one left in the build', async () => {
    const res = await request(h.hub.app).get('/assets/index-3f2a1b.js.map');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('secret.ts');
  });

  it('serves fingerprinted assets for good and other files revalidated', async () => {
    const asset = await request(h.hub.app).get('/assets/index-3f2a1b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await request(h.hub.app).get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('serves the service worker revalidated, allowed to control every page, and the CSP lets it run', async () => {
    const res = await request(h.hub.app).get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    // no-cache: a new build's worker is noticed on the next load, not in 24 hours.
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['service-worker-allowed']).toBe('/');
    // A same-origin worker: worker-src falls back to script-src, then default-src, both 'self'.
    const csp = Object.fromEntries(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name, values]),
    );
    for (const directive of ['worker-src', 'script-src', 'default-src'] as const) {
      if (csp[directive]) {
        expect(csp[directive]).toContain("'self'");
        break;
      }
    }
    expect(csp['default-src']).toEqual(["'self'"]);
    // Pages and assets do not carry the header.
    expect((await request(h.hub.app).get('/terminal/sh-test')).headers['service-worker-allowed']).toBeUndefined();
    expect((await request(h.hub.app).get('/assets/index-3f2a1b.js')).headers['service-worker-allowed']).toBeUndefined();
  });

  it('keeps unknown API routes, missing assets and other paths a JSON 404', async () => {
    for (const p of ['/api/v1/nothing', '/api/board/sh-test', '/assets/gone.js', '/settings', '/regions', '/reportsx']) {
      const res = await request(h.hub.app).get(p);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});

/**
 * The real build (vite-plugin-pwa, client/vite.config.ts): its worker, its web app manifest and
 * the manifest's icons, as a tablet's browser fetches them to install the app and to notice a
 * new build.
 */
describe('the built client, installable and offline-capable', () => {
  let h: TestHub;
  beforeAll(async () => {
    h = await startTestHub({ clientDir: CLIENT_DIR });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('serves the Workbox worker revalidated and allowed to control every page, with the whole build in its precache list', async () => {
    const res = await request(h.hub.app).get('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['service-worker-allowed']).toBe('/');
    // Workbox's precache, with the build's own file names: index.html, the entry and a view's chunk.
    expect(res.text).toContain('workbox');
    const index = await request(h.hub.app).get('/index.html');
    const entry = /\/assets\/index-[\w-]+\.js/.exec(index.text)![0];
    expect(res.text).toContain(entry.slice(1));
    expect(res.text).toMatch(/assets\/TerminalView-[\w-]+\.js/);
    expect(res.text).toContain('index.html');
  });

  it('serves a web app manifest the index links, full-screen, with 192 and 512 px icons, maskable too', async () => {
    const index = await request(h.hub.app).get('/terminal/sh-test');
    expect(index.text).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    const res = await request(h.hub.app).get('/manifest.webmanifest');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const manifest = JSON.parse(res.text) as { display: string; start_url: string; scope: string; icons: { src: string; sizes: string; type: string; purpose: string }[] };
    expect(['fullscreen', 'standalone']).toContain(manifest.display);
    expect(manifest.scope).toBe('/');
    const sizes = (purpose: string) => manifest.icons.filter((i) => i.purpose === purpose).map((i) => i.sizes).sort();
    expect(sizes('any')).toEqual(['192x192', '512x512']);
    expect(sizes('maskable')).toEqual(['192x192', '512x512']);
    for (const icon of manifest.icons) {
      const png = await request(h.hub.app).get(icon.src).buffer(true);
      expect(png.status).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      const body = png.body as Buffer;
      // A PNG whose header (IHDR) says the size the manifest claims.
      expect(body.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  });
});
