import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import { bookingEvent, type Booking } from '../../server/sim/appointment-events.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { AppointmentsResponse } from '../../shared/appointments.js';
import { DAY_MS, localDate } from '../../shared/time.js';
import { TOKENS, testConfigJson } from '../fixtures/config.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { launchBrowser } from '../helpers/browser.js';
import { CLIENT_DIR, getJson, postAcceptedTo } from '../helpers/e2e.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Appointments in the browser (issue 15): the desk lists today's booked arrivals with the
 * no-show marked, checks one in with one tap and books another; the lead console shows the
 * next 14 days' capacity with the Saturday overbooked in red and weekdays to offer in green.
 * Four weeks of simulated history (Saturdays at 2.1×) give the walk-in rate.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const WS = 'sh-test';
const TZ = SHANGHAI.timezone;
const at = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+08:00`);
const now = at('2026-11-23', '10:00'); // a Monday

/** The test workshop with a roster (two short-staffed Saturdays' worth), teams per service and a weekday discount. */
function config() {
  const json = testConfigJson() as { workshops: Record<string, unknown>[] };
  json.workshops[0] = {
    ...SHANGHAI,
    serviceTeams: { maintenance: 'quick', recall: 'quick', repair: 'repair', diagnosis: 'repair', warranty: 'repair', bodywork: 'repair' },
    appointments: { weekdayDiscountPercent: 15 },
    technicians: [
      { id: 'T1', name: 'Zhang Wei', team: 'quick', weeklyHours: [8, 8, 8, 8, 8, 8, 0] },
      { id: 'T2', name: 'Wang Fang', team: 'repair', weeklyHours: [8, 8, 8, 8, 8, 8, 0] },
      { id: 'T3', name: 'Li Qiang', team: 'repair', weeklyHours: [8, 8, 8, 8, 8, 0, 8] },
    ],
  };
  return parseConfig(json, 'appointments e2e config');
}

const booking = (id: string, date: string, hhmm: string, service: Booking['service'], standardMinutes: number, customerWaiting = false): Booking => ({
  appointmentId: id, plate: `沪B${id.slice(-4)}`, service, standardMinutes, slotAt: at(date, hhmm), advisorId: 'A1', customerWaiting,
});

const TODAY = [
  booking('today-0830', '2026-11-23', '08:30', 'maintenance', 45, true),
  booking('today-1015', '2026-11-23', '10:15', 'maintenance', 60, true),
  booking('today-1030', '2026-11-23', '10:30', 'repair', 90),
  booking('today-1100', '2026-11-23', '11:00', 'diagnosis', 60),
  booking('today-1400', '2026-11-23', '14:00', 'repair', 120),
];
const SATURDAY = Array.from({ length: 8 }, (_, i) => booking(`sat-${1000 + i}`, '2026-11-28', `${String(8 + i).padStart(2, '0')}:30`, i % 3 === 0 ? 'maintenance' : 'repair', 120));
const WEEK = [booking('tue-0900', '2026-11-24', '09:00', 'repair', 120), booking('wed-0900', '2026-11-25', '09:00', 'maintenance', 60), booking('fri-1000', '2026-11-27', '10:00', 'repair', 180)];

/** Four weeks before today, a simulated day each, at the volume three technicians can carry on a weekday, Saturdays and Sundays at the case's 2.1×. */
function history() {
  const days = Array.from({ length: 28 }, (_, i) => localDate(now - (28 - i) * DAY_MS, TZ));
  return days.flatMap((date, i) => {
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    return simulateDay({ config: SHANGHAI, date, seed: 500 + i, arrivalFactor: weekday === 0 || weekday === 6 ? 2.1 * 0.4 : 0.4 });
  });
}

let browser: Browser;
let h: TestHub;
const contexts: BrowserContext[] = [];

async function page(lang: string, viewport: { width: number; height: number }, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: lang, timezoneId: 'Asia/Shanghai' });
  await context.clock.setFixedTime(now);
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const p = await context.newPage();
  await p.goto(`${h.url}${url}`);
  return p;
}

const appointments = () => getJson<AppointmentsResponse>(h.url, `/api/v1/workshops/${WS}/appointments`, TOKENS.terminal);

beforeAll(async () => {
  [browser, h] = await Promise.all([launchBrowser(), startTestHub({ clientDir: CLIENT_DIR, clock: () => now, config: config(), maxEventAgeMs: 40 * DAY_MS, rateLimitPerMinute: 1_000_000 })]);
  await h.listen();
  await postAcceptedTo(h.url, WS, history(), TOKENS.terminal);
  await postAcceptedTo(h.url, WS, [...TODAY, ...SATURDAY, ...WEEK].map((b) => bookingEvent(b, at('2026-11-20', '15:00'))), TOKENS.terminal);
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await h?.stop().catch(() => {});
});

describe('appointments at the desk', () => {
  it('lists today’s expected arrivals with the no-show marked, checks one in with one tap and books another', async () => {
    const desk = await page('en-GB', { width: 1280, height: 900 }, `/desk/${WS}?lang=en#token=${TOKENS.terminal}`);
    const list = desk.getByTestId('expected-arrivals');
    await list.locator('[data-testid^="appointment-today-"]').nth(4).waitFor();
    expect(await list.locator('[data-testid^="appointment-today-"]').count()).toBe(5);
    await expect.poll(() => list.getByTestId('appointment-today-0830').getByTestId('appointment-no-show').count()).toBe(1);
    expect(await list.getByTestId('appointment-today-1015').getByTestId('appointment-no-show').count()).toBe(0);
    await desk.screenshot({ path: path.join(SCREENSHOTS, 'desk-appointments.png') });

    await list.getByTestId('appointment-today-1015').getByTestId('appointment-check-in').click();
    // Off the expected list at once (the outbox laid over it), and checked in at the hub.
    await expect.poll(() => list.getByTestId('appointment-today-1015').count()).toBe(0);
    await expect.poll(async () => (await appointments()).appointments.find((a) => a.id === 'today-1015')?.status, { timeout: 10_000 }).toBe('checked_in');
    const job = (await appointments()).appointments.find((a) => a.id === 'today-1015')!.jobId!;
    const jobs = await getJson<{ jobs: { jobId: string; plate: string; standardMinutes: number }[] }>(h.url, `/api/v1/workshops/${WS}/jobs`, TOKENS.terminal);
    expect(jobs.jobs.find((j) => j.jobId === job)).toMatchObject({ plate: '沪B1015', standardMinutes: 60 });

    await desk.getByTestId('book-toggle').click();
    await desk.getByTestId('book-plate').fill('沪c77777');
    await desk.getByTestId('book-time').fill('16:30');
    await desk.getByTestId('book-submit').click();
    await desk.getByTestId('book-done').waitFor();
    await expect.poll(async () => (await appointments()).appointments.find((a) => a.plate === '沪C77777')?.slotAt, { timeout: 10_000 }).toBe('2026-11-23T08:30:00.000Z');
  });

  it('fits a phone in Chinese', async () => {
    const desk = await page('zh-CN', { width: 390, height: 844 }, `/desk/${WS}?lang=zh-CN#token=${TOKENS.terminal}`);
    const list = desk.getByTestId('expected-arrivals');
    await list.getByTestId('appointment-today-0830').waitFor();
    expect(await list.locator('h2').textContent()).toContain('今日预约到店');
    expect(await desk.evaluate<number>('document.documentElement.scrollWidth - innerWidth')).toBeLessThanOrEqual(0);
    await list.scrollIntoViewIfNeeded();
    await list.screenshot({ path: path.join(SCREENSHOTS, 'desk-appointments-zh-phone.png') });
  });
});

