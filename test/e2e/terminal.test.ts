import path from 'node:path';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { TOKENS } from '../fixtures/config.js';
import { ev, L } from '../fixtures/workshop.js';
import { postAccepted, workshopApi } from '../helpers/e2e.js';
import { e2eSession } from '../helpers/e2e-session.js';
import { terminalMorning } from '../fixtures/terminal-morning.js';

/**
 * The bay terminal and the advisor desk in Debian's Chromium, against an in-process hub
 * serving the built client, with a TV board beside them. The hub's clock is pinned to 10:00
 * on the scripted Saturday, and so is the browsers' (a tap is dated by the tablet's clock;
 * the hub refuses times more than 5 minutes ahead of its own). Asserted as a person sees it:
 * words and figures on screen, and the hub's own API and event log.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const TABLET = { width: 1280, height: 800 };
const FHD = { width: 1920, height: 1080 };
const WS = 'sh-test';

const now = Date.parse(L('10:00'));

// The tablets' clocks agree with the hub's (a pinned clock would otherwise be days behind).
const e2e = e2eSession({ now, events: terminalMorning, actionTimeoutMs: 8000 });
const newContext = (viewport = TABLET) => e2e.context({ viewport, timezoneId: 'Europe/Berlin' });

async function openTerminal(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${e2e.url}/terminal/${WS}?${query}#token=${TOKENS.terminal}`);
  await page.getByTestId('conn').and(page.locator('[data-kind="live"]')).waitFor();
  return page;
}

async function openDesk(context: BrowserContext, query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${e2e.url}/desk/${WS}?${query}#token=${TOKENS.terminal}`);
  await page.getByTestId('check-in').waitFor();
  return page;
}

async function openBoard(): Promise<Page> {
  const page = await (await newContext(FHD)).newPage();
  await page.goto(`${e2e.url}/board/${WS}?token=${TOKENS.board}&lang=en`);
  await page.getByTestId('kpi-utilisation').waitFor();
  return page;
}

const { api, eventLog } = workshopApi(() => e2e.url, WS);

/**
 * Cuts one browser context off the hub, HTTP API and socket alike, while its pages stay
 * loadable (as a tablet with the app cached would): API requests fail as "internet
 * disconnected", open websockets are closed on both sides and new ones are shut at once.
 * `loseNextAnswer`: the next POST reaches the hub but its answer never comes back.
 */
async function networkSwitch(context: BrowserContext) {
  const state = { offline: false, loseNextAnswer: false };
  const open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  await context.route(/\/api\/v1\//, async (route) => {
    if (state.offline) return route.abort('internetdisconnected');
    if (state.loseNextAnswer && route.request().method() === 'POST') {
      state.loseNextAnswer = false;
      await route.fetch();
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await context.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (state.offline) return void ws.close();
    open.push({ page: ws, server: ws.connectToServer() });
  });
  return {
    async offline() {
      state.offline = true;
      for (const pair of open.splice(0)) {
        await pair.server.close().catch(() => {});
        await pair.page.close().catch(() => {});
      }
    },
    online() {
      state.offline = false;
    },
    loseNextAnswer() {
      state.loseNextAnswer = true;
    },
  };
}

/** The ids in the page's outbox, oldest first (what the tablet will send). */
async function outboxIds(page: Page): Promise<string[]> {
  // A string, as board.test.ts does: the test's tsconfig has no DOM types.
  const raw = await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(`pitwall:outbox:${WS}`)})`);
  const stored = JSON.parse(raw ?? '{"entries":[]}') as { entries: { status: string; event: PitwallEvent }[] };
  return stored.entries.filter((e) => e.status === 'pending').map((e) => e.event.id);
}

/** How many events the hub has judged `duplicate` so far (its /metrics). */
async function duplicatesJudged(): Promise<number> {
  const text = await (await fetch(`${e2e.url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(/^pitwall_events_total\{[^}]*result="duplicate"[^}]*\} (\d+(?:\.\d+)?)$/gm)) sum += Number(m[1]);
  return sum;
}

/** Within a second: the board must follow a tap while the technician still looks at it. */
const SOON = { timeout: 1000, interval: 25 };


