import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { DailyReport } from '../../shared/daily.js';
import type { PitwallEvent } from '../../shared/events.js';
import { addSums, emptySums, historyFigures, type HistoryResponse } from '../../shared/history.js';
import { resolveThresholds } from '../../shared/lights.js';
import { DAY_MS } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { launchBrowser } from '../helpers/browser.js';
import { CLIENT_DIR, getJson, postAcceptedTo } from '../helpers/e2e.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The service manager's report and head office's region view in Chromium, against a hub fed
 * six weeks of simulated days (server/sim/simulate-day.ts) with its clock pinned to Monday
 * 09:00: what is on screen is compared with what the hub's API says, never with the store.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const LAPTOP = { width: 1440, height: 900 };
const SMALL_LAPTOP = { width: 1366, height: 768 };

const TOKENS = { lead: 'reports-lead-token-01', regional: 'regional-lead-token-01', board: 'reports-board-token-1' } as const;

const CONFIG = parseConfig(
  {
    workshops: [
      {
        id: 'sh-pudong',
        name: 'Shanghai Pudong',
        timezone: 'Asia/Shanghai',
        bays: [
          { id: 'B1', name: 'Bay 1', team: 'quick' },
          { id: 'B2', name: 'Bay 2', team: 'quick' },
          { id: 'B3', name: 'Bay 3', team: 'repair' },
          { id: 'B4', name: 'Bay 4', team: 'repair' },
          { id: 'B5', name: 'Bay 5', team: 'repair' },
        ],
        technicians: [
          { id: 'T1', name: 'Zhang Wei', team: 'quick' },
          { id: 'T2', name: 'Wang Fang', team: 'quick' },
          { id: 'T3', name: 'Li Qiang', team: 'repair' },
          { id: 'T4', name: 'Chen Jing', team: 'repair' },
          { id: 'T5', name: 'Liu Yang', team: 'repair' },
        ],
        advisors: [
          { id: 'A1', name: 'Li Na' },
          { id: 'A2', name: 'Zhou Min' },
        ],
      },
      {
        id: 'bj-chaoyang',
        name: 'Beijing Chaoyang',
        timezone: 'Asia/Shanghai',
        // This one wants NADA's names on the manager's screens.
        naming: 'nada',
        bays: [1, 2, 3, 4, 5, 6].map((n) => ({ id: `B${n}`, name: `Bay ${n}` })),
        technicians: [
          { id: 'T1', name: 'Zhao Lei' },
          { id: 'T2', name: 'Sun Li' },
          { id: 'T3', name: 'Ma Jun' },
          { id: 'T4', name: 'Hu Yan' },
          { id: 'T5', name: 'Guo Tao' },
          { id: 'T6', name: 'He Ping' },
        ],
        advisors: [{ id: 'A1', name: 'Xu Ming' }],
      },
    ],
    tokens: [
      { token: TOKENS.lead, role: 'lead', workshops: ['sh-pudong'] },
      { token: TOKENS.regional, role: 'lead', workshops: ['sh-pudong', 'bj-chaoyang'] },
      { token: TOKENS.board, role: 'board', workshops: ['*'] },
      { token: 'reports-terminal-tok1', role: 'terminal', workshops: ['*'] },
    ],
  },
  'reports test config',
);
const TERMINAL = 'reports-terminal-tok1';
const ws = (id: string): WorkshopConfig => CONFIG.workshops.find((w) => w.id === id)!;

/** Monday 23 Nov 2026, 11:00 in Shanghai: "yesterday" is the Sunday, a weekend peak. */
const NOW = Date.parse('2026-11-23T11:00:00+08:00');
const TODAY = '2026-11-23';
const YESTERDAY = '2026-11-22';
/** Six weeks up to yesterday: a month of trends and part of the month before it to compare with. */
const DATES = Array.from({ length: 42 }, (_, d) => new Date(Date.parse('2026-10-12T12:00:00Z') + d * DAY_MS).toISOString().slice(0, 10));
const isWeekend = (date: string) => [0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay());

/**
 * The simulator's surveys carry a score and an NPS; a real survey also asks for effort and the
 * touchpoints. Derived here from the score (waiting and delivery scored lowest, worse at the
 * weekend, as in the articles) so the CX dashboard has answers to show.
 */
