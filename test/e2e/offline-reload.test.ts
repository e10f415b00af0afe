import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, request, type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L } from '../fixtures/workshop.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser.js';
import { CLIENT_DIR } from '../helpers/e2e.js';
import { lanAddress } from '../helpers/lan-address.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/self-signed.js';
import { outages, startTestHub, type Outage, type TestHub } from '../helpers/test-hub.js';

/**
 * The offline shell (client/src/sw.ts, built by vite-plugin-pwa) in Debian's Chromium, as a bay
 * tablet meets it on a shop's network: the hub on HTTPS (PITWALL_TLS_CERT/KEY's certificate, a
 * throwaway self-signed one here, which the browser is told to accept) at this machine's LAN
 * address, not 127.0.0.1, where browsers would allow a worker even over plain http. A tablet
 * that RELOADS while the hub is gone still gets its terminal, with its pending tap, instead of
 * the browser's error page; the tap reaches the hub once it is back. "Gone" is the hub's
 * listener closed (connection refused), not Playwright's offline switch, which service-worker
 * fetches do not reliably obey. Clocks pinned to 10:00 on the scripted Saturday, as in
 * terminal.test.ts.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const TABLET = { width: 1280, height: 800 };
const WS = 'sh-test';
const LAN = lanAddress();

let browser: Browser;
let h: TestHub;
let outage: Outage;
let cert: TestCertificate;
let tls: { cert: Buffer; key: Buffer };
/** An HTTPS client for the test's own calls that accepts the throwaway certificate, as the browser does. */
let api: APIRequestContext;
const now = Date.parse(L('10:00'));
const contexts: BrowserContext[] = [];

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: TABLET, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  await context.clock.setFixedTime(now);
  context.setDefaultTimeout(8000);
  contexts.push(context);
  return context;
}

/**
 * The paths in the worker's caches (Workbox's precache holds `index.html?__WB_REVISION__=…`:
 * the query is left out). Strings as page scripts: the tests' tsconfig has no DOM.
 */
const cachedPaths = (page: Page) =>
  page.evaluate<string[]>(
    `caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n).then((c) => c.keys())))).then((lists) => [...new Set(lists.flat().map((r) => new URL(r.url).pathname))].sort())`,
  );

