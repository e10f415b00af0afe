import { PITWALL_VERSION } from '../../../../shared/version.js';
import { quietReload, type QuietReload } from './quiet-reload.js';

/**
 * The offline shell's registration (client/src/sw.ts, built by vite-plugin-pwa) and how a TV or
 * tablet that never reloads by itself picks up a new build: every UPDATE_CHECK_MS it asks the
 * browser to look for a new worker and asks the hub's /healthz for its version; either news
 * reloads the page at a quiet moment (quiet-reload.ts). The /healthz check also covers pages
 * on plain http, where there is no worker at all.
 */

/** How often a page looks for a new build: soon enough after an upgrade, negligible traffic. */
export const UPDATE_CHECK_MS = 10 * 60_000;
/** One reload per version seen: a hub behind a balancer mid-upgrade must not make a reload loop. */
const RELOADED_FOR = 'pitwall:reloaded-for-version';

export function startServiceWorker(win: Window): void {
  const nav = win.navigator;
  const reloads = quietReload(win);
  let registration: Promise<ServiceWorkerRegistration | undefined> = Promise.resolve(undefined);
  if ('serviceWorker' in nav && win.isSecureContext) {
    // A worker that takes over from another one brings a new build; the very first install
    // takes over a page that already runs the build it precached: nothing to reload then.
    let hadWorker = nav.serviceWorker.controller !== null;
    nav.serviceWorker.addEventListener('controllerchange', () => {
      if (hadWorker) reloads.request();
      hadWorker = true;
    });
    registration = nav.serviceWorker.register('/sw.js', { scope: '/' }).then(
      (reg) => {
        // An active worker already (this page may not be controlled by it: a hard reload).
        if (reg.active) hadWorker = true;
        // register() of the worker already installed checks nothing, and the browser's own check
        // after a navigation may come late or not at all: a page loaded after an upgrade asks at once.
        void reg.update().catch(() => undefined);
        return reg;
      },
      (err: unknown) => {
        console.warn('Pitwall: the offline shell (service worker) is not available', err);
        return undefined;
      },
    );
  }
  setInterval(() => void checkForUpdate(win, registration, reloads), UPDATE_CHECK_MS);
}

async function checkForUpdate(win: Window, registration: Promise<ServiceWorkerRegistration | undefined>, reloads: QuietReload): Promise<void> {
  // A new sw.js (every build has one: its precache list changes) installs, takes over and fires
  // `controllerchange` above.
  await (await registration)?.update().catch(() => undefined);
  try {
    const res = await win.fetch('/healthz', { cache: 'no-store' });
    const { version } = (await res.json()) as { version?: unknown };
    if (typeof version !== 'string' || version === PITWALL_VERSION) return;
    if (win.sessionStorage.getItem(RELOADED_FOR) === version) return;
    win.sessionStorage.setItem(RELOADED_FOR, version);
    reloads.request();
  } catch {
    // The hub is not reachable: nothing new to load from it anyway.
  }
}
