import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L, Y } from '../fixtures/workshop.js';
import { launchBrowser } from '../helpers/browser.js';
import { CLIENT_DIR, getJson, postAccepted } from '../helpers/e2e.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The advisor desk's survey (issue 12, item 2), at the desk's sizes (a tablet and a phone):
 * 23 cars completed or delivered yesterday and today, 6 of them surveyed already → exactly
 * the 17 others are offered, each findable by its plate; a survey sent twice from two desks
 * is refused on the second, which says so by plate and reason and never shows "recorded".
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const TABLET = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const WS = 'sh-test';
const now = Date.parse(L('10:00'));

const plate = (i: number) => `沪A${10001 + i}`;
const SURVEYED = new Set([0, 3, 7, 12, 18, 22]);
const CARS = Array.from({ length: 23 }, (_, i) => i);
const UNSURVEYED = CARS.filter((i) => !SURVEYED.has(i)).map((i) => `sv-job-C${i}`);

/** 12 cars yesterday (08:00–16:00), 11 this morning (06:00–09:20), one at a time on B1; every other one handed over. */
function history(): PitwallEvent[] {
  const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
  const out: PitwallEvent[] = [ev('shift.clock_in', Y('07:30'), { technicianId: 'T1' })];
  for (const i of CARS) {
    if (i === 12) out.push(ev('shift.clock_out', Y('17:00'), { technicianId: 'T1' }), ev('shift.clock_in', L('05:50'), { technicianId: 'T1' }));
    const day = i < 12 ? Y : L;
    const start = i < 12 ? 8 * 60 + i * 40 : 6 * 60 + (i - 12) * 20;
    const jobId = `C${i}`;
    out.push(
      ev('job.checked_in', day(hhmm(start)), { jobId, plate: plate(i), service: 'maintenance', standardMinutes: 15, customerWaiting: true }),
      ev('job.started', day(hhmm(start + 1)), { jobId, bayId: 'B1', technicianId: 'T1' }),
      ev('job.completed', day(hhmm(start + 15)), { jobId, firstTimeFix: true }),
    );
    if (i % 2 === 0) out.push(ev('job.delivered', day(hhmm(start + 18)), { jobId }));
    if (SURVEYED.has(i)) out.push(ev('survey.submitted', day(hhmm(start + 19)), { jobId, score: 4 }));
  }
  // Three days ago, never surveyed: the hub still keeps it, the counter is past it.
  out.push(
    ev('job.checked_in', '2026-11-18T10:00:00+08:00', { jobId: 'OLD', plate: '沪A19999', service: 'maintenance', standardMinutes: 15, customerWaiting: true }),
    ev('job.cancelled', '2026-11-18T10:05:00+08:00', { jobId: 'OLD' }),
  );
  return out;
}

let browser: Browser;
let h: TestHub;
const contexts: BrowserContext[] = [];

async function newContext(viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  await context.clock.setFixedTime(now);
  context.setDefaultTimeout(8000);
  contexts.push(context);
  return context;
}

async function openDesk(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${h.url}/desk/${WS}?lang=en#token=${TOKENS.terminal}`);
  await page.getByTestId('conn').and(page.locator('[data-kind="live"]')).waitFor();
  await page.getByTestId('sv-cars').waitFor();
  return page;
}

