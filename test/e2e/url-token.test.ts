import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '../fixtures/config.js';
import { e2eSession } from '../helpers/e2e-session.js';

/**
 * Write-capable tokens stay out of URLs (docs/security.md, "Tokens and URLs"), in Debian's
 * Chromium against an in-process hub serving the built client. A page opened with the token in
 * its fragment never puts it in a request URL (the hub, a proxy and its access log never see
 * it); one opened from an old `?token=` bookmark ends with no token in its address bar and
 * still works after a reload; board links from reports and region carry no lead or admin token.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const VIEWPORT = { width: 1280, height: 800 };
/** "Answered at all", not a speed: the CI machine is slow and shared. */
const WITHIN = { timeout: 20_000, interval: 100 };

const e2e = e2eSession();

async function newPage(context?: BrowserContext): Promise<Page> {
  return (context ?? (await e2e.context({ viewport: VIEWPORT }))).newPage();
}

/** Every URL the page asks for (HTTP and WebSocket), from now on. */
function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('websocket', (ws) => urls.push(ws.url()));
  return urls;
}

interface PageCase {
  name: string;
  /** Path and query without the token; the other parameters must survive. */
  path: string;
  token: string;
  kept: Record<string, string>;
  /** Resolves once the page has shown data only its token could fetch. */
  working(page: Page): Promise<void>;
}

const live = (page: Page) => expect.poll(() => page.getByTestId('conn').getAttribute('data-kind'), WITHIN).toBe('live');

const PAGES: PageCase[] = [
  { name: 'lead console', path: '/lead/sh-test?lang=en', token: TOKENS.lead, kept: { lang: 'en' }, working: live },
  { name: 'bay terminal', path: '/terminal/sh-test?bay=B1&lang=en', token: TOKENS.terminal, kept: { bay: 'B1', lang: 'en' }, working: live },
  { name: 'advisor desk', path: '/desk/sh-test?lang=en', token: TOKENS.terminal, kept: { lang: 'en' }, working: live },
  {
    name: 'reports',
    path: '/reports/sh-test?lang=en&date=2026-11-20',
    token: TOKENS.lead,
    kept: { lang: 'en', date: '2026-11-20' },
    // The workshop's name comes from the hub (the id is shown until then).
    working: (page) => expect.poll(() => page.getByTestId('workshop-name').textContent(), WITHIN).toBe('Shanghai test'),
  },
  {
    name: 'region',
    path: '/region?lang=en',
    token: TOKENS.admin,
    kept: { lang: 'en' },
    working: (page) => expect.poll(() => page.locator('[data-testid="site-sh-test"][data-worst]').count(), WITHIN).toBe(1),
  },
];

const withQueryToken = (p: string, token: string) => `${p}${p.includes('?') ? '&' : '?'}token=${token}`;

describe('a page opened from an old ?token= bookmark', () => {
  it.each(PAGES)('$name: the token leaves the address bar at once, other parameters stay, and a reload still works', async (c) => {
    const page = await newPage();
    const urls = recordUrls(page);
    const first = `${e2e.url}${withQueryToken(c.path, c.token)}`;
    await page.goto(first);
    await c.working(page);
    const url = new URL(page.url());
    expect(page.url()).not.toContain(c.token);
    expect(url.hash).toBe('');
    for (const [k, v] of Object.entries(c.kept)) expect(url.searchParams.get(k), k).toBe(v);

    await page.reload();
    await c.working(page);
    expect(page.url()).not.toContain(c.token);
    // Only the bookmark's own request carried it; nothing the page asked for since.
    expect(urls.filter((u) => u.includes(c.token))).toEqual([first]);
  });
});

describe('a page opened with #token=', () => {
  it.each(PAGES)('$name: the token is in no request URL, and leaves the address bar', async (c) => {
    const page = await newPage();
    const urls = recordUrls(page);
    await page.goto(`${e2e.url}${c.path}#token=${c.token}`);
    await c.working(page);
    expect(page.url()).not.toContain(c.token);
    await page.reload();
    await c.working(page);
    expect(urls.length).toBeGreaterThan(2);
    expect(urls.filter((u) => u.includes(c.token))).toEqual([]);
  });

  it('board: the TV takes a fragment token too, and keeps its URL (a read-only token, its bookmark)', async () => {
    const page = await newPage();
    const urls = recordUrls(page);
    await page.goto(`${e2e.url}/board/sh-test?lang=en#token=${TOKENS.board}`);
    await live(page);
    expect(new URL(page.url()).hash).toBe(`#token=${TOKENS.board}`);
    expect(urls.filter((u) => u.includes(TOKENS.board))).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'board-fragment-token-en.png') });
  });
});

describe('links to the board from reports and region', () => {
  it('carry no lead or admin token; the board runs with the board token this device keeps, or says it has none', async () => {
    const reports = await newPage();
    await reports.goto(`${e2e.url}/reports/sh-test?lang=en#token=${TOKENS.lead}`);
    await expect.poll(() => reports.getByTestId('workshop-name').textContent(), WITHIN).toBe('Shanghai test');
    expect(await reports.getByTestId('to-board').getAttribute('href')).toBe('/board/sh-test?lang=en');
    // Region needs the same kind of token: it rides in the fragment, never the query.
    expect(await reports.getByTestId('to-region').getAttribute('href')).toBe(`/region?lang=en#token=${TOKENS.lead}`);
    await reports.screenshot({ path: path.join(SCREENSHOTS, 'reports-links-en.png') });

    // This laptop has no board token: the board says so rather than borrowing the lead's.
    await reports.getByTestId('to-board').click();
    await expect.poll(() => reports.getByTestId('no-token').textContent(), WITHIN).toContain('This link has no token');
    expect(reports.url()).not.toContain(TOKENS.lead);

    // A device that was given a board token once: the same tokenless link opens the live board.
    const region = await newPage();
    await region.goto(`${e2e.url}/board/sh-test?lang=en#token=${TOKENS.board}`);
    await live(region);
    await region.goto(`${e2e.url}/region?lang=en#token=${TOKENS.admin}`);
    const site = region.getByTestId('site-sh-test');
    await expect.poll(() => site.getAttribute('data-worst'), WITHIN).not.toBeNull();
    const boardLink = (await site.getByTestId('site-board').getAttribute('href')) ?? '';
    expect(boardLink).toBe('/board/sh-test?lang=en');
    expect(await site.getByTestId('site-reports').getAttribute('href')).toBe(`/reports/sh-test?lang=en#token=${TOKENS.admin}`);
    await region.screenshot({ path: path.join(SCREENSHOTS, 'region-links-en.png') });
    const urls = recordUrls(region);
    await site.getByTestId('site-board').click();
    await live(region);
    expect(urls.filter((u) => u.includes(TOKENS.admin) || u.includes(TOKENS.board))).toEqual([]);
  });
});