describe('the capacity view on the lead console', () => {
  it('shows 14 days, the Saturday overbooked in red, weekdays to offer in green, with the discount', async () => {
    const lead = await page('en-GB', { width: 1366, height: 900 }, `/lead/${WS}?lang=en#token=${TOKENS.lead}`);
    const capacity = lead.getByTestId('capacity');
    await capacity.locator('tbody tr').nth(13).waitFor();
    expect(await capacity.locator('tbody tr').count()).toBe(14);
    expect(await capacity.getByTestId('capacity-2026-11-28').getAttribute('class')).toContain('over');
    expect(await capacity.getByTestId('capacity-2026-11-24').getAttribute('class')).toContain('spare');
    await capacity.getByTestId('capacity-discount').waitFor();
    await capacity.scrollIntoViewIfNeeded();
    await capacity.screenshot({ path: path.join(SCREENSHOTS, 'capacity.png') });
    // The queue's predictions count the booked cars due before 14:00 (08:30 is a no-show; 10:15 was checked in when the desk's test ran first).
    const { bookedArrivals } = await getJson<{ bookedArrivals: number }>(h.url, `/api/v1/workshops/${WS}/forecast`, TOKENS.lead);
    expect(bookedArrivals).toBeGreaterThanOrEqual(2);
    expect(await lead.getByTestId('queue-booked').textContent()).toContain(`${bookedArrivals} booked cars due in the next 4 h`);
    // And the staffing plan says what its expected cars are made of.
    expect(await lead.getByTestId('staffing-basis').textContent()).toContain('the cars booked for the hour plus the mean walk-ins');

    const zh = await page('zh-CN', { width: 1366, height: 900 }, `/lead/${WS}?lang=zh-CN#token=${TOKENS.lead}`);
    const zhCapacity = zh.getByTestId('capacity');
    await zhCapacity.locator('tbody tr').nth(13).waitFor();
    expect(await zhCapacity.locator('h2').textContent()).toBe('未来 14 天产能');
    await zhCapacity.scrollIntoViewIfNeeded();
    await zhCapacity.screenshot({ path: path.join(SCREENSHOTS, 'capacity-zh.png') });
  });
});

describe('the appointment report', () => {
  it('shows per week the booked share, no-show rate and weekday share, and weekday vs weekend scores', async () => {
    const reports = await page('en-GB', { width: 1366, height: 900 }, `/reports/${WS}?lang=en#token=${TOKENS.lead}`);
    const section = reports.getByTestId('appointment-report');
    await section.locator('tbody tr').nth(12).waitFor({ timeout: 20_000 });
    // 13 weeks and the two kinds of day; the four simulated weeks carry check-ins, no appointment was checked in before today.
    const text = await section.innerText();
    expect(text).toContain('2026-11-16');
    expect(text).toContain('Weekend');
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: path.join(SCREENSHOTS, 'reports-appointments.png') });
  });
});
