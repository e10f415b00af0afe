import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_NAMESPACE, CUSTOMER_SOCKET_REFUSED, customerLinkResponse } from '../../shared/customer-link.js';
import { TOKENS } from '../fixtures/config.js';
import { terminalMorning } from '../fixtures/terminal-morning.js';
import { ev, L, Y } from '../fixtures/workshop.js';
import { getJson, postAccepted } from '../helpers/e2e.js';
import { e2eSession } from '../helpers/e2e-session.js';

/**
 * Issue 15's done-when for the customer's page, in Debian's Chromium against an in-process hub
 * serving the built client: a car checked in at the desk shows its QR code; its link opened on a
 * 360×740 phone shows the car (zh-CN, then English); a technician starts it on a terminal and
 * the phone changes within a second; an expired and an unknown link get the same polite page;
 * and the customer's socket is refused everything but its room. Its screenshots
 * (customer-zh.png, customer-en.png, desk-qr.png) are the README's, with
 * PITWALL_SCREENSHOT_DIR=docs/screenshots.
 */
// As every e2e file: /tmp unless PITWALL_SCREENSHOT_DIR says (docs/screenshots/ for the README's).
const SHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const TABLET = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const WS = 'sh-test';
const now = Date.parse(L('10:00'));
const e2e = e2eSession({ now, events: terminalMorning, actionTimeoutMs: 8000 });

/** Within a second: the customer sees the start while the technician is still at the car. */
const SOON = { timeout: 1000, interval: 25 };

async function page(context: BrowserContext, url: string): Promise<Page> {
  const p = await context.newPage();
  await p.goto(url);
  return p;
}

/** Cuts a phone off the hub (its socket's polling and WebSocket alike) while its page stays open. */
async function networkSwitch(context: BrowserContext) {
  let offline = false;
  const open: { close: () => Promise<void> }[] = [];
  await context.route(/\/socket\.io\//, (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
  await context.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (offline) return void ws.close();
    const server = ws.connectToServer();
    open.push({ close: async () => void (await Promise.all([server.close().catch(() => {}), ws.close().catch(() => {})])) });
  });
  return {
    async offline() {
      offline = true;
      for (const c of open.splice(0)) await c.close();
    },
  };
}

/** The job a link opens: its second part (base64url). */
const jobOf = (url: string) => Buffer.from(url.split('/c/')[1]!.split('.')[1]!, 'base64url').toString('utf8');

