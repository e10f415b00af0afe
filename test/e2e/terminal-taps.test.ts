import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';
import { workshopApi } from '../helpers/e2e.js';
import { e2eSession } from '../helpers/e2e-session.js';
import { terminalMorning } from '../fixtures/terminal-morning.js';

/**
 * The bay terminal as a technician meets it on a tablet (issue 12): the queue card's start
 * button beside, never over, the car's text; a generic pause said once; the taps that leave a
 * job in an odd state (clock out, break with a job running; deliver) asking or undoable.
 * Debian's Chromium against an in-process hub with its clock pinned to 10:00.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const WS = 'sh-test';

const now = Date.parse(L('10:00'));

const e2e = e2eSession({ now, events: () => terminalMorning({ j4ComebackOf: 'J0' }), actionTimeoutMs: 8000 });
const newContext = (viewport: { width: number; height: number }, locale = 'en-GB') => e2e.context({ viewport, locale, timezoneId: 'Europe/Berlin' });

async function openTerminal(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${e2e.url}/terminal/${WS}?${query}#token=${TOKENS.terminal}`);
  await page.getByTestId('conn').and(page.locator('[data-kind="live"]')).waitFor();
  return page;
}

const { api, eventLog } = workshopApi(() => e2e.url, WS);


/**
 * Every rectangle of text in the queue cards that meets one of the card's buttons, as
 * "plate: text" (a string for page.evaluate: the test's tsconfig has no DOM types).
 */
const OVERLAPS = `(() => {
  const hits = [];
  const meet = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  for (const card of document.querySelectorAll('[data-testid^="queue-J"]')) {
    const buttons = [...card.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim() || n.parentElement.closest('button')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (buttons.some((b) => meet(r, b))) hits.push(card.dataset.testid + ': ' + n.textContent.trim());
      }
    }
  }
  return hits;
})()`;

/** Whether any text of the cards is cut by its box (hidden, not just wrapped). */
const CLIPPED = `(() => [...document.querySelectorAll('[data-testid^="queue-J"] *')]
  .filter((e) => !e.closest('button') && (e.scrollWidth > e.clientWidth + 1) && getComputedStyle(e).overflow !== 'visible')
  .map((e) => e.textContent.trim()))()`;

/** How many lines J1's plate, service and predicted start take (one box per line for inline text). */
const LINES = `['queue-plate', 'queue-service', 'queue-predicted'].map((id) => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector('[data-testid="queue-J1"] [data-testid="' + id + '"]'));
  // Boxes on one line may sit a few pixels apart (a CJK glyph's fallback font): a new line is one font size lower.
  const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top).sort((a, b) => a - b);
  return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 8).length;
})`;

describe('the queue card (issue 12, item 1)', () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 800, height: 1280 },
    { width: 1024, height: 768 },
  ]) {
    for (const lang of ['en', 'zh-CN'] as const) {
      it(`keeps the start button clear of the car's text at ${viewport.width}×${viewport.height} in ${lang}`, async () => {
        const page = await openTerminal(await newContext(viewport), `bay=B1&lang=${lang}`);
        await page.getByTestId('pick-T1').click();
        const j1 = page.getByTestId('queue-J1');
        await j1.getByTestId('start-here').waitFor();
        await page.getByTestId('queue-J4').getByTestId('start-here').waitFor();
        await expect.poll(() => j1.getByTestId('queue-predicted').textContent()).toMatch(/\d\d:\d\d/);
        await page.screenshot({ path: path.join(SCREENSHOTS, `terminal-queue-${viewport.width}x${viewport.height}-${lang}.png`), fullPage: true });
        expect(await page.evaluate<string[]>(OVERLAPS)).toEqual([]);
        expect(await page.evaluate<string[]>(CLIPPED)).toEqual([]);
        // The plate stays on one line: its box is one line high.
        // Nothing squeezed into a column: the plate, the service and the predicted start each on one line.
        expect(await page.evaluate<number[]>(LINES)).toEqual([1, 1, 1]);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth - innerWidth')).toBe(0);
      });
    }
  }
});

async function openBoard(): Promise<Page> {
  const page = await (await newContext({ width: 1920, height: 1080 })).newPage();
  await page.goto(`${e2e.url}/board/${WS}?token=${TOKENS.board}&lang=en`);
  await page.getByTestId('kpi-utilisation').waitFor();
  return page;
}

