import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L, scriptedDay } from '../fixtures/workshop.js';
import { launchBrowser } from '../helpers/browser.js';
import { CLIENT_DIR, postAccepted } from '../helpers/e2e.js';
import { connected, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The TV board in Debian's Chromium against an in-process hub serving the built client
 * (test/global-setup.ts builds it). Asserted the way someone in front of the TV sees it: the
 * words and figures on screen, via data-testid, never the store.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const FHD = { width: 1920, height: 1080 };
const LAPTOP = { width: 1366, height: 768 };

let browser: Browser;
let h: TestHub;
/** The hub's clock: pinned to 18:00 on the scripted day, moved by the tests that need it. */
let now = Date.parse(L('18:00'));

async function post(events: PitwallEvent[]): Promise<void> {
  await postAccepted(h.url, events);
}

/** Every page's context, closed after each test even when it failed half-way. */
const contexts: BrowserContext[] = [];

async function newContext(viewport = FHD): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  contexts.push(context);
  return context;
}

async function openBoard(query: string, viewport = FHD): Promise<Page> {
  const context = await newContext(viewport);
  const page = await context.newPage();
  await page.goto(`${h.url}/board/sh-test?token=${TOKENS.board}&${query}`);
  await page.getByTestId('kpi-utilisation').waitFor();
  return page;
}

/** No scrollbars: the page is exactly the screen. */
async function overflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate<{ x: number; y: number }>('({ x: document.documentElement.scrollWidth - innerWidth, y: document.documentElement.scrollHeight - innerHeight })');
}

beforeAll(async () => {
  [browser, h] = await Promise.all([launchBrowser(), startTestHub({ clientDir: CLIENT_DIR, clock: () => now })]);
  await h.listen();
  await post(scriptedDay());
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await h?.stop().catch(() => {});
});