describe("the customer's page", () => {
  it('desk QR → phone page → a terminal starts the car → the phone follows within a second', async () => {
    // The desk checks a car in, customer waiting on site, 60 min: its QR code and link come up.
    const desk = await page(await e2e.context({ viewport: TABLET, timezoneId: 'Asia/Shanghai' }), `${e2e.url}/desk/${WS}?lang=en#token=${TOKENS.terminal}`);
    await desk.getByTestId('check-in').waitFor();
    await desk.getByTestId('ci-plate').fill('沪K52013');
    await desk.getByTestId('ci-waiter').click();
    await desk.getByTestId('ci-min-60').click();
    await desk.getByTestId('ci-submit').click();
    const qr = desk.getByTestId('customer-qr');
    await qr.getByTestId('customer-qr-image').waitFor();
    const url = (await qr.getByTestId('customer-qr-url').textContent())!;
    expect(url).toMatch(new RegExp(`^${e2e.url}/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
    expect(await qr.textContent()).toContain('沪K····3');
    expect(await qr.textContent()).toContain('Shanghai test');
    await desk.screenshot({ path: path.join(SHOTS, 'desk-qr.png') });
    // Printed: the slip alone (QR, masked plate, workshop, link), no buttons, nothing of the desk.
    await desk.emulateMedia({ media: 'print' });
    expect(await qr.getByTestId('customer-qr-print').isVisible()).toBe(false);
    expect(await desk.getByTestId('check-in').isVisible()).toBe(false);
    expect(await qr.getByTestId('customer-qr-url').isVisible()).toBe(true);
    expect(await qr.getByTestId('customer-qr-image').isVisible()).toBe(true);
    await desk.screenshot({ path: path.join(SHOTS, 'desk-qr-print.png') });
    await desk.emulateMedia({ media: 'screen' });
    await qr.getByTestId('customer-qr-close').click();
    // The desk can reopen it for any car on the floor.
    const row = desk.getByTestId(`customer-link-${jobOf(url)}`);
    await row.scrollIntoViewIfNeeded();
    await row.screenshot({ path: path.join(SHOTS, 'desk-links.png') });
    await row.getByTestId(`customer-show-${jobOf(url)}`).click();
    expect(await desk.getByTestId('customer-qr').getByTestId('customer-qr-url').textContent()).toBe(url);
    await desk.getByTestId('customer-qr-close').click();
    const jobId = jobOf(url);

    // The phone, in Chinese: waiting, third in the queue (J1 and J4 came first), T2 free at
    // 10:30 takes J1 (45 min) and J4 (60 min): start 12:15 ± 15 min, so "back by 11:40".
    const phoneContext = await e2e.context({ viewport: PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const network = await networkSwitch(phoneContext);
    const phone = await page(phoneContext, url);
    const state = phone.getByTestId('customer-state');
    await expect.poll(() => state.textContent()).toBe('排队等待中');
    expect(await phone.getByTestId('customer-plate').textContent()).toBe('沪K····3');
    expect(await phone.getByTestId('customer-position').textContent()).toBe('前面还有 2 辆车');
    expect(await phone.getByTestId('customer-start').textContent()).toBe('12:00 – 12:30');
    expect(await phone.getByTestId('customer-back-by').textContent()).toContain('11:40');
    expect(await phone.getByTestId('customer-updated').textContent()).toBe('更新于 10:00');
    // Fits the phone: nothing wider than 360 px.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    // No service worker on a customer's phone: it would fetch the whole staff app in the background.
    expect(await phone.evaluate<number>('navigator.serviceWorker.getRegistrations().then((r) => r.length)')).toBe(0);
    await phone.screenshot({ path: path.join(SHOTS, 'customer-zh.png'), fullPage: true });

    // A technician clocks in at bay 1 and starts this car from the queue.
    const terminal = await page(await e2e.context({ viewport: TABLET }), `${e2e.url}/terminal/${WS}?bay=B1&lang=en#token=${TOKENS.terminal}`);
    await terminal.getByTestId('conn').and(terminal.locator('[data-kind="live"]')).waitFor();
    await terminal.getByTestId('pick-T1').click();
    await terminal.getByTestId('clock-in').click();
    await terminal.getByTestId(`queue-${jobId}`).getByTestId('start-here').click();
    await expect.poll(() => state.textContent(), SOON).toBe('正在施工');
    expect(await phone.getByTestId('customer-ready').textContent()).toBe('11:00 – 11:15');
    expect(await phone.getByTestId('customer-position').count()).toBe(0);

    // English at a tap: the same car, the customer's words, the technician's given name only.
    await phone.getByTestId('customer-lang').click();
    await expect.poll(() => state.textContent()).toBe('Being worked on');
    expect(await phone.getByTestId('customer-page').textContent()).toContain('Your technician: Wei');
    expect(await phone.getByTestId('customer-page').textContent()).not.toContain('Zhang');
    await phone.screenshot({ path: path.join(SHOTS, 'customer-en.png'), fullPage: true });

    // The desk switches the customer to drop-off: the phone says so within a second.
    await desk.getByTestId(`customer-switch-${jobId}`).click();
    await expect.poll(() => phone.getByTestId('customer-page').textContent(), SOON).toContain('You dropped your car off');

    // The phone loses its connection: the last view stays, with a calm note of when it was true.
    await network.offline();
    await phone.getByTestId('customer-offline').waitFor();
    expect(await phone.getByTestId('customer-offline').textContent()).toContain('showing what we knew at 10:00');
    expect(await state.textContent()).toBe('Being worked on');
    await phone.screenshot({ path: path.join(SHOTS, 'customer-offline.png'), fullPage: true });
  });

  it('an expired link and an unknown one get the same polite page, with nothing of the car', async () => {
    // Checked in yesterday, its link handed out, then cancelled yesterday at 08:30: 25 h 30 ago.
    await postAccepted(e2e.url, [ev('job.checked_in', Y('08:00'), { jobId: 'OLD1', plate: '沪Z99999', service: 'repair', standardMinutes: 30, customerWaiting: false })]);
    const { path: oldPath } = customerLinkResponse.parse(await getJson(e2e.url, `/api/v1/workshops/${WS}/jobs/OLD1/customer-link`, TOKENS.terminal));
    await postAccepted(e2e.url, [ev('job.cancelled', Y('08:30'), { jobId: 'OLD1' })]);
    const context = await e2e.context({ viewport: PHONE, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
    const texts: string[] = [];
    for (const url of [`${e2e.url}${oldPath}`, `${e2e.url}/c/${'A'.repeat(8)}.${'B'.repeat(8)}.${'C'.repeat(22)}`]) {
      const p = await page(context, url);
      await p.getByTestId('customer-closed').waitFor();
      const text = (await p.getByTestId('customer-page').textContent())!;
      expect(text).toContain('This link is no longer open');
      expect(text).not.toMatch(/沪Z|Repair|Shanghai test/);
      texts.push(text);
    }
    expect(texts[0]).toBe(texts[1]);
  });

  it("the customer's socket hears its car only, and every message it sends is refused", async () => {
    await postAccepted(e2e.url, [ev('job.checked_in', L('10:00'), { jobId: 'SOCK1', plate: '沪Y11111', service: 'maintenance', standardMinutes: 30, customerWaiting: true })]);
    const { capability } = customerLinkResponse.parse(await getJson(e2e.url, `/api/v1/workshops/${WS}/jobs/SOCK1/customer-link`, TOKENS.lead));
    const socket = connect(`${e2e.url}${CUSTOMER_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { capability } });
    try {
      const heard: string[] = [];
      socket.onAny((name: string) => heard.push(name));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      for (const name of ['subscribe', 'events', 'terminal:hello', 'alert:ack']) {
        expect(await socket.timeout(2000).emitWithAck(name, WS)).toMatchObject({ ok: false, error: { code: CUSTOMER_SOCKET_REFUSED } });
      }
      // Another car's check-in and a board-moving change reach the boards, never this socket.
      await postAccepted(e2e.url, [ev('job.checked_in', L('10:00'), { jobId: 'SOCK2', plate: '沪Y22222', service: 'repair', standardMinutes: 30, customerWaiting: false })]);
      await postAccepted(e2e.url, [ev('job.cancelled', L('10:00'), { jobId: 'SOCK1' })]);
      await expect.poll(() => heard.length, { timeout: 2000 }).toBeGreaterThanOrEqual(2);
      expect(new Set(heard)).toEqual(new Set(['view']));
    } finally {
      socket.disconnect();
    }
  });
});