function withCx(events: PitwallEvent[], weekend: boolean): PitwallEvent[] {
  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));
  return events.map((e) => {
    if (e.type !== 'survey.submitted') return e;
    const s = e.score;
    return {
      ...e,
      ces: clamp(6 - s + (weekend ? 1 : 0), 1, 7),
      touchpoints: {
        appointment: clamp(s * 2 - 1, 0, 10),
        reception: clamp(s * 2 - 1, 0, 10),
        advisor: clamp(s * 2, 0, 10),
        waiting: clamp(s * 2 - (weekend ? 5 : 3), 0, 10),
        repair: clamp(s * 2, 0, 10),
        delivery: clamp(s * 2 - 3, 0, 10),
        followUp: clamp(s * 2 - 1, 0, 10),
      },
    };
  });
}

function days(id: string, seed: number, factor: (weekend: boolean) => number, today: { technicianIds?: string[]; arrivalFactor: number }): PitwallEvent[] {
  const config = ws(id);
  const out: PitwallEvent[] = [];
  for (const [i, date] of DATES.entries()) {
    const weekend = isWeekend(date);
    out.push(...withCx(simulateDay({ config, date, seed: seed + i, arrivalFactor: factor(weekend) }), weekend));
  }
  out.push(...withCx(simulateDay({ config, date: TODAY, seed: seed + 99, ...today }), false));
  // Today only up to the hub's clock: the board of Monday morning.
  return out.filter((e) => Date.parse(e.at) <= NOW);
}

let browser: Browser;
let h: TestHub;
const contexts: BrowserContext[] = [];

