import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '../fixtures/config.js';
import { e2eSession } from '../helpers/e2e-session.js';

/**
 * What a new user meets first (issue 12, item 5), in Debian's Chromium against an in-process
 * hub serving the built client: a board link copied without its token says that it has none
 * (not "not valid"), and every page has a favicon, so a page load logs no 404 to the console.
 */
const SCREENSHOTS = process.env.PITWALL_SCREENSHOT_DIR ?? '/tmp';
const FHD = { width: 1920, height: 1080 };
/** "Answered at all", not a speed: the CI machine is slow and shared. */
const WITHIN = { timeout: 20_000, interval: 100 };

const e2e = e2eSession();

async function newPage(): Promise<Page> {
  return (await e2e.context({ viewport: FHD })).newPage();
}

/** Every console error and failed request of the page, from now on. */
function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()} (${m.location().url})`));
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  return errors;
}

describe('a board link without its token', () => {
  it.each([
    ['en', 'This link has no token'],
    ['zh-CN', '此链接没有令牌'],
  ])('says so in %s, not that the token is not valid', async (lang, words) => {
    const page = await newPage();
    await page.goto(`${e2e.url}/board/sh-test?lang=${lang}`);
    const notice = page.getByTestId('no-token');
    await notice.waitFor(WITHIN);
    expect(await notice.textContent()).toContain(words);
    expect(await notice.textContent()).toContain('#token=');
    expect(await page.getByTestId('conn').textContent()).toContain(words);
    await page.screenshot({ path: path.join(SCREENSHOTS, `pitwall-board-no-token-${lang}.png`) });
  });

  it('still says "not valid" for a token the hub refuses', async () => {
    const page = await newPage();
    await page.goto(`${e2e.url}/board/sh-test?lang=en#token=not-a-token`);
    await page.getByTestId('unauthorized').waitFor(WITHIN);
    expect(await page.getByTestId('no-token').count()).toBe(0);
  });
});

describe('the favicon', () => {
  it('answers /favicon.ico and every icon the page links with 200 and an image', async () => {
    const ico = await fetch(`${e2e.url}/favicon.ico`);
    expect(ico.status).toBe(200);
    expect(ico.headers.get('content-type')).toMatch(/^image\//);
    const page = await newPage();
    await page.goto(`${e2e.url}/board/sh-test?lang=en#token=${TOKENS.board}`);
    const hrefs = await page.evaluate<string[]>(`[...document.querySelectorAll('link[rel~="icon"]')].map((l) => l.href)`);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      const res = await fetch(href);
      expect(res.status, href).toBe(200);
      expect(res.headers.get('content-type'), href).toMatch(/^image\//);
    }
  });

  it.each([
    ['board', `/board/sh-test?lang=en#token=${TOKENS.board}`],
    ['terminal', `/terminal/sh-test?bay=B1&lang=en#token=${TOKENS.terminal}`],
    ['lead console', `/lead/sh-test?lang=en#token=${TOKENS.lead}`],
  ])('leaves the %s page load without a console error or a failed request', async (_name, url) => {
    const page = await newPage();
    const errors = recordErrors(page);
    await page.goto(`${e2e.url}${url}`);
    await expect.poll(() => page.getByTestId('conn').getAttribute('data-kind'), WITHIN).toBe('live');
    expect(errors).toEqual([]);
  });
});
