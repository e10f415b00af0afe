import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L } from '../fixtures/workshop.js';
import { launchBrowser } from '../helpers/browser.js';
import { CLIENT_DIR, postAccepted } from '../helpers/e2e.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * A TV on bad Wi-Fi: the board's link to the hub is cut, refused, slowed and cut again while
 * the floor keeps changing. Afterwards it must show exactly what the hub has, with no reload.
 */
let browser: Browser;
let h: TestHub;
let proxy: FlakyProxy;
const now = Date.parse(L('12:00'));

async function post(events: PitwallEvent[]): Promise<void> {
  await postAccepted(h.url, events);
}

beforeAll(async () => {
  [browser, h] = await Promise.all([launchBrowser(), startTestHub({ clientDir: CLIENT_DIR, clock: () => now })]);
  await h.listen();
  proxy = await startFlakyProxy(Number(new URL(h.url).port));
});
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await h?.stop().catch(() => {});
});

describe('a board behind a flaky link', () => {
  it('converges to the hub’s board after drops, refusals and delays, by itself', { timeout: 60_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${proxy.url}/board/sh-test?token=${TOKENS.board}&lang=en`);
    await page.getByTestId('kpi-utilisation').waitFor();
    const onShift = page.getByTestId('stat-technicians-on-shift');

    // Round 1: the link drops while a technician clocks in.
    proxy.dropAll();
    await post([ev('shift.clock_in', L('08:00'), { technicianId: 'T1' })]);
    // Round 2: the link is down for two seconds (the hub is "gone"), changes happen meanwhile.
    proxy.setDown(true);
    proxy.dropAll();
    await post([ev('shift.clock_in', L('08:01'), { technicianId: 'T2' })]);
    await expect.poll(() => page.getByTestId('conn').textContent(), { timeout: 10_000 }).toMatch(/Offline since/);
    await new Promise((r) => setTimeout(r, 2000));
    proxy.setDown(false);
    // Round 3: a slow link that is cut once more on its way back.
    proxy.setDelay(150);
    await post([ev('shift.clock_in', L('08:02'), { technicianId: 'T3' }), ev('shift.break_start', L('08:30'), { technicianId: 'T1' })]);
    await new Promise((r) => setTimeout(r, 500));
    proxy.dropAll();
    proxy.setDelay(0);

    const hub = (await (await fetch(`${h.url}/api/v1/workshops/sh-test/board?token=${TOKENS.board}`)).json()) as BoardSnapshot;
    expect(hub.technicians).toMatchObject({ onShift: 2, onBreak: 1 });
    await expect.poll(async () => (await onShift.textContent())?.trim(), { timeout: 20_000 }).toMatch(/^2(?!\d)/);
    await expect.poll(async () => (await page.getByTestId('stat-technicians-on-break').textContent())?.trim(), { timeout: 5000 }).toMatch(/^1(?!\d)/);
    await expect.poll(() => page.getByTestId('conn').textContent(), { timeout: 10_000 }).toMatch(/Live/);
  });
});