async function open(urlPath: string, viewport = LAPTOP, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ viewport, locale, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${h.url}${urlPath}`);
  return page;
}

const api = <T>(p: string, token: string = TOKENS.lead) => getJson<T>(h.url, p, token);
const pct = (v: number | null) => (v === null ? '—' : `${v * 100 < 10 ? (v * 100).toFixed(1) : Math.round(v * 100)} %`);

async function overflowX(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - innerWidth');
}

/** Pixels of a chart's canvas that are not transparent: a canvas with nothing drawn has none. */
async function paintedPixels(page: Page, testid: string): Promise<number> {
  // A string, not a function: the test's TypeScript has no DOM types (the code runs in the page).
  return page.evaluate<number>(`(() => {
    const c = document.querySelector('[data-testid="${testid}"] canvas');
    const ctx = c && c.getContext('2d');
    if (!ctx) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  })()`);
}

beforeAll(async () => {
  [browser, h] = await Promise.all([launchBrowser(), startTestHub({
      clientDir: CLIENT_DIR,
      clock: () => NOW,
      config: CONFIG,
      // Six weeks of history posted in seconds, which a hub receives over six weeks: neither the
      // age window nor the per-token budget is what this test is about.
      maxEventAgeMs: 60 * DAY_MS,
      rateLimitPerMinute: 1_000_000,
    })]);
  await h.listen();
  // Shanghai this Monday: three technicians off and more cars than usual, so the wait goes red.
  await postAcceptedTo(h.url, 'sh-pudong', days('sh-pudong', 100, (weekend) => (weekend ? 2.1 : 1), { technicianIds: ['T1', 'T3'], arrivalFactor: 1.5 }), TERMINAL);
  // A quieter site with enough hands: its lights stay out of the red.
  await postAcceptedTo(h.url, 'bj-chaoyang', days('bj-chaoyang', 500, () => 0.7, { technicianIds: ['T1', 'T2', 'T3', 'T4'], arrivalFactor: 1.2 }), TERMINAL);
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await browser?.close();
  await h?.stop().catch(() => {});
});

// A daily report rebuilds six weeks of log per request; on two shared cores a test may take a while.
const SLOW = { timeout: 90_000 };

describe("the service manager's report", SLOW, () => {
  it("opens on yesterday (the workshop's date) with every technician's lights and ranks as the daily API gives them", async () => {
    const daily = await api<DailyReport>(`/api/v1/workshops/sh-pudong/daily?date=${YESTERDAY}`);
    expect(daily.technicians.length).toBe(5);
    const page = await open(`/reports/sh-pudong?lang=en#token=${TOKENS.lead}`);
    const table = page.getByTestId('table-technicians');
    await table.waitFor();
    expect(await page.getByTestId('day-picker').inputValue()).toBe(YESTERDAY);
    expect(await page.getByTestId('day-name').textContent()).toContain('Sun');
    expect(new URL(page.url()).searchParams.get('date')).toBe(YESTERDAY);

    // Ranked by the day's score, best first.
    const byScore = [...daily.technicians].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.name.localeCompare(b.name));
    const shownOrder = await page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="table-technicians"] tbody tr')].map((r) => r.dataset.key)`);
    expect(shownOrder).toEqual(byScore.map((t) => t.technicianId));

    let lit = 0;
    for (const tech of daily.technicians) {
      const row = table.getByTestId(`row-${tech.technicianId}`);
      expect(await row.getByTestId('cell-name').textContent()).toBe(tech.name);
      for (const k of ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'proficiency'] as const) {
        const cell = row.getByTestId(`cell-${k}`);
        expect(await cell.getAttribute('data-light'), `${tech.technicianId} ${k}`).toBe(tech[k].light);
        expect(await cell.getAttribute('data-rank'), `${tech.technicianId} ${k} rank`).toBe(tech[k].rank === null ? null : String(tech[k].rank));
        expect(await cell.textContent()).toContain(pct(tech[k].value));
        if (tech[k].light !== 'none') lit++;
      }
      // Formula and sample on hover.
      expect(await row.getByTestId('cell-utilisation').getAttribute('title')).toBe(`productive min ÷ attendance min · over ${Math.round(tech.utilisation.sample)} min of attendance`);
      expect(await row.getByTestId('cell-laborAchievement').getAttribute('title')).toContain(`over ${tech.laborAchievement.sample} jobs completed`);
    }
    expect(lit).toBeGreaterThan(10);
    // The workshop's naming ("seed"): the KPI article's names, NADA's as the hint.
    const heads = await table.locator('thead').textContent();
    expect(heads).toContain('Utilisation');
    expect(heads).toContain('NADA: Productivity');
    expect(await page.getByTestId('legend-proficiency').textContent()).toContain('standard min of jobs completed ÷ attendance min');

    for (const team of daily.teams) {
      const row = page.getByTestId('table-teams').getByTestId(`row-${team.team}`);
      expect(await row.getByTestId('cell-firstTimeFix').getAttribute('data-light')).toBe(team.firstTimeFix.light);
    }
    for (const a of daily.advisors) {
      const row = page.getByTestId('table-advisors').getByTestId(`row-${a.advisorId}`);
      expect(await row.getByTestId('cell-csat').getAttribute('data-light')).toBe(a.csat.light);
      expect(await row.getByTestId('cell-complaintRate').textContent()).toContain(pct(a.complaintRate.value));
    }
  });

  it('lists the problem work orders with what happened, and the CX figures with the weakest touchpoints', async () => {
    const daily = await api<DailyReport>(`/api/v1/workshops/sh-pudong/daily?date=${YESTERDAY}`);
    expect(daily.problems.length).toBeGreaterThan(0);
    const page = await open(`/reports/sh-pudong?lang=en&date=${YESTERDAY}#token=${TOKENS.lead}`);
    const problems = page.getByTestId('table-problems');
    await problems.waitFor();
    expect(await problems.locator('tbody tr').count()).toBe(daily.problems.length);
    const jobs = await problems.getByTestId('cell-job').allTextContents();
    expect(jobs.sort()).toEqual(daily.problems.map((p) => p.jobId).sort());
    const kinds = new Set(await problems.getByTestId('cell-kind').allTextContents());
    const names = { over_standard: 'Over standard', paused_long: 'Paused too long', comeback: 'Comeback', low_score: 'Low score', implausible_time: 'Implausible time' } as const;
    expect(kinds).toEqual(new Set(daily.problems.map((p) => names[p.kind])));
    const text = (await problems.textContent()) ?? '';
    for (const p of daily.problems.filter((x) => x.kind === 'over_standard')) expect(text).toContain(p.detail);

    const cx = daily.cx.day;
    expect(cx.nps.value).not.toBeNull();
    const nps = page.getByTestId('cx-nps');
    expect(await nps.getAttribute('data-light')).toBe(cx.nps.light);
    expect(await nps.getByTestId('cx-value').textContent()).toBe(`${cx.nps.value! > 0 ? '+' : ''}${Math.round(cx.nps.value!)}`);
    expect(await page.getByTestId('cx-csat').getByTestId('cx-value').textContent()).toBe(pct(cx.csat.value));
    expect(await page.getByTestId('cx-ces').getByTestId('cx-value').textContent()).toBe(cx.ces.value!.toFixed(1));
    expect(await page.getByTestId('cx-cji').getAttribute('data-light')).toBe(cx.cji.light);
    expect(await page.getByTestId('cx-cji').getByTestId('cx-week').getAttribute('data-light')).toBe(daily.cx.week.cji.light);
    expect(await page.getByTestId('cx-averageServiceTime').getAttribute('data-light')).toBe(daily.averageServiceTime.light);
    expect(await page.getByTestId('cx-complaintRate').getAttribute('data-light')).toBe(cx.complaintRate.light);

    // "Waiting 4/10 and delivery 5/10 pull the index down." from the hub's `weakest`.
    expect(cx.weakest.length).toBeGreaterThan(0);
    const label = { appointment: 'Appointment', reception: 'Reception', advisor: 'Advisor', waiting: 'Waiting', repair: 'Repair', delivery: 'Delivery', followUp: 'Follow-up' } as const;
    const parts = cx.weakest.map((w) => `${label[w.touchpoint].toLowerCase()} ${Math.round(w.average * 10) / 10}/10`).join(' and ');
    expect(await page.getByTestId('weakest-day').textContent()).toBe(`The day: ${parts.charAt(0).toUpperCase()}${parts.slice(1)} pull the index down.`);
    expect(await page.getByTestId('weakest-week').textContent()).toMatch(/^The week: .+ pull the index down\.$/);
  });

  it('draws a month of trends, weekday and hour-of-day profiles, and the cuts of the history API', async () => {
    const from = '2026-10-24';
    const month = await api<HistoryResponse>(`/api/v1/workshops/sh-pudong/history?from=${from}&to=${YESTERDAY}`);
    const page = await open(`/reports/sh-pudong?lang=en&date=${YESTERDAY}#token=${TOKENS.lead}`);
    await page.getByTestId('chart-rates').waitFor();
    const withUtil = month.rows.filter((r) => r.figures.utilisation.value !== null).length;
    expect(withUtil).toBe(30);
    // Three lines (utilisation, first-time fix, satisfaction) over the days that have them.
    const ratesPoints = month.rows.reduce((a, r) => a + [r.figures.utilisation, r.figures.firstTimeFix, r.figures.csat].filter((f) => f.value !== null).length, 0);
    await expect.poll(() => page.getByTestId('chart-rates').getAttribute('data-points')).toBe(String(ratesPoints));
    for (const id of ['chart-rates', 'chart-completions', 'chart-wait', 'chart-dow-cars', 'chart-dow-wait', 'chart-hod-cars', 'chart-hod-wait']) {
      expect(Number(await page.getByTestId(id).getAttribute('data-points')), id).toBeGreaterThan(0);
      expect(await paintedPixels(page, id), `${id} painted`).toBeGreaterThan(2000);
    }
    // Month on month: the 30 days to the day against the 30 before (of which the log holds the last 12).
    const before = await api<HistoryResponse>(`/api/v1/workshops/sh-pudong/history?from=2026-09-24&to=2026-10-23`);
    const csatOf = (h: HistoryResponse) => historyFigures(h.rows.reduce((acc, r) => addSums(acc, r.sums), emptySums()), resolveThresholds(undefined)).csat;
    const mom = page.getByTestId('table-month-on-month').getByTestId('row-csat');
    for (const [col, h] of [[1, month], [2, before]] as const) {
      const csat = csatOf(h);
      expect(csat.value).not.toBeNull();
      expect(await mom.locator('td').nth(col).textContent()).toContain(pct(csat.value));
      expect(await mom.locator('td').nth(col).getAttribute('data-light')).toBe(csat.light);
    }
    expect(await mom.getByTestId('cell-change').textContent()).toMatch(/pts · (better|worse|same)$/);
    // Weekend vs weekday, as the article's first cut: more cars a day at the weekend.
    const daytype = page.getByTestId('table-daytype');
    const perDay = async (key: string) => Number(await daytype.getByTestId(`row-${key}`).locator('td').nth(1).textContent());
    expect(await perDay('weekend')).toBeGreaterThan(1.5 * (await perDay('weekday')));
    expect(await page.getByTestId('table-by-advisor').getByTestId('row-A1').getByTestId('cell-name').textContent()).toBe('Li Na');
    expect(await page.getByTestId('table-by-service').getByTestId('row-maintenance').count()).toBe(1);
    const customers = await api<HistoryResponse>(`/api/v1/workshops/sh-pudong/history?from=${from}&to=${YESTERDAY}&by=customer`);
    const keys = await page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="table-by-customer"] tbody tr')].map((r) => r.dataset.key)`);
    expect(keys.sort()).toEqual([...new Set(customers.rows.map((r) => r.key))].sort());
  });

  it('states beside each average what it divides by: calendar days, closed days included, everywhere on the page', async () => {
    const month = await api<HistoryResponse>(`/api/v1/workshops/sh-pudong/history?from=2026-10-24&to=${YESTERDAY}`);
    // The 30 days before hold 12 days of log and 18 empty ones: working days and calendar days part here.
    const before = await api<HistoryResponse>(`/api/v1/workshops/sh-pudong/history?from=2026-09-24&to=2026-10-23`);
    const perCalendarDay = (h: HistoryResponse) => Math.round((h.rows.reduce((a, r) => a + r.sums.checkedIn, 0) / 30) * 10) / 10;
    const page = await open(`/reports/sh-pudong?lang=en&date=${YESTERDAY}#token=${TOKENS.lead}`);
    const cars = page.getByTestId('table-month-on-month').getByTestId('row-cars');
    await cars.waitFor();
    const cells = await cars.locator('td').allTextContents();
    expect(cells[0]).toBe('Cars per calendar day (÷ 30, closed days included)');
    expect(Number(cells[1])).toBe(perCalendarDay(month));
    expect(Number(cells[2])).toBe(perCalendarDay(before));
    const daytype = page.getByTestId('table-daytype');
    expect(await daytype.locator('th[data-col="checkedIn"]').textContent()).toContain('Cars per calendar day');
    // The day-type cut adds up to the period's figure: weekday days × their rate + weekend days × theirs, over the 30.
    const rate = async (key: string) => Number(await daytype.getByTestId(`row-${key}`).locator('td').nth(1).textContent());
    const weekendDays = month.rows.filter((r) => isWeekend(r.label)).length;
    const combined = ((await rate('weekday')) * (30 - weekendDays) + (await rate('weekend')) * weekendDays) / 30;
    expect(Math.abs(combined - Number(cells[1]))).toBeLessThan(0.2);
    expect(await page.getByTestId('chart-dow-cars').textContent()).toContain('Cars per calendar day, by day of the week');
    expect(await page.getByTestId('chart-hod-cars').textContent()).toContain('per calendar day: ÷ 28');
    await page.getByTestId('table-month-on-month').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-per-day-en.png') });
    const zh = await open(`/reports/sh-pudong?lang=zh-CN&date=${YESTERDAY}#token=${TOKENS.lead}`, LAPTOP, 'zh-CN');
    const zhCars = zh.getByTestId('table-month-on-month').getByTestId('row-cars');
    await zhCars.waitFor();
    expect(await zhCars.locator('td').first().textContent()).toBe('自然日日均台次（÷ 30，含休息日）');
    await zh.getByTestId('table-month-on-month').scrollIntoViewIfNeeded();
    await zh.screenshot({ path: path.join(SCREENSHOTS, 'reports-per-day-zh.png') });
  });

  it('downloads a table as CSV (BOM, header, quoting) whose rows are the rows on screen', async () => {
    const daily = await api<DailyReport>(`/api/v1/workshops/sh-pudong/daily?date=${YESTERDAY}`);
    const page = await open(`/reports/sh-pudong?lang=en#token=${TOKENS.lead}`);
    const table = page.getByTestId('table-technicians');
    await table.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), table.getByTestId('csv').click()]);
    expect(download.suggestedFilename()).toBe(`pitwall_sh-pudong_${YESTERDAY}_technicians.csv`);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    // No field of this table holds a comma or a quote, so a plain split reads it (quoting is csv.test.ts's).
    const [header, ...rows] = text.slice(0, -2).split('\r\n').map((l) => l.split(','));
    expect(header!.slice(0, 4)).toEqual(['Rank', 'Technician', 'Team', 'Utilisation (%)']);
    const col = (name: string) => header!.indexOf(name);
    expect(col('Utilisation: light')).toBeGreaterThan(0);

    type Shown = { rank: string; name: string; team: string; light: string; utilRank: string; util: string; jobs: string };
    const shown = await page.evaluate<Shown[]>(`[...document.querySelectorAll('[data-testid="table-technicians"] tbody tr')].map((tr) => {
      const cell = (c) => tr.querySelector('td[data-col="' + c + '"]');
      return {
        rank: cell('rank').textContent.trim(),
        name: cell('name').textContent.trim(),
        team: cell('team').textContent.trim(),
        light: cell('utilisation').dataset.light,
        utilRank: cell('utilisation').dataset.rank ?? '',
        util: cell('utilisation').querySelector('.value').textContent.trim(),
        jobs: cell('jobs').textContent.trim(),
      };
    })`);
    expect(rows.length).toBe(shown.length);
    for (const [i, r] of rows.entries()) {
      const s = shown[i]!;
      expect(r[col('Rank')]).toBe(s.rank);
      expect(r[col('Technician')]).toBe(s.name);
      expect(r[col('Team')]).toBe(s.team);
      expect(r[col('Utilisation: light')]).toBe(s.light);
      expect(r[col('Utilisation: rank')]).toBe(s.utilRank);
      const tech = daily.technicians.find((t) => t.name === s.name)!;
      expect(s.util).toBe(pct(tech.utilisation.value));
      expect(r[col('Utilisation (%)')]).toBe(tech.utilisation.value === null ? '' : String(Math.round(tech.utilisation.value * 1000) / 10));
      expect(r[col('Jobs')]).toBe(s.jobs);
    }

    // Problems carry free text: quoted where it holds a comma.
    const [problems] = await Promise.all([page.waitForEvent('download'), page.getByTestId('table-problems').getByTestId('csv').click()]);
    const ptext = (await readFile(await problems.path())).toString('utf8');
    expect(ptext.split('\r\n')[0]).toBe('\uFEFFProblem,Job,Plate,Technician,State now,What happened');
    if (ptext.includes('still waiting')) expect(ptext).toMatch(/"waited \d+ min for parts, still waiting"/);
  });

  it('moves to another day with the picker and shows that day as the daily API does', async () => {
    const page = await open(`/reports/sh-pudong?lang=en#token=${TOKENS.lead}`);
    await page.getByTestId('table-technicians').waitFor();
    expect(await page.getByTestId('day-next').isDisabled()).toBe(false);
    await page.getByTestId('day-prev').click();
    await expect.poll(() => page.getByTestId('as-of').textContent()).toContain('2026-11-21');
    const daily = await api<DailyReport>('/api/v1/workshops/sh-pudong/daily?date=2026-11-21');
    for (const t of daily.technicians) {
      expect(await page.getByTestId('table-technicians').getByTestId(`row-${t.technicianId}`).getByTestId('cell-utilisation').getAttribute('data-light')).toBe(t.utilisation.light);
    }
    await page.getByTestId('day-picker').fill('2026-11-18');
    await page.getByTestId('day-picker').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('as-of').textContent()).toContain('2026-11-18');
    expect(new URL(page.url()).searchParams.get('date')).toBe('2026-11-18');
  });

  it('respects a workshop that wants NADA names, and refuses a token that does not open reports', async () => {
    const page = await open(`/reports/bj-chaoyang?lang=en#token=${TOKENS.regional}`);
    const heads = page.getByTestId('table-technicians').locator('thead');
    await heads.waitFor();
    expect(await heads.textContent()).toContain('Productivity');
    expect(await heads.textContent()).toContain('Efficiency');
    expect(await heads.textContent()).toContain('KPI article: Utilisation');

    const board = await open(`/reports/sh-pudong?lang=en#token=${TOKENS.board}`);
    await expect.poll(() => board.getByTestId('error').textContent()).toContain('lead or admin');
  });

  it('is a laptop page in English and Chinese (screenshots)', async () => {
    const page = await open(`/reports/sh-pudong?lang=en#token=${TOKENS.lead}`);
    await page.getByTestId('chart-hod-wait').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-en.png'), fullPage: true });
    expect(await overflowX(page)).toBe(0);
    await page.setViewportSize(SMALL_LAPTOP);
    await expect.poll(() => overflowX(page)).toBe(0);
    // What a 1366×768 laptop shows first: the day picker and the technicians' table whole.
    const box = await page.getByTestId('table-technicians').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(SMALL_LAPTOP.width);
    expect(await page.evaluate<number>(`(() => { const s = document.querySelector('[data-testid="table-technicians"] .scroll'); return s.scrollWidth - s.clientWidth; })()`), 'no sideways scrolling').toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-en-1366.png') });

    const zh = await open(`/reports/sh-pudong?lang=zh-CN#token=${TOKENS.lead}`, LAPTOP, 'zh-CN');
    await zh.getByTestId('chart-hod-wait').waitFor();
    const heads = (await zh.getByTestId('table-technicians').locator('thead').textContent()) ?? '';
    expect(heads).toContain('工时利用率');
    expect(heads).toContain('首次修复率');
    expect(await zh.getByTestId('weakest-day').textContent()).toMatch(/^当日：.+拉低了整体得分。$/);
    await zh.screenshot({ path: path.join(SCREENSHOTS, 'reports-zh.png'), fullPage: true });
    expect(await overflowX(zh)).toBe(0);
  });
});