describe('the bay terminal', () => {
  it('clocks in, starts a car at its bay, pauses, resumes and completes it, and the board follows each tap within a second', async () => {
    const board = await openBoard();
    const onShift = board.getByTestId('stat-technicians-on-shift');
    await expect.poll(() => onShift.textContent()).toMatch(/^1/);
    const b1 = board.getByTestId('bay-B1');

    const page = await openTerminal(await newContext(), 'bay=B1&lang=en');
    // The bay's name comes with the workshop's settings, which may land after "live".
    await expect.poll(() => page.getByTestId('tablet-bay').textContent()).toContain('Bay 1');
    // The token has left the address bar (its fragment too); the tablet keeps it.
    expect(page.url()).not.toContain(TOKENS.terminal);
    // The queue, most urgent first, with the hub's predicted start in Shanghai time (the browser is in Berlin).
    const j1 = page.getByTestId('queue-J1');
    await expect.poll(() => j1.getByTestId('queue-predicted').textContent()).toMatch(/Start ≈ \d\d:\d\d/);
    const predicted = (await api<{ jobs: { jobId: string; predictedStartAt: string | null }[] }>('/jobs?state=waiting')).jobs.find((j) => j.jobId === 'J1')!.predictedStartAt!;
    const shanghai = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(predicted));
    expect(await j1.getByTestId('queue-predicted').textContent()).toContain(shanghai);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-picker-en.png') });
    await page.getByTestId('pick-T1').click();
    expect(await page.getByTestId('me').textContent()).toBe('Zhang Wei');
    const size = await page.getByTestId('clock-in').boundingBox();
    expect(size!.height).toBeGreaterThanOrEqual(64);

    await page.getByTestId('clock-in').click();
    await expect.poll(() => onShift.textContent(), SOON).toMatch(/^2/);

    await j1.getByTestId('start-here').click();
    await expect.poll(() => b1.getAttribute('data-state'), SOON).toBe('in_progress');
    expect(await b1.getByTestId('bay-plate').textContent()).toBe('沪B67890');
    expect(await b1.getByTestId('bay-technician').textContent()).toBe('Zhang Wei');

    const mine = page.getByTestId('my-job-J1');
    await mine.getByTestId('pause').click();
    await mine.getByTestId('pause-parts').click();
    await expect.poll(() => b1.getAttribute('data-state'), SOON).toBe('paused');
    expect(await b1.getByTestId('bay-status').textContent()).toMatch(/waiting for parts/i);
    await expect.poll(() => mine.getAttribute('data-state')).toBe('paused');

    await mine.getByTestId('resume').click();
    await expect.poll(() => b1.getAttribute('data-state'), SOON).toBe('in_progress');

    const completed = Number.parseInt((await board.getByTestId('stat-today-completed').textContent()) ?? '', 10);
    await mine.getByTestId('complete').click();
    await mine.getByTestId('ftf-yes').click();
    await expect.poll(() => b1.getAttribute('data-state'), SOON).toBe('idle');
    await expect.poll(() => board.getByTestId('stat-today-completed').textContent(), SOON).toMatch(new RegExp(`^${completed + 1}`));

    // Delivered: nothing waits, the job has left his hands, and the board knows this tablet hangs at B1.
    await expect.poll(() => page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    expect(await page.getByTestId('outbox-count').textContent()).toContain('All sent');
    await expect.poll(() => page.getByTestId('my-job-J1').count()).toBe(0);
    const snapshot = await api<BoardSnapshot>('/board');
    expect(snapshot.terminals.filter((t) => t.bayId === 'B1' && !t.silent)).toHaveLength(1);
    const job = (await api<{ jobs: { jobId: string; state: string; firstTimeFix: boolean | null }[] }>('/jobs')).jobs.find((j) => j.jobId === 'J1');
    expect(job).toMatchObject({ state: 'completed', firstTimeFix: true });
  });

  it('keeps three taps through a network cut and a reload, then delivers each exactly once', async () => {
    const board = await openBoard();
    const context = await newContext();
    const net = await networkSwitch(context);
    const page = await openTerminal(context, 'bay=B3&lang=en');
    await page.getByTestId('pick-T3').click();

    await net.offline();
    await expect.poll(() => page.getByTestId('conn').getAttribute('data-kind')).toBe('offline');
    await page.getByTestId('clock-in').click();
    await page.getByTestId('queue-J3').getByTestId('start-here').click();
    const mine = page.getByTestId('my-job-J3');
    // The tap shows as what it is: pending, not confirmed.
    expect(await mine.getByTestId('job-pending').textContent()).toContain('waiting to be sent');
    await mine.getByTestId('pause').click();
    await mine.getByTestId('pause-approval').click();
    await expect.poll(() => page.getByTestId('outbox-count').textContent()).toContain('3 waiting to be sent');
    expect(await page.getByTestId('shift-pending').isVisible()).toBe(true);
    const ids = await outboxIds(page);
    expect(ids).toHaveLength(3);

    // A reload with no network: the queue, the names and the pending taps are still there.
    await page.reload();
    await expect.poll(() => page.getByTestId('outbox-count').textContent()).toContain('3 waiting to be sent');
    await expect.poll(() => page.getByTestId('conn').getAttribute('data-kind'), { timeout: 5000 }).toBe('offline');
    await expect.poll(() => page.getByTestId('outbox-error').textContent()).toContain('hub not reachable');
    expect(await page.getByTestId('lists-from').textContent()).toContain('Lists as of 10:00');
    expect(await page.getByTestId('me').textContent()).toBe('Li Qiang');
    expect(await page.getByTestId('my-job-J3').getAttribute('data-state')).toBe('paused');
    expect(await outboxIds(page)).toEqual(ids);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-offline-en.png') });
    // Nothing reached the hub meanwhile.
    expect((await api<BoardSnapshot>('/board')).bays.find((b) => b.bayId === 'B3')?.state).toBe('idle');

    // Back: the first answer is lost on the way (sent, applied, never heard of), so the
    // tablet sends the same batch again; the hub says "duplicate" and applies nothing twice.
    const duplicatesBefore = await duplicatesJudged();
    net.loseNextAnswer();
    net.online();
    const b3 = board.getByTestId('bay-B3');
    await expect.poll(() => b3.getAttribute('data-state'), { timeout: 20_000, interval: 100 }).toBe('paused');
    expect(await b3.getByTestId('bay-plate').textContent()).toBe('沪D24680');
    expect(await b3.getByTestId('bay-status').textContent()).toMatch(/waiting for approval/i);
    await expect.poll(() => page.getByTestId('outbox-count').getAttribute('data-count'), { timeout: 20_000, interval: 100 }).toBe('0');
    expect((await api<{ technicians: { technicianId: string; status: string }[] }>('/technicians')).technicians.find((t) => t.technicianId === 'T3')?.status).toBe('on_shift');

    const log = await eventLog();
    const mineInLog = log.filter((s) => ids.includes(s.event.id));
    expect(mineInLog.map((s) => s.event.type)).toEqual(['shift.clock_in', 'job.started', 'job.paused']);
    expect(mineInLog.map((s) => s.event.id)).toEqual(ids);
    // The lost answer was really lost: the second send was judged duplicate, all three.
    expect((await duplicatesJudged()) - duplicatesBefore).toBe(3);
    // Dated when tapped, not when they finally arrived.
    expect(mineInLog.every((s) => Date.parse(s.event.at) === now)).toBe(true);
    expect(await page.getByTestId('rejected').count()).toBe(0);
  });

  it('shows a rejected tap with the hub’s reason and field until dismissed', async () => {
    const page = await openTerminal(await newContext(), 'lang=en');
    await page.getByTestId('pick-T1').click();
    const j4 = page.getByTestId('queue-J4');
    await j4.getByTestId('start-pick').click();
    // B2 is held by J2: this tablet says so, but the hub is the judge.
    expect(await j4.getByTestId('start-bay-B2').textContent()).toContain('taken');
    await j4.getByTestId('start-bay-B2').click();

    const rejected = page.getByTestId('rejected');
    await expect.poll(() => rejected.isVisible()).toBe(true);
    expect(await rejected.textContent()).toContain('Not accepted by the hub');
    const item = rejected.locator('[data-role="rejected-item"]');
    expect(await item.count()).toBe(1);
    expect(await item.textContent()).toContain('Start · \u2068沪E13579\u2069 · \u2068Zhang Wei\u2069 · \u2068Bay 2\u2069');
    expect(await item.getByTestId('rejected-reason').textContent()).toMatch(/bay B2 is taken by job J2 \(沪A12345, in progress\)/);
    expect(await item.getByTestId('rejected-field').textContent()).toBe('Field: bayId');
    // Rejected is not "waiting": nothing is left to send, and the car is still in the queue.
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    expect(await j4.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-rejected-en.png') });

    // It survives a reload until someone has read it.
    await page.reload();
    await expect.poll(() => page.getByTestId('rejected').isVisible()).toBe(true);
    await page.getByTestId('rejected').getByTestId('dismiss').click();
    await expect.poll(() => page.getByTestId('rejected').count()).toBe(0);
  });

  it('shows "complete" rejected when another terminal completed the job while this one was offline', async () => {
    const context = await newContext();
    const net = await networkSwitch(context);
    // T2's J2 at B2, seen from a tablet that then loses its network.
    const page = await openTerminal(context, 'bay=B2&lang=zh-CN');
    await page.getByTestId('pick-T2').click();
    const j2 = page.getByTestId('my-job-J2');
    await j2.waitFor();
    await net.offline();
    await j2.getByTestId('complete').click();
    await j2.getByTestId('ftf-no').click();
    await expect.poll(() => page.getByTestId('outbox-count').textContent()).toContain('1 项待发送');

    // Meanwhile the lead's tablet completes it.
    await postAccepted(e2e.url, [ev('job.completed', L('10:00'), { jobId: 'J2', firstTimeFix: true })]);
    net.online();
    const item = page.getByTestId('rejected').locator('[data-role="rejected-item"]');
    await expect.poll(() => item.count(), { timeout: 20_000, interval: 100 }).toBe(1);
    expect(await page.getByTestId('rejected').textContent()).toContain('未被系统接受');
    expect(await item.textContent()).toContain('完工 · \u2068沪A12345\u2069');
    expect(await item.getByTestId('rejected-reason').textContent()).toMatch(/job J2: job is completed; job\.completed needs it to be in_progress/);
    // The hub's state shows, not the tap: the job has left his hands as completed by the other, first time fixed.
    await expect.poll(() => page.getByTestId('my-job-J2').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
    expect((await api<{ jobs: { jobId: string; firstTimeFix: boolean | null }[] }>('/jobs')).jobs.find((j) => j.jobId === 'J2')?.firstTimeFix).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'terminal-rejected-zh.png') });
  });
});

