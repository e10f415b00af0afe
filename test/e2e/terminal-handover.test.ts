import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L } from '../fixtures/workshop.js';
import { workshopApi } from '../helpers/e2e.js';
import { e2eSession } from '../helpers/e2e-session.js';

/**
 * A paused job taken over from a tablet (issue 12, item 10): Wang Fang paused J2 at the end of
 * her shift and went home; Li Qiang, at Bay 2's terminal, takes it over and resumes it. The
 * hub's job (and its time from then on) is his, the board shows the bay running again, and his
 * own paused jobs are never offered to him as a colleague's.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const WS = 'sh-test';
const now = Date.parse(L('10:00'));

let context: BrowserContext;

function morning(): PitwallEvent[] {
  return [
    ev('shift.clock_in', L('07:30'), { technicianId: 'T2' }),
    ev('job.checked_in', L('08:05'), { jobId: 'J2', plate: '沪A12345', service: 'repair', standardMinutes: 120, customerWaiting: false }),
    ev('job.started', L('08:30'), { jobId: 'J2', bayId: 'B2', technicianId: 'T2' }),
    ev('job.paused', L('09:30'), { jobId: 'J2', reason: 'end_of_shift' }),
    ev('shift.clock_out', L('09:30'), { technicianId: 'T2' }),
    ev('shift.clock_in', L('09:40'), { technicianId: 'T3' }),
    ev('job.checked_in', L('09:00'), { jobId: 'J3', plate: '沪D24680', service: 'diagnosis', standardMinutes: 30, customerWaiting: false }),
    ev('job.started', L('09:45'), { jobId: 'J3', bayId: 'B3', technicianId: 'T3' }),
    ev('job.paused', L('09:50'), { jobId: 'J3', reason: 'parts' }),
  ];
}

const { api, eventLog } = workshopApi(() => e2e.url, WS);
type JobRow = { jobId: string; state: string; technicianId: string | null };
const jobRow = async (jobId: string) => (await api<{ jobs: JobRow[] }>('/jobs')).jobs.find((j) => j.jobId === jobId);

const e2e = e2eSession({ now, events: morning, actionTimeoutMs: 8000 });

beforeAll(async () => {
  context = await e2e.context({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Shanghai', keep: true });
});

async function openTerminal(query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${e2e.url}/terminal/${WS}?${query}#token=${TOKENS.terminal}`);
  await page.getByTestId('conn').and(page.locator('[data-kind="live"]')).waitFor();
  return page;
}

describe('taking over a colleague’s paused job (issue 12, item 10)', () => {
  it('offers the colleague’s paused job, not his own, and resumes it as his after a confirming tap', async () => {
    const board = await context.newPage();
    await board.goto(`${e2e.url}/board/${WS}?token=${TOKENS.board}&lang=en`);
    const b2 = board.getByTestId('bay-B2');
    await expect.poll(() => b2.getAttribute('data-state')).toBe('paused');

    const page = await openTerminal('bay=B2&lang=en');
    await page.getByTestId('pick-T3').click();
    const offer = page.getByTestId('take-over-J2');
    await offer.waitFor();
    // His own paused J3 is under "My jobs", not offered as a colleague's.
    await page.getByTestId('my-job-J3').waitFor();
    expect(await page.getByTestId('take-over-J3').count()).toBe(0);
    expect(await offer.getByTestId('take-over-holder').textContent()).toContain('with \u2068Wang Fang\u2069 · Paused · Shift ended');

    // One tap asks; "Back" sends nothing.
    await offer.getByTestId('take-over-action').click();
    await offer.getByTestId('take-over-back').click();
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    await offer.getByTestId('take-over-action').click();
    expect(await offer.getByTestId('take-over-confirm').textContent()).toContain('Resume as \u2068Li Qiang\u2069');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-take-over-en.png') });
    await offer.getByTestId('take-over-confirm').click();

    // The job is his: on his list at once, on the hub and on the board.
    await page.getByTestId('my-job-J2').waitFor();
    await expect.poll(() => page.getByTestId('my-job-J2').getAttribute('data-state')).toBe('in_progress');
    expect(await page.getByTestId('take-over').count()).toBe(0);
    await expect.poll(() => jobRow('J2'), { timeout: 10_000 }).toMatchObject({ state: 'in_progress', technicianId: 'T3' });
    await expect.poll(() => b2.getAttribute('data-state'), { timeout: 10_000 }).toBe('in_progress');
    const resumed = (await eventLog()).map((s) => s.event).filter((e) => e.type === 'job.resumed');
    expect(resumed).toEqual([expect.objectContaining({ jobId: 'J2', technicianId: 'T3' })]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-taken-over-en.png') });
    await board.screenshot({ path: path.join(SCREENSHOTS, 'board-taken-over-en.png') });
  });
});