describe('the TV board on the scripted day at 18:00', () => {
  it('shows the KPIs with their lights, the floor, the bays and the alert banner', async () => {
    const page = await openBoard('lang=en');
    const util = page.getByTestId('kpi-utilisation');
    await expect.poll(() => util.getByTestId('kpi-value').textContent()).toContain('57 %');
    expect(await util.getAttribute('data-light')).toBe('red');
    expect(await util.textContent()).toContain('Red');
    expect(await page.getByTestId('kpi-laborAchievement').getAttribute('data-light')).toBe('yellow');
    expect(await page.getByTestId('kpi-averageWait').textContent()).toMatch(/210\s*min/);
    expect(await page.getByTestId('kpi-comebackRate').textContent()).toContain('33 %');

    expect(await page.getByTestId('stat-technicians-on-shift').textContent()).toMatch(/^2\s*on shift$/);
    expect(await page.getByTestId('stat-customers-longest').textContent()).toMatch(/240/);
    expect(await page.getByTestId('stat-today-completed').textContent()).toMatch(/^3/);

    const b1 = page.getByTestId('bay-B1');
    expect(await b1.getByTestId('bay-plate').textContent()).toBe('沪F55555');
    expect(await b1.getByTestId('bay-technician').textContent()).toBe('Zhang Wei');
    expect(await b1.getByTestId('bay-status').textContent()).toMatch(/paused · waiting for approval/i);
    expect(await b1.getByTestId('bay-minutes').textContent()).toMatch(/60 \/ 30 min/);
    expect(await page.getByTestId('bay-B3').textContent()).toContain('Free');

    const banner = page.getByTestId('alert-banner');
    expect(await banner.getAttribute('data-worst')).toBe('red');
    expect(await banner.textContent()).toContain('Utilisation');
    expect(await page.getByTestId('flag-overrun').textContent()).toContain('Over 2× standard time');
    expect(await page.getByTestId('as-of').textContent()).toBe('18:00');
    expect(await page.getByTestId('conn').getAttribute('data-kind')).toBe('live');
    expect(await page.getByTestId('legend-utilisation').textContent()).toContain('≥ 75 %');

    expect(await overflow(page)).toEqual({ x: 0, y: 0 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1920-en.png') });
    await page.setViewportSize(LAPTOP);
    await expect.poll(() => overflow(page)).toEqual({ x: 0, y: 0 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1366-en.png') });
  });

  it('masks plates and shows no names in privacy mode', async () => {
    const page = await openBoard('lang=en&privacy=1');
    const b1 = page.getByTestId('bay-B1');
    await expect.poll(() => b1.getByTestId('bay-plate').textContent()).toBe('沪F····5');
    const text = (await page.getByTestId('board').textContent()) ?? '';
    for (const secret of ['沪F55555', '沪D33333', 'Zhang Wei', 'Wang Fang']) expect(text).not.toContain(secret);
    expect(await page.getByTestId('privacy').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1920-privacy.png') });
  });

  it('speaks Chinese with ?lang=zh-CN', async () => {
    const page = await openBoard('lang=zh-CN');
    await expect.poll(() => page.getByTestId('kpi-utilisation').textContent()).toContain('工时利用率');
    expect(await page.getByTestId('kpi-utilisation').textContent()).toContain('红灯');
    expect(await page.getByTestId('bay-B1').getByTestId('bay-status').textContent()).toContain('等待客户确认');
    expect(await page.getByTestId('conn').textContent()).toContain('实时');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1920-zh.png') });
    await page.setViewportSize(LAPTOP);
    await expect.poll(() => overflow(page)).toEqual({ x: 0, y: 0 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1366-zh.png') });
  });

  it('says so when the token is not valid', async () => {
    const page = await (await newContext()).newPage();
    await page.goto(`${h.url}/board/sh-test?token=not-a-real-token-000&lang=en`);
    await expect.poll(() => page.getByTestId('unauthorized').textContent()).toContain('not valid');
  });
});

describe('the TV board live', () => {
  it('shows a posted event within a second, without a reload', async () => {
    const page = await openBoard('lang=en');
    const b1 = page.getByTestId('bay-B1');
    await b1.getByTestId('bay-status').waitFor();
    expect(await page.getByTestId('stat-jobs-paused').textContent()).toMatch(/^1/);

    await post([ev('job.resumed', L('18:00'), { jobId: 'J5' })]);
    await expect.poll(() => b1.getAttribute('data-state'), { timeout: 1000, interval: 50 }).toBe('in_progress');
    expect(await page.getByTestId('stat-jobs-paused').textContent()).toMatch(/^0/);
    expect(await b1.getByTestId('bay-status').textContent()).toBe('In progress');
  });

  it('marks a bay whose terminal went silent', async () => {
    const tablet = h.client(TOKENS.terminal);
    await connected(tablet);
    const hello = await tablet.emitWithAck('terminal:hello', { workshopId: 'sh-test', terminalId: 'tablet-bay-3', bayId: 'B3' });
    expect(hello).toEqual({ ok: true });
    tablet.disconnect();

    const page = await openBoard('lang=en');
    const b3 = page.getByTestId('bay-B3');
    expect(await b3.getByTestId('bay-silent').count()).toBe(0);
    // Three minutes pass on the hub's clock; the next board (after any event) judges the tablet silent.
    now += 3 * 60_000;
    await post([ev('job.checked_in', L('18:03'), { jobId: 'J8', plate: '沪K88888', service: 'maintenance', standardMinutes: 30, customerWaiting: true })]);
    await expect.poll(() => b3.getByTestId('bay-silent').textContent()).toContain('Terminal silent since 18:00');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1920-silent.png') });
  });

  it('shows "offline since" when the hub stops, and comes back by itself, subscribed again', async () => {
    const page = await openBoard('lang=en');
    const conn = page.getByTestId('conn');
    expect(await conn.getAttribute('data-kind')).toBe('live');
    const { port } = new URL(h.url);
    await h.stop();
    await expect.poll(() => conn.textContent()).toMatch(/Offline since \d\d:\d\d/);
    expect(await conn.getAttribute('data-kind')).toBe('offline');
    // The figures stay on screen, dimmed, so nobody takes them for live ones.
    expect(await page.getByTestId('kpi-utilisation').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pitwall-board-1920-offline.png') });

    // A new hub on the same address (an empty store): the board reconnects and re-subscribes.
    const next = await startTestHub({ clientDir: CLIENT_DIR, clock: () => now });
    await new Promise<void>((resolve) => next.hub.httpServer.listen(Number(port), '127.0.0.1', resolve));
    next.url = h.url;
    h = next;
    // The client retries 1 s, 2 s, 4 s… up to 10 s apart (lib/hub-socket.ts): on a loaded machine the
    // hub's stop can outlast the first tries, so allow one full maximum gap and some.
    await expect.poll(() => conn.getAttribute('data-kind'), { timeout: 15_000, interval: 100 }).toBe('live');
    expect(await page.getByTestId('stat-today-completed').textContent()).toMatch(/^0/);
    expect(await page.getByTestId('alert-banner').getAttribute('data-worst')).toBe('green');
    // Live again: events reach this board through the room it joined on reconnect.
    await post(scriptedDay());
    await expect.poll(() => page.getByTestId('kpi-utilisation').getByTestId('kpi-value').textContent(), { timeout: 1000, interval: 50 }).toContain('57 %');
    // The red lights raise the banner as they happen.
    await expect.poll(() => page.getByTestId('alert-banner').getAttribute('data-worst'), { timeout: 1000, interval: 50 }).toBe('red');
    expect(await page.getByTestId('alert-banner').textContent()).toContain('Utilisation');
  });
});