describe('the advisor desk', () => {
  it('checks a car in, delivers one, records a survey, and the board’s figures move', async () => {
    const board = await openBoard();
    const waiting = board.getByTestId('stat-jobs-waiting');
    const delivered = board.getByTestId('stat-today-delivered');
    const csat = board.getByTestId('kpi-csat').getByTestId('kpi-value');
    await waiting.waitFor();
    const before = await api<BoardSnapshot>('/board');
    expect(before.kpis.csat.value).toBeNull();
    expect(await csat.textContent()).toBe('—');

    const page = await openDesk(await newContext(), 'lang=en');
    await page.getByTestId('ci-plate').fill('沪K88888');
    await page.getByTestId('ci-service-repair').click();
    await page.getByTestId('ci-min-90').click();
    await page.getByTestId('ci-dropoff').click();
    await page.getByTestId('ci-promised').fill('16:30');
    await page.getByTestId('ci-comeback').selectOption('J0');
    await page.getByTestId('ci-advisor-A1').click();
    await page.getByTestId('ci-submit').click();
    await expect.poll(() => waiting.textContent(), SOON).toMatch(new RegExp(`^${before.jobs.waiting + 1}`));
    expect(await page.getByTestId('ci-done').textContent()).toContain('\u2068沪K88888\u2069 checked in');
    // The desk shows the car's customer QR code (customer-page.test.ts); closed to go on.
    await page.getByTestId('customer-qr').getByTestId('customer-qr-image').waitFor();
    await page.getByTestId('customer-qr-close').click();
    const jobs = (await api<{ jobs: { plate: string; service: string; standardMinutes: number; customerWaiting: boolean; promisedAt: string | null; comebackOf: string | null; advisorId: string | null }[] }>('/jobs')).jobs;
    expect(jobs.find((j) => j.plate === '沪K88888')).toMatchObject({
      service: 'repair',
      standardMinutes: 90,
      customerWaiting: false,
      // 16:30 on the workshop's clock, whatever the browser's zone.
      promisedAt: new Date(L('16:30')).toISOString(),
      comebackOf: 'J0',
      advisorId: 'A1',
    });

    // An empty plate never leaves the desk: the schema's own words, before the hub sees it.
    await page.getByTestId('ci-submit').click();
    expect(await page.getByTestId('ci-error').textContent()).toMatch(/Plate: must not be empty/);

    const deliverJ0 = page.getByTestId('deliver-J0');
    await deliverJ0.getByTestId('deliver-action').click();
    // Held for DELIVER_UNDO_MS (5 s) with an "Undo" first (terminal-taps.test.ts), then sent.
    await expect.poll(() => delivered.textContent(), { timeout: 20_000, interval: 100 }).toMatch(new RegExp(`^${before.jobs.deliveredToday + 1}`));
    await expect.poll(() => page.getByTestId('deliver-J0').count()).toBe(0);

    await page.getByTestId('sv-job-J0').click();
    await page.getByTestId('sv-score-5').click();
    await page.getByTestId('sv-more').click();
    await page.getByTestId('sv-nps-9').click();
    await page.getByTestId('sv-ces-2').click();
    await page.getByTestId('sv-tp-waiting').fill('8');
    await page.getByTestId('sv-comment').fill('Quick and friendly');
    await page.getByTestId('sv-submit').click();
    await expect.poll(() => csat.textContent(), SOON).toBe('100 %');
    const survey = (await eventLog()).find((s) => s.event.type === 'survey.submitted' && s.event.jobId === 'J0')?.event;
    expect(survey).toMatchObject({ score: 5, nps: 9, ces: 2, touchpoints: { waiting: 8 }, comment: 'Quick and friendly' });
    // One survey per car: J0 is no longer offered.
    await expect.poll(() => page.getByTestId('sv-job-J0').count()).toBe(0);
    await expect.poll(() => page.getByTestId('outbox-count').getAttribute('data-count')).toBe('0');
  });
});