describe('a pause for no listed reason (issue 12, item 3)', () => {
  it('says "Paused" once on the terminal and the board, and names a listed reason after it', async () => {
    const board = await openBoard();
    const b3 = board.getByTestId('bay-B3');
    const page = await openTerminal(await newContext({ width: 1280, height: 800 }), 'bay=B3&lang=en');
    await page.getByTestId('pick-T3').click();
    await page.getByTestId('clock-in').click();
    await page.getByTestId('queue-J3').getByTestId('start-here').click();
    const mine = page.getByTestId('my-job-J3');
    await mine.getByTestId('pause').click();
    await mine.getByTestId('pause-other').click();
    await expect.poll(() => b3.getAttribute('data-state'), { timeout: 10_000 }).toBe('paused');
    await expect.poll(() => mine.getAttribute('data-state')).toBe('paused');
    // Said once: the generic reason's label is the word "Paused" itself.
    expect((await mine.getByTestId('job-status').textContent())?.trim()).toMatch(/^Paused\s+\d/);
    expect(await mine.getByTestId('job-status').textContent()).not.toMatch(/Paused · Paused/);
    expect((await b3.getByTestId('bay-status').textContent())?.trim()).toBe('Paused');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-paused-other-en.png') });
    await board.screenshot({ path: path.join(SCREENSHOTS, 'board-paused-other-en.png') });

    // zh-CN: 暂停, not 暂停 · 暂停.
    const zh = await openTerminal(await newContext({ width: 1280, height: 800 }, 'zh-CN'), 'bay=B3&lang=zh-CN');
    await zh.getByTestId('pick-T3').click();
    const status = zh.getByTestId('my-job-J3').getByTestId('job-status');
    await expect.poll(() => status.textContent()).toMatch(/^\s*暂停\s/);
    expect(await status.textContent()).not.toMatch(/暂停 · 暂停/);

    // A listed reason is still named after the word.
    await mine.getByTestId('resume').click();
    await expect.poll(() => mine.getAttribute('data-state')).toBe('in_progress');
    await mine.getByTestId('pause').click();
    await mine.getByTestId('pause-parts').click();
    await expect.poll(() => b3.getByTestId('bay-status').textContent(), { timeout: 10_000 }).toBe('Paused · Waiting for parts');
    expect(await mine.getByTestId('job-status').textContent()).toContain('Paused · Waiting for parts');
    await mine.getByTestId('resume').click();
    await expect.poll(() => b3.getAttribute('data-state'), { timeout: 10_000 }).toBe('in_progress');
  });
});

type JobRow = { jobId: string; state: string; pauseReason: string | null };
const jobRow = async (jobId: string) => (await api<{ jobs: JobRow[] }>('/jobs')).jobs.find((j) => j.jobId === jobId);
const techStatus = async (id: string) => (await api<{ technicians: { technicianId: string; status: string }[] }>('/technicians')).technicians.find((t) => t.technicianId === id)?.status;

