import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { launchBrowser } from './browser.js';
import { CLIENT_DIR, postAccepted } from './e2e.js';
import { startTestHub, type TestHub, type TestHubOptions } from './test-hub.js';

export interface E2eSessionOptions {
  /** Pins the hub's clock and every context's to this time (a tap is dated by the tablet's clock; the hub refuses times ahead of its own). */
  now?: number;
  /** Posted (and expected accepted) once the hub listens. */
  events?: () => PitwallEvent[];
  /** Playwright's wait for an element, so a missing button fails in seconds with its name; default Playwright's own. */
  actionTimeoutMs?: number;
  hub?: Omit<TestHubOptions, 'clientDir' | 'clock'>;
}

export interface ContextOptions {
  viewport: { width: number; height: number };
  /** Default en-GB. */
  locale?: string;
  timezoneId?: string;
  /** Kept for the whole file (closed after it) instead of closed after the test. */
  keep?: boolean;
}

/**
 * Debian's Chromium and an in-process hub serving the built client, for one e2e file: call it at
 * the file's top level. Both start before the file's tests and close after them; a browser
 * context from `context()` is closed after its test (or the file, with `keep`).
 */
export function e2eSession(opts: E2eSessionOptions = {}) {
  let browser: Browser | undefined;
  let hub: TestHub | undefined;
  const perTest: BrowserContext[] = [];
  const perFile: BrowserContext[] = [];
  const { now } = opts;

  beforeAll(async () => {
    [browser, hub] = await Promise.all([launchBrowser(), startTestHub({ ...opts.hub, clientDir: CLIENT_DIR, ...(now !== undefined && { clock: () => now }) })]);
    await hub.listen();
    if (opts.events) await postAccepted(hub.url, opts.events());
  });
  afterEach(async () => {
    await Promise.all(perTest.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await Promise.all(perFile.splice(0).map((c) => c.close()));
    await browser?.close();
    await hub?.stop().catch(() => {});
  });

  return {
    get browser(): Browser {
      return browser!;
    },
    get hub(): TestHub {
      return hub!;
    },
    get url(): string {
      return hub!.url;
    },
    async context(o: ContextOptions): Promise<BrowserContext> {
      const context = await browser!.newContext({ viewport: o.viewport, locale: o.locale ?? 'en-GB', ...(o.timezoneId !== undefined && { timezoneId: o.timezoneId }) });
      (o.keep ? perFile : perTest).push(context);
      if (now !== undefined) await context.clock.setFixedTime(now);
      if (opts.actionTimeoutMs !== undefined) context.setDefaultTimeout(opts.actionTimeoutMs);
      return context;
    },
  };
}