describe('screenshots at tablet size', () => {
  for (const lang of ['en', 'zh-CN'] as const) {
    const suffix = lang === 'en' ? 'en' : 'zh';

    it(`the terminal in ${lang}`, async () => {
      // Li Qiang's car from the offline test, paused at B3 for the customer's approval.
      const page = await openTerminal(await newContext(), `bay=B3&lang=${lang}`);
      await page.getByTestId('pick-T3').click();
      await page.getByTestId('my-job-J3').waitFor();
      await page.getByTestId('queue-J4').waitFor();
      if (lang === 'zh-CN') expect(await page.getByTestId('my-jobs').textContent()).toContain('我的工单');
      const overflowX = await page.evaluate<number>('document.documentElement.scrollWidth - innerWidth');
      expect(overflowX).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, `terminal-${suffix}.png`) });
    });

    it(`the desk in ${lang}`, async () => {
      const page = await openDesk(await newContext(), `lang=${lang}`);
      await page.getByTestId('deliver').waitFor();
      await expect.poll(() => page.getByTestId('conn').getAttribute('data-kind')).toBe('live');
      if (lang === 'zh-CN') expect(await page.getByTestId('check-in').textContent()).toContain('接车登记');
      const overflowX = await page.evaluate<number>('document.documentElement.scrollWidth - innerWidth');
      expect(overflowX).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, `desk-${suffix}.png`) });
    });
  }
});
