import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DailyReport } from '../../shared/daily.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L } from '../fixtures/workshop.js';
import { getJson } from '../helpers/e2e.js';
import { e2eSession } from '../helpers/e2e-session.js';

/**
 * An implausible worked time as the lead meets it (issue 12, item 8): Zhang Wei tapped Start a
 * minute before Complete on J1. The lead console lists it under "Records to check" with the
 * minutes, the TV board does not (nobody on the floor can act on it), and it stays out of the
 * workshop's labour-time achievement until the lead confirms it: two taps, then it counts,
 * and the daily report no longer lists it.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const WS = 'sh-test';
const now = Date.parse(L('10:00'));

let context: BrowserContext;

const e2e = e2eSession({
  now,
  actionTimeoutMs: 8000,
  events: () => [
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('08:05'), { jobId: 'J2', plate: '沪B22222', service: 'maintenance', standardMinutes: 45, customerWaiting: true }),
    ev('job.started', L('08:20'), { jobId: 'J2', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', L('09:00'), { jobId: 'J2', firstTimeFix: true }),
    ev('job.checked_in', L('08:10'), { jobId: 'J1', plate: '沪A11111', service: 'maintenance', standardMinutes: 45, customerWaiting: true }),
    ev('job.started', L('09:10'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', L('09:11'), { jobId: 'J1', firstTimeFix: true }),
  ],
});

beforeAll(async () => {
  context = await e2e.context({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Shanghai', keep: true });
});

const board = () => getJson<BoardSnapshot>(e2e.url, `/api/v1/workshops/${WS}/board`, TOKENS.board);
const daily = () => getJson<DailyReport>(e2e.url, `/api/v1/workshops/${WS}/daily`, TOKENS.lead);

describe('an implausible worked time on the lead console (issue 12, item 8)', () => {
  it('is shown to a terminal token on the console, without what only a lead may do (shared/permissions.ts)', async () => {
    const page = await context.newPage();
    await page.goto(`${e2e.url}/lead/${WS}?lang=en#token=${TOKENS.terminal}`);
    const row = page.getByTestId('quality-implausible_time');
    await row.waitFor();
    expect(await row.getAttribute('data-job')).toBe('J1');
    // The queue and the lights are there; the calls a terminal token would be refused are not.
    await page.getByTestId('lead-lights').waitFor();
    expect(await page.locator('[data-testid^="light-"]').count()).toBeGreaterThan(0);
    expect(await row.getByTestId('quality-confirm').count()).toBe(0);
    expect(await page.getByTestId('lead-reassign').count()).toBe(0);
    expect(await page.locator('[data-testid^="ack-"]').count()).toBe(0);

    // The lead's token on the same page offers them.
    const lead = await context.newPage();
    await lead.goto(`${e2e.url}/lead/${WS}?lang=en#token=${TOKENS.lead}`);
    await lead.getByTestId('quality-implausible_time').getByTestId('quality-confirm').waitFor();
    await lead.getByTestId('lead-reassign').waitFor();
    await lead.locator('[data-testid^="ack-"]').first().waitFor();
    expect(await lead.locator('[data-testid^="ack-"]').count()).toBe(2);
    await Promise.all([page.close(), lead.close()]);
  });

  it('is listed for the lead, not on the TV, and counts again once the lead confirms it', async () => {
    // Before: only J2 counts (45 min standard in 40 worked).
    expect((await board()).kpis.laborAchievement.value).toBeCloseTo(1.125, 3);
    expect((await daily()).problems.filter((p) => p.kind === 'implausible_time').map((p) => p.jobId)).toEqual(['J1']);

    const tv: Page = await context.newPage();
    await tv.goto(`${e2e.url}/board/${WS}?token=${TOKENS.board}&lang=en`);
    await tv.getByTestId('kpi-utilisation').waitFor();
    expect(await tv.getByTestId('flag-implausible_time').count()).toBe(0);

    const page = await context.newPage();
    await page.goto(`${e2e.url}/lead/${WS}?lang=en#token=${TOKENS.lead}`);
    const row = page.getByTestId('quality-implausible_time');
    await row.waitFor();
    expect(await row.getAttribute('data-job')).toBe('J1');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Implausible worked time');
    expect(text).toContain('沪A11111');
    expect(text).toContain('Zhang Wei');
    expect(await row.getByTestId('quality-why').textContent()).toContain('1 min worked against a standard of 45 min');
    await page.getByTestId('lead-quality').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'lead-quality-en.png'), fullPage: true });

    // The first tap asks; "Back" sends nothing.
    await row.getByTestId('quality-confirm').click();
    await row.getByTestId('quality-confirm-back').click();
    expect((await board()).kpis.laborAchievement.value).toBeCloseTo(1.125, 3);

    await row.getByTestId('quality-confirm').click();
    await row.getByTestId('quality-confirm-yes').click();
    await page.getByTestId('quality-none').waitFor({ timeout: 10_000 });
    // Counted now: (45 + 45) standard minutes in 41 worked.
    expect((await board()).kpis.laborAchievement.value).toBeCloseTo(90 / 41, 3);
    expect((await daily()).problems.filter((p) => p.kind === 'implausible_time')).toEqual([]);
  });
});