/** The cars the survey offers, by test id, in the order shown. */
const offered = (page: Page) => page.getByTestId('sv-cars').locator('[data-testid^="sv-job-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));

/** Cuts a desk off the hub (API and socket) while its page stays open, as a tablet off the Wi-Fi. */
async function networkSwitch(context: BrowserContext) {
  let offline = false;
  const open: { close: () => Promise<void> }[] = [];
  await context.route(/\/api\/v1\//, (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
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
    online() {
      offline = false;
    },
  };
}

beforeAll(async () => {
  [browser, h] = await Promise.all([launchBrowser(), startTestHub({ clientDir: CLIENT_DIR, clock: () => now })]);
  await h.listen();
  await postAccepted(h.url, history());
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await h?.stop().catch(() => {});
});

describe('the advisor desk’s survey', () => {
  for (const [size, viewport] of [
    ['tablet', TABLET],
    ['phone', PHONE],
  ] as const) {
    it(`offers exactly the unsurveyed cars of today and yesterday, each findable by plate (${size})`, async () => {
      const page = await openDesk(await newContext(viewport));
      expect(await page.getByTestId('sv-count').textContent()).toBe('17');
      expect([...(await offered(page))].sort()).toEqual([...UNSURVEYED].sort());
      await page.getByTestId('survey').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SCREENSHOTS, `desk-survey-list-${size}.png`) });

      // Every one of them by (part of) its plate, as typed at the counter.
      for (const i of CARS.filter((c) => !SURVEYED.has(c))) {
        await page.getByTestId('sv-search').fill(` ${String(10001 + i)} `);
        expect(await offered(page)).toEqual([`sv-job-C${i}`]);
      }
      // A surveyed car and one from three days ago are not there to be found.
      await page.getByTestId('sv-search').fill(plate(3));
      await page.getByTestId('sv-no-match').waitFor();
      await page.getByTestId('sv-search').fill('19999');
      await page.getByTestId('sv-no-match').waitFor();
      await page.getByTestId('sv-search').fill('a1002');
      expect([...(await offered(page))].sort()).toEqual(['sv-job-C19', 'sv-job-C20', 'sv-job-C21']);
      await page.screenshot({ path: path.join(SCREENSHOTS, `desk-survey-search-${size}.png`) });
    });
  }

  it('a survey sent twice from two desks: the first says recorded once the hub took it, the second says refused by plate, never recorded', async () => {
    const target = 5;
    const phone = await newContext(PHONE);
    const net = await networkSwitch(phone);
    const late = await openDesk(phone);
    // Would the page ever show a green "recorded"? Watched in the page itself, not sampled.
    await late.evaluate(`(() => {
      window.__sawRecorded = false;
      new MutationObserver(() => { if (document.querySelector('[data-testid="sv-recorded"]')) window.__sawRecorded = true; })
        .observe(document.body, { subtree: true, childList: true });
    })()`);

    // The phone desk goes off the Wi-Fi and sends its survey: kept on the device, not "recorded".
    await net.offline();
    await late.getByTestId('sv-search').fill(String(10001 + target));
    await late.getByTestId(`sv-job-C${target}`).and(late.locator('[aria-pressed="true"]')).waitFor();
    await late.getByTestId('sv-score-2').click();
    await late.getByTestId('sv-submit').click();
    expect(await late.getByTestId('sv-saved').textContent()).toContain(`Survey for \u2068${plate(target)}\u2069 saved on this device`);
    await late.screenshot({ path: path.join(SCREENSHOTS, 'desk-survey-saved-phone.png') });

    // Meanwhile the tablet desk surveys the same car: recorded, once the hub answered.
    const first = await openDesk(await newContext(TABLET));
    await first.getByTestId('sv-search').fill(plate(target));
    await first.getByTestId('sv-score-5').click();
    await first.getByTestId('sv-submit').click();
    expect(await first.getByTestId('sv-recorded').textContent()).toContain(`Survey for \u2068${plate(target)}\u2069 recorded`);
    const jobs = await getJson<{ jobs: { jobId: string; surveyed: boolean }[] }>(h.url, `/api/v1/workshops/${WS}/jobs`, TOKENS.board);
    expect(jobs.jobs.find((j) => j.jobId === `C${target}`)?.surveyed).toBe(true);
    // No longer offered at the tablet.
    await first.getByTestId('sv-search').fill('');
    await expect.poll(() => first.getByTestId(`sv-job-C${target}`).count()).toBe(0);
    await first.screenshot({ path: path.join(SCREENSHOTS, 'desk-survey-recorded-tablet.png') });

    // The phone is back: its survey reaches the hub second and is refused, said by plate.
    net.online();
    const refused = late.getByTestId('sv-refused');
    await refused.waitFor({ timeout: 60_000 });
    const text = (await refused.textContent()) ?? '';
    expect(text).toContain(`Survey for \u2068${plate(target)}\u2069 not recorded: this car already has a survey`);
    expect(text).not.toContain(`C${target}`);
    expect(await late.getByTestId('sv-recorded').count()).toBe(0);
    expect(await late.evaluate('window.__sawRecorded')).toBe(false);
    // The car is gone from the phone's list too, now that it knows the hub holds a survey.
    await late.getByTestId('sv-search').fill('');
    await expect.poll(() => late.getByTestId(`sv-job-C${target}`).count(), { timeout: 15_000 }).toBe(0);
    // Both the outbox's alert and the form name the car by plate, not its job id.
    expect(await late.getByTestId('rejected-reason').textContent()).toBe(`jobId: the car ${plate(target)} already has a survey (one per job)`);
    await late.getByTestId('rejected').scrollIntoViewIfNeeded();
    await late.screenshot({ path: path.join(SCREENSHOTS, 'desk-survey-refused-alert-phone.png') });
    await refused.scrollIntoViewIfNeeded();
    await late.screenshot({ path: path.join(SCREENSHOTS, 'desk-survey-refused-phone.png') });
  });
});