/** The ids in the page's outbox still to be sent. */
async function outboxIds(page: Page): Promise<string[]> {
  const raw = await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(`pitwall:outbox:${WS}`)})`);
  const stored = JSON.parse(raw ?? '{"entries":[]}') as { entries: { status: string; event: { id: string } }[] };
  return stored.entries.filter((e) => e.status === 'pending').map((e) => e.event.id);
}

async function postAccepted(events: PitwallEvent[]): Promise<void> {
  const res = await api.post(`${h.url}/api/v1/workshops/${WS}/events`, { headers: { Authorization: `Bearer ${TOKENS.terminal}` }, data: { events } });
  expect(res.status()).toBe(200);
  const { results } = (await res.json()) as { results: { status: string }[] };
  expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
}

async function eventLog(): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: string | null = null;
  do {
    const res = await api.get(`${h.url}/api/v1/workshops/${WS}/events?limit=1000${after ? `&after=${after}` : ''}`, { headers: { Authorization: `Bearer ${TOKENS.admin}` } });
    expect(res.status()).toBe(200);
    const page = (await res.json()) as { events: StoredEvent[]; next: string | null };
    out.push(...page.events);
    after = page.next;
  } while (after);
  return out;
}

beforeAll(async () => {
  cert = await selfSignedCertificate([LAN]);
  tls = { cert: await readFile(cert.certFile), key: await readFile(cert.keyFile) };
  // The browser takes the throwaway certificate as a tablet takes the shop's trusted one.
  [browser, h, api] = await Promise.all([
    chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] }),
    startTestHub({ clientDir: CLIENT_DIR, clock: () => now, tls }),
    request.newContext({ ignoreHTTPSErrors: true }),
  ]);
  outage = outages(h);
  await h.listen(LAN);
  expect(h.url).toMatch(/^https:\/\//);
  await postAccepted([
    ev('shift.clock_in', L('07:30'), { technicianId: 'T2' }),
    ev('job.checked_in', L('08:05'), { jobId: 'J2', plate: '沪A12345', service: 'repair', standardMinutes: 120, customerWaiting: false }),
    ev('job.started', L('08:30'), { jobId: 'J2', bayId: 'B2', technicianId: 'T2' }),
    ev('job.checked_in', L('09:00'), { jobId: 'J1', plate: '沪B67890', service: 'maintenance', standardMinutes: 45, customerWaiting: true, advisorId: 'A1' }),
  ]);
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await api?.dispose();
  await h?.stop().catch(() => {});
  if (cert) await rm(cert.dir, { recursive: true, force: true });
});

describe('a bay tablet on the shop network (HTTPS, LAN address) reloading while the hub is gone', () => {
  it('still shows the terminal with its pending tap, and the tap reaches the hub exactly once when it is back', async () => {
    const page = await (await newContext()).newPage();
    // The token in the fragment, as the hub prints links: kept on the device, so the offline
    // reload below finds it with nothing in the address bar.
    await page.goto(`${h.url}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    const conn = page.getByTestId('conn');
    await conn.and(page.locator('[data-kind="live"]')).waitFor();
    await page.getByTestId('pick-T1').click();
    expect(await page.getByTestId('me').textContent()).toBe('Zhang Wei');

    // A secure page at a LAN address: no plain-http warning. The worker takes over the page it
    // was installed from (clients.claim), and keeps the shell: index.html and every asset of
    // the build, the other views' chunks included.
    // (Polled by evaluate: waitForFunction's string form needs eval, which the CSP forbids.)
    expect(page.url()).toMatch(new RegExp(`^https://${LAN.replace(/\./g, '\\.')}:`));
    expect(await page.getByTestId('insecure-warning').count()).toBe(0);
    await expect.poll(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null'), { timeout: 10_000, interval: 100 }).toBe(true);
    // The brotli and gzip copies are how the same files travel, not files of their own.
    const build = (await readdir(path.join(CLIENT_DIR, 'assets'))).filter((f) => !f.endsWith('.map') && !/\.(br|gz)$/.test(f)).map((f) => `/assets/${f}`);
    expect(build.some((p) => /^\/assets\/TerminalView-[\w-]+\.js$/.test(p))).toBe(true);
    await expect
      .poll(
        async () => {
          const cached = await cachedPaths(page);
          return ['/index.html', ...build].filter((p) => !cached.includes(p));
        },
        { timeout: 10_000, interval: 100 },
      )
      .toEqual([]);

    // The hub goes away: connection refused, for the page, its socket and the worker alike.
    await outage.down();
    await expect.poll(() => conn.getAttribute('data-kind'), { timeout: 10_000 }).toBe('offline');
    await page.getByTestId('clock-in').click();
    await expect.poll(() => page.getByTestId('outbox-count').textContent()).toContain('1 waiting to be sent');
    const ids = await outboxIds(page);
    expect(ids).toHaveLength(1);

    // The reload: the page comes from the worker's cache, not the browser's error page.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    expect(page.url()).toMatch(new RegExp(`/terminal/${WS}`));
    expect(page.url()).not.toContain(TOKENS.terminal);
    await page.getByTestId('terminal').waitFor();
    await expect.poll(() => page.getByTestId('outbox-count').textContent()).toContain('1 waiting to be sent');
    await expect.poll(() => conn.getAttribute('data-kind'), { timeout: 5000 }).toBe('offline');
    await expect.poll(() => page.getByTestId('outbox-error').textContent()).toContain('hub not reachable');
    expect(await page.getByTestId('me').textContent()).toBe('Zhang Wei');
    expect(await page.getByTestId('shift-pending').isVisible()).toBe(true);
    expect(await outboxIds(page)).toEqual(ids);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-offline-reload-en.png') });

    // The other pages a tablet or TV may show load from the cache too, never visited online.
    // (The desk is only checked for its shell: its check-in form is someone else's work in
    // progress and may not render today; its page is the terminal's, cached above.)
    for (const [pathname, testId] of [
      [`/desk/${WS}?lang=en#token=${TOKENS.terminal}`, null],
      [`/board/${WS}?lang=en#token=${TOKENS.board}`, 'board'],
      [`/lead/${WS}?lang=en#token=${TOKENS.lead}`, 'lead'],
    ] as const) {
      const other = await page.context().newPage();
      const res = await other.goto(`${h.url}${pathname}`);
      expect(res?.fromServiceWorker()).toBe(true);
      expect(await other.title()).toBe('Pitwall');
      if (testId) await other.getByTestId(testId).waitFor();
      await other.close();
    }

    // Back on the same address: the tablet reconnects by itself and sends the tap, once.
    await outage.up();
    await expect.poll(() => page.getByTestId('outbox-count').getAttribute('data-count'), { timeout: 30_000, interval: 100 }).toBe('0');
    await expect.poll(() => conn.getAttribute('data-kind'), { timeout: 15_000, interval: 100 }).toBe('live');
    const mine = (await eventLog()).filter((s) => ids.includes(s.event.id));
    expect(mine.map((s) => s.event.type)).toEqual(['shift.clock_in']);
    expect(mine[0]!.event).toMatchObject({ technicianId: 'T1' });
    expect(await page.getByTestId('rejected').count()).toBe(0);

    // Live data never went into the worker's cache: only the build is there.
    const shell = /^\/(index\.html|assets\/.+|icons\/.+\.png|favicon\.(svg|ico)|manifest\.webmanifest)$/;
    expect((await cachedPaths(page)).filter((p) => !shell.test(p))).toEqual([]);
  });

  it('never hides a new build behind the old cache: the next load that reaches the hub brings it, and keeps it for offline', async () => {
    // A hub of its own over a copy of the build, so the copy can be "upgraded" in place.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-sw-client-'));
    await cp(CLIENT_DIR, dir, { recursive: true });
    const other = await startTestHub({ clientDir: dir, clock: () => now, tls });
    const cut = outages(other);
    try {
      await other.listen(LAN);
      const page = await (await newContext()).newPage();
      await page.goto(`${other.url}/board/${WS}?token=${TOKENS.board}&lang=en`);
      await page.getByTestId('board').waitFor();
      await expect.poll(() => page.evaluate<boolean>('navigator.serviceWorker.controller !== null'), { timeout: 10_000, interval: 100 }).toBe(true);
      const html = await readFile(path.join(dir, 'index.html'), 'utf8');
      const oldCss = /\/assets\/index-[\w-]+\.css/.exec(html)![0];
      await expect.poll(async () => (await cachedPaths(page)).includes(oldCss), { timeout: 10_000, interval: 100 }).toBe(true);

      // The upgrade, as a new build writes it: a new index.html naming a new stylesheet (the old
      // one gone from the hub), and a new worker whose precache list names them (a new revision
      // of index.html, the new stylesheet instead of the old).
      const newCss = '/assets/index-NEWBUILD2.css';
      await cp(path.join(dir, oldCss), path.join(dir, newCss));
      await rm(path.join(dir, oldCss));
      await writeFile(path.join(dir, 'index.html'), html.replace(oldCss, newCss).replace('<title>', '<meta name="pitwall-build" content="2" />\n    <title>'));
      const worker = await readFile(path.join(dir, 'sw.js'), 'utf8');
      const upgraded = worker.replace(oldCss.slice(1), newCss.slice(1)).replace(/("revision":")[^"]+(","url":"index\.html")/, '$1build-2$2');
      expect(upgraded).toContain(newCss.slice(1));
      expect(upgraded).toContain('build-2');
      await writeFile(path.join(dir, 'sw.js'), upgraded);
      const build = `document.querySelector('meta[name="pitwall-build"]')?.getAttribute('content') ?? null`;

      // The next load that reaches the hub brings the new build. (One that does not reach it, on a
      // loaded machine, rightly shows the cached one: hence a few loads, not one. A worker that
      // served the cache first would show the old build on every one of them.)
      await expect
        .poll(
          async () => {
            await page.reload();
            await page.getByTestId('board').waitFor();
            return page.evaluate<string | null>(build);
          },
          { timeout: 20_000, interval: 1000 },
        )
        .toBe('2');
      // The worker keeps the new shell and lets the old build's stylesheet go.
      await expect
        .poll(async () => {
          const cached = await cachedPaths(page);
          return { newCss: cached.includes(newCss), oldCss: cached.includes(oldCss) };
        }, { timeout: 10_000, interval: 100 })
        .toEqual({ newCss: true, oldCss: false });

      // Offline, the new build is what loads.
      await cut.down();
      const res = await page.reload();
      expect(res?.fromServiceWorker()).toBe(true);
      await page.getByTestId('board').waitFor();
      expect(await page.evaluate<string | null>(build)).toBe('2');
      await cut.up();
    } finally {
      await other.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  });
});
