import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PITWALL_VERSION } from '../../shared/version.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L } from '../fixtures/workshop.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser.js';
import { CLIENT_DIR } from '../helpers/e2e.js';
import { lanAddress } from '../helpers/lan-address.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/self-signed.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * A board or terminal left on all day on a shop's network, in Debian's Chromium: the warning
 * when it was opened over plain http from the network (no offline reload there), the screen
 * kept awake, the outbox's storage state shown, the installed app's start, and a new build
 * picked up by itself at a quiet moment, never mid-tap. HTTPS hubs use a throwaway self-signed
 * certificate at this machine's LAN address; the browser is told to accept it.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const TABLET = { width: 1280, height: 800 };
const TV = { width: 1920, height: 1080 };
const WS = 'sh-test';
const LAN = lanAddress();
const now = Date.parse(L('10:00'));
/** client/src/lib/kiosk/quiet-reload.ts and service-worker.ts. */
const QUIET_MS = 30_000;
const UPDATE_CHECK_MS = 10 * 60_000;

let browser: Browser;
let cert: TestCertificate;
let tls: { cert: Buffer; key: Buffer };
const hubs: TestHub[] = [];
const contexts: BrowserContext[] = [];
const dirs: string[] = [];

async function hub(opts: { tls: boolean; host: string; clientDir?: string }): Promise<TestHub> {
  const h = await startTestHub({ clientDir: opts.clientDir ?? CLIENT_DIR, clock: () => now, ...(opts.tls && { tls }) });
  hubs.push(h);
  await h.listen(opts.host);
  // The floor the pages show: a technician on shift and a car waiting.
  // In process (the hub's own request handler): the test needs no HTTPS client of its own.
  const events = [ev('shift.clock_in', L('07:30'), { technicianId: 'T2' }), ev('job.checked_in', L('09:00'), { jobId: 'J1', plate: '沪B67890', service: 'maintenance', standardMinutes: 45, customerWaiting: true })];
  const res = await request(h.hub.app).post(`/api/v1/workshops/${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events });
  expect(res.status).toBe(200);
  return h;
}

async function newPage(viewport = TABLET, opts: { fakeClock?: boolean; locale?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: opts.locale ?? 'en-GB', timezoneId: 'Europe/Berlin' });
  // The quiet-moment test moves the page's clock by hand; the others pin it to 10:00.
  if (opts.fakeClock) await context.clock.install({ time: now });
  else await context.clock.setFixedTime(now);
  context.setDefaultTimeout(8000);
  contexts.push(context);
  return context.newPage();
}

/** The page's own document, not a reloaded one (a reload drops what a script put on `window`). */
const mark = (page: Page) => page.evaluate('window.__sameDocument = true');
const sameDocument = (page: Page) => page.evaluate<boolean>('window.__sameDocument === true');
const controlled = (page: Page) => page.evaluate<boolean>('navigator.serviceWorker?.controller != null');

beforeAll(async () => {
  cert = await selfSignedCertificate([LAN]);
  tls = { cert: await readFile(cert.certFile), key: await readFile(cert.keyFile) };
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] });
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(hubs.map((h) => h.stop().catch(() => {})));
  await Promise.all([cert?.dir, ...dirs].filter(Boolean).map((d) => rm(d!, { recursive: true, force: true })));
});

describe('a screen opened over plain http', () => {
  it('from the shop network says offline reload is unavailable, in both languages, on the terminal and the board; at localhost it does not', async () => {
    const h = await hub({ tls: false, host: '0.0.0.0' });
    const port = new URL(h.url).port;
    const lan = `http://${LAN}:${port}`;

    const terminal = await newPage();
    await terminal.goto(`${lan}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    await terminal.getByTestId('terminal').waitFor();
    const warning = terminal.getByTestId('insecure-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('cannot reload while the hub is unreachable');
    // No worker at all on such a page: the warning is the truth, not a precaution.
    expect(await terminal.evaluate<boolean>('window.isSecureContext')).toBe(false);
    await terminal.screenshot({ path: path.join(SCREENSHOTS, 'kiosk-insecure-terminal-en.png') });

    const board = await newPage(TV, { locale: 'zh-CN' });
    await board.goto(`${lan}/board/${WS}?lang=zh-CN#token=${TOKENS.board}`);
    await board.getByTestId('board').waitFor();
    await board.getByTestId('insecure-warning').waitFor();
    expect(await board.getByTestId('insecure-warning').textContent()).toContain('无法重新加载');
    expect(await board.getByTestId('insecure-warning').isVisible()).toBe(true);
    await board.screenshot({ path: path.join(SCREENSHOTS, 'kiosk-insecure-board-zh.png') });

    // The same hub at the machine's own address: a secure context, no warning.
    const local = await newPage();
    await local.goto(`http://127.0.0.1:${port}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    await local.getByTestId('terminal').waitFor();
    await local.getByTestId('pick-T1').waitFor();
    expect(await local.getByTestId('insecure-warning').count()).toBe(0);
  });

  it('still picks up a new hub version by itself (no worker there: /healthz tells), at a quiet moment, once', async () => {
    // Yesterday's client in front of today's hub: a copy of the build that believes it is 0.0.1.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-kiosk-old-client-'));
    dirs.push(dir);
    await cp(CLIENT_DIR, dir, { recursive: true });
    const assets = path.join(dir, 'assets');
    let patched = 0;
    for (const file of (await readdir(assets)).filter((f) => f.endsWith('.js'))) {
      const js = await readFile(path.join(assets, file), 'utf8');
      if (!js.includes(`\`${PITWALL_VERSION}\``)) continue;
      await writeFile(path.join(assets, file), js.replaceAll(`\`${PITWALL_VERSION}\``, '`0.0.1`'));
      // The hub would serve the build's compressed copies of the file instead: they go with the patch.
      for (const copy of ['.br', '.gz']) await rm(path.join(assets, file + copy), { force: true });
      patched += 1;
    }
    expect(patched).toBeGreaterThan(0);
    const h = await hub({ tls: false, host: LAN, clientDir: dir });
    const page = await newPage(TV, { fakeClock: true });
    await page.goto(`${h.url}/board/${WS}?lang=en#token=${TOKENS.board}`);
    await page.getByTestId('board').waitFor();
    await page.getByTestId('insecure-warning').waitFor();
    await mark(page);

    await page.clock.fastForward(UPDATE_CHECK_MS);
    await expect.poll(() => page.evaluate<string | undefined>('document.documentElement.dataset.pitwallUpdate'), { timeout: 10_000, interval: 200 }).toBe('pending');
    await page.keyboard.press('Shift');
    await page.clock.fastForward(QUIET_MS - 5000);
    expect(await sameDocument(page)).toBe(true);
    await page.clock.fastForward(6000);
    await expect.poll(() => sameDocument(page).catch(() => true), { timeout: 10_000, interval: 200 }).toBe(false);
    await page.getByTestId('board').waitFor();

    // Still the old client (the hub serves it): no reload loop, the next checks let it be.
    await mark(page);
    await page.clock.fastForward(UPDATE_CHECK_MS);
    await page.clock.fastForward(QUIET_MS + 1000);
    await page.clock.fastForward(UPDATE_CHECK_MS);
    await page.clock.fastForward(QUIET_MS + 1000);
    expect(await sameDocument(page)).toBe(true);
    expect(await page.evaluate<string | undefined>('document.documentElement.dataset.pitwallUpdate')).toBeUndefined();
  });
});