describe('the region view', SLOW, () => {
  it('ranks the workshops a token opens by their lights, red first, with links to board and reports', async () => {
    const boards = await Promise.all(
      ['sh-pudong', 'bj-chaoyang'].map((id) => api<{ kpis: Record<string, { light: string }> }>(`/api/v1/workshops/${id}/board`, TOKENS.regional)),
    );
    const reds = boards.map((b) => Object.values(b.kpis).filter((k) => k.light === 'red').length);
    expect(reds[0], JSON.stringify(boards[0]!.kpis)).toBeGreaterThan(0);
    expect(reds[1], JSON.stringify(boards[1]!.kpis)).toBe(0);

    const page = await open(`/region?lang=en#token=${TOKENS.regional}`);
    const sites = page.locator('[data-testid^="site-"][data-worst]');
    await expect.poll(() => sites.count()).toBe(2);
    // Beijing sorts first by name; Shanghai has the red light, so it comes first.
    expect(await sites.nth(0).getAttribute('data-testid')).toBe('site-sh-pudong');
    expect(await sites.nth(0).getAttribute('data-worst')).toBe('red');
    expect(await sites.nth(0).getAttribute('data-reds')).toBe(String(reds[0]));
    expect(await sites.nth(1).getAttribute('data-testid')).toBe('site-bj-chaoyang');
    for (const [name, k] of Object.entries(boards[0]!.kpis)) {
      expect(await page.getByTestId('site-sh-pudong').getByTestId(`site-kpi-${name}`).getAttribute('data-light')).toBe(k.light);
    }
    // A board link carries no token (it is for a TV; the lead token stays on this laptop), the
    // reports link the region's token in its fragment only.
    expect(await page.getByTestId('site-sh-pudong').getByTestId('site-board').getAttribute('href')).toBe('/board/sh-pudong?lang=en');
    expect(await page.getByTestId('site-sh-pudong').getByTestId('site-reports').getAttribute('href')).toBe(`/reports/sh-pudong?lang=en#token=${TOKENS.regional}`);
    expect(await overflowX(page)).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'region-en.png'), fullPage: true });

    const zh = await open(`/region?lang=zh-CN#token=${TOKENS.regional}`, LAPTOP, 'zh-CN');
    await expect.poll(() => zh.getByTestId('site-sh-pudong').textContent()).toContain('个红灯');
    expect(await zh.getByTestId('site-sh-pudong').textContent()).toContain('工时利用率');
    await zh.screenshot({ path: path.join(SCREENSHOTS, 'region-zh.png'), fullPage: true });

    // The link opens that workshop's report with the same token.
    await page.getByTestId('site-bj-chaoyang').getByTestId('site-reports').click();
    await page.getByTestId('table-technicians').waitFor();
    expect(await page.getByTestId('workshop-name').textContent()).toBe('Beijing Chaoyang');
  });
});