describe('a break or clocking out with a job running (issue 12, item 7)', () => {
  it('asks first; "pause it" pauses the job for the break before the break starts, "keep it running" leaves it running', async () => {
    const board = await openBoard();
    const b1 = board.getByTestId('bay-B1');
    // Zhang Wei clocks in and starts J1 at B1.
    const page = await openTerminal(await newContext({ width: 1280, height: 800 }), 'bay=B1&lang=en');
    await page.getByTestId('pick-T1').click();
    await page.getByTestId('clock-in').click();
    await page.getByTestId('queue-J1').getByTestId('start-here').click();
    const mine = page.getByTestId('my-job-J1');
    await expect.poll(() => b1.getAttribute('data-state'), { timeout: 10_000 }).toBe('in_progress');
    await expect.poll(() => page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');

    await page.getByTestId('break-start').click();
    const ask = page.getByTestId('running-ask');
    expect(await ask.textContent()).toContain('\u2068沪B67890\u2069 still running');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-break-ask-en.png') });
    // Asking sent nothing.
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    expect(await techStatus('T1')).toBe('on_shift');

    await ask.getByTestId('running-pause').click();
    await expect.poll(() => b1.getByTestId('bay-status').textContent(), { timeout: 10_000 }).toBe('Paused · Technician on break');
    expect(await jobRow('J1')).toMatchObject({ state: 'paused', pauseReason: 'break' });
    expect(await techStatus('T1')).toBe('on_break');
    await expect.poll(() => mine.getByTestId('job-status').textContent()).toContain('Paused · Technician on break');

    // Back from the break, the job resumed by hand; clocking out, he keeps it running (a colleague takes over).
    await page.getByTestId('break-end').click();
    await mine.getByTestId('resume').click();
    await expect.poll(() => b1.getAttribute('data-state'), { timeout: 10_000 }).toBe('in_progress');
    await expect.poll(() => page.getByTestId('shift').getAttribute('data-status')).toBe('on_shift');
    await page.getByTestId('clock-out').click();
    await page.getByTestId('running-keep').click();
    await expect.poll(() => techStatus('T1'), { timeout: 10_000 }).toBe('off');
    expect(await jobRow('J1')).toMatchObject({ state: 'in_progress', pauseReason: null });
  });

  it('clocking out and choosing "pause it" pauses the job for the end of the shift, then clocks out, in that order', async () => {
    const page = await openTerminal(await newContext({ width: 800, height: 1280 }, 'zh-CN'), 'bay=B2&lang=zh-CN');
    await page.getByTestId('pick-T2').click();
    await expect.poll(() => page.getByTestId('my-job-J2').getAttribute('data-state')).toBe('in_progress');
    await page.getByTestId('clock-out').click();
    expect(await page.getByTestId('running-ask').textContent()).toContain('仍在作业中');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-clockout-ask-zh.png') });
    // "Back" sends nothing and asks again next time.
    await page.getByTestId('running-back').click();
    expect(await page.getByTestId('running-ask').count()).toBe(0);
    await page.getByTestId('clock-out').click();
    await page.getByTestId('running-pause').click();
    await expect.poll(() => techStatus('T2'), { timeout: 10_000 }).toBe('off');
    expect(await jobRow('J2')).toMatchObject({ state: 'paused', pauseReason: 'end_of_shift' });
    const log = (await eventLog()).map((s) => s.event).filter((e) => Date.parse(e.at) === now && (('jobId' in e && e.jobId === 'J2') || ('technicianId' in e && e.technicianId === 'T2')));
    expect(log.map((e) => e.type)).toEqual(['job.paused', 'shift.clock_out']);
    await expect.poll(() => page.getByTestId('my-job-J2').getByTestId('job-status').textContent()).toContain('暂停 · 技师已下班');
  });
});

describe('"Deliver" on the desk (issue 12, item 7)', () => {
  it('holds the tap a few seconds with an Undo: undone, nothing reaches the hub; left alone, it is delivered once', async () => {
    const context = await newContext({ width: 1280, height: 800 });
    const page = await context.newPage();
    await page.goto(`${e2e.url}/desk/${WS}?lang=en#token=${TOKENS.terminal}`);
    await page.getByTestId('check-in').waitFor();
    await expect.poll(() => page.getByTestId('conn').getAttribute('data-kind')).toBe('live');
    const row = page.getByTestId('deliver-J0');

    await row.getByTestId('deliver-action').click();
    expect(await row.getByTestId('deliver-held').textContent()).toContain('5 s to undo');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'desk-deliver-undo-en.png') });
    // Held, not sent: the outbox is empty and the hub still has the car waiting for its customer.
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    await row.getByTestId('deliver-undo').click();
    await row.getByTestId('deliver-action').waitFor();
    // Well past the hold: still nothing sent.
    await page.waitForTimeout(7000);
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    expect((await jobRow('J0'))?.state).toBe('completed');
    expect((await eventLog()).filter((s) => s.event.type === 'job.delivered')).toHaveLength(0);

    // Left alone, it goes after the hold, once.
    await row.getByTestId('deliver-action').click();
    await expect.poll(async () => (await jobRow('J0'))?.state, { timeout: 20_000, interval: 200 }).toBe('delivered');
    await expect.poll(() => page.getByTestId('deliver-J0').count()).toBe(0);
    expect((await eventLog()).filter((s) => s.event.type === 'job.delivered').map((s) => s.event)).toMatchObject([{ jobId: 'J0' }]);
  });
});