describe('a screen on the shop network over HTTPS', () => {
  it('keeps the screen awake on the board and the terminal, asking again each time the page is shown', async () => {
    const h = await hub({ tls: true, host: LAN });
    for (const [pathname, testId, viewport] of [
      [`/board/${WS}?lang=en#token=${TOKENS.board}`, 'board', TV],
      [`/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`, 'terminal', TABLET],
    ] as const) {
      const page = await newPage(viewport);
      // Counts the page's requests to the real API, and keeps the locks it got.
      await page.addInitScript(`{
        window.__wakeLocks = [];
        const request = navigator.wakeLock.request.bind(navigator.wakeLock);
        navigator.wakeLock.request = (type) => { const lock = request(type); window.__wakeLocks.push(lock); return lock; };
      }`);
      await page.goto(`${h.url}${pathname}`);
      await page.getByTestId(testId).waitFor();
      await expect.poll(() => page.evaluate<number>('window.__wakeLocks.length'), { timeout: 5000 }).toBe(1);
      await expect.poll(() => page.evaluate<string | undefined>('document.documentElement.dataset.pitwallWakeLock'), { timeout: 5000 }).toBe('held');
      expect(await page.getByTestId('insecure-warning').count()).toBe(0);

      // The browser drops the lock while the page is hidden; shown again, the page asks again.
      await page.evaluate('window.__wakeLocks[0].then((l) => l.release())');
      await expect.poll(() => page.evaluate<string | undefined>('document.documentElement.dataset.pitwallWakeLock')).toBe('released');
      await page.evaluate(`document.dispatchEvent(new Event('visibilitychange'))`);
      await expect.poll(() => page.evaluate<number>('window.__wakeLocks.length')).toBe(2);
      await expect.poll(() => page.evaluate<string | undefined>('document.documentElement.dataset.pitwallWakeLock')).toBe('held');
    }
  });

  it("shows the outbox's storage state on the terminal, and the installed app starts on this device's own terminal", async () => {
    const h = await hub({ tls: true, host: LAN });
    const page = await newPage();
    await page.goto(`${h.url}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    await page.getByTestId('terminal').waitFor();
    const storage = page.getByTestId('storage-state');
    await storage.waitFor();
    expect(['persisted', 'best-effort']).toContain(await storage.getAttribute('data-state'));
    expect(await page.evaluate<string | undefined>('document.documentElement.dataset.pitwallStorage')).toBe(await storage.getAttribute('data-state'));

    // The manifest's start_url, as the home-screen icon opens it.
    const manifest = (await request(h.hub.app).get('/manifest.webmanifest')).body as { start_url: string };
    await page.goto(`${h.url}${manifest.start_url}`);
    await page.getByTestId('terminal').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/terminal/${WS}`);
    expect(new URL(page.url()).searchParams.get('bay')).toBe('B1');
  });

  it('picks up a new build by itself, and reloads only once nobody has touched it for 30 s and no dialog is open', async () => {
    // A hub over a copy of the build, so the copy can be "upgraded" in place.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-kiosk-client-'));
    dirs.push(dir);
    await cp(CLIENT_DIR, dir, { recursive: true });
    const h = await hub({ tls: true, host: LAN, clientDir: dir });
    const page = await newPage(TABLET, { fakeClock: true });
    await page.goto(`${h.url}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    await page.getByTestId('pick-T1').waitFor();
    await expect.poll(() => controlled(page), { timeout: 10_000, interval: 100 }).toBe(true);
    await mark(page);

    // The deploy: a new worker (a new revision of index.html in its precache list).
    const worker = await readFile(path.join(dir, 'sw.js'), 'utf8');
    const upgraded = worker.replace(/("revision":")[^"]+(","url":"index\.html")/, '$1build-2$2');
    expect(upgraded).not.toBe(worker);
    await writeFile(path.join(dir, 'sw.js'), upgraded);

    // Someone is at the tablet: the bay picker is open when the periodic check finds the build.
    await page.getByTestId('tablet-bay').click();
    await page.getByTestId('bay-picker').waitFor();
    await page.clock.fastForward(UPDATE_CHECK_MS);
    await expect.poll(() => page.evaluate<string | undefined>('document.documentElement.dataset.pitwallUpdate'), { timeout: 15_000, interval: 200 }).toBe('pending');

    // Input keeps pushing the reload away; a quiet period with the dialog open does not reload either.
    await page.clock.fastForward(QUIET_MS - 10_000);
    await page.mouse.move(200, 200);
    await page.clock.fastForward(QUIET_MS - 10_000);
    expect(await sameDocument(page)).toBe(true);
    await page.clock.fastForward(QUIET_MS + 1000);
    expect(await sameDocument(page)).toBe(true);
    expect(await page.getByTestId('bay-picker').isVisible()).toBe(true);

    // The dialog closed (a tap: input), then nobody touches it: the next quiet moment reloads.
    await page.getByTestId('tablet-bay-B1').click();
    await page.clock.fastForward(QUIET_MS - 5000);
    expect(await sameDocument(page)).toBe(true);
    await page.clock.fastForward(6000);
    await expect.poll(() => sameDocument(page).catch(() => true), { timeout: 10_000, interval: 200 }).toBe(false);
    await page.getByTestId('terminal').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/terminal/${WS}`);
  });

  it('moves a tablet that still runs the hand-written worker of before to the new one, and drops its old cache', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-kiosk-v1-client-'));
    dirs.push(dir);
    await cp(CLIENT_DIR, dir, { recursive: true });
    const workbox = await readFile(path.join(dir, 'sw.js'), 'utf8');
    await cp(path.join(import.meta.dirname, '../fixtures/hand-written-sw-v1.js'), path.join(dir, 'sw.js'));
    const h = await hub({ tls: true, host: LAN, clientDir: dir });
    const page = await newPage(TABLET);
    await page.goto(`${h.url}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    await page.getByTestId('pick-T1').waitFor();
    const cacheNames = () => page.evaluate<string[]>('caches.keys()');
    await expect.poll(cacheNames, { timeout: 10_000, interval: 100 }).toContain('pitwall-shell-v1');

    // The upgrade deployed: the next load brings the new worker, which takes over and cleans up.
    await writeFile(path.join(dir, 'sw.js'), workbox);
    await page.reload();
    await page.getByTestId('terminal').waitFor();
    await expect.poll(cacheNames, { timeout: 15_000, interval: 200 }).not.toContain('pitwall-shell-v1');
    expect((await cacheNames()).some((n) => n.startsWith('workbox-precache'))).toBe(true);
    expect(await page.evaluate<string>('navigator.serviceWorker.controller.scriptURL')).toBe(`${h.url}/sw.js`);
  });
});
