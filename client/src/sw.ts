/// <reference lib="webworker" />
/*
 * Pitwall's service worker: the app shell for a tablet or TV that reloads while the hub or the
 * Wi-Fi is gone. Built by vite-plugin-pwa (Workbox `injectManifest`, client/vite.config.ts):
 * the build writes the exact list of its files into `self.__WB_MANIFEST`, so no guessing chunk
 * names from Vite's output. It never touches live data (the API, the socket, probes): the
 * terminal's outbox and cached lists (localStorage) do that part. It only makes pages load.
 *
 * - The build (index.html, every asset and every view's chunk, the icons, the manifest) is
 *   precached at install: the terminal, desk, board and lead pages all load offline after one
 *   visit to any of them. Fingerprinted assets are served from that cache.
 * - Pages (navigations): network first, with a short timeout, falling back to the precached
 *   index.html (every page of the client is the same index.html). A new build therefore shows
 *   up on the first load that reaches the hub; its new worker (its manifest changed, so its
 *   bytes did) precaches it and drops what the old build had.
 * - Everything else, and /api/, /socket.io/, /healthz, /metrics above all: not intercepted
 *   (no route matches them, so the browser goes to the network as if there were no worker).
 */
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare let self: ServiceWorkerGlobalScope;

const INDEX = '/index.html';
/** A hub slower than this to answer a page is treated as gone: the cached shell loads instead. */
const NAVIGATION_TIMEOUT_MS = 3000;
/** Live data and probes: never answered by the worker, whatever they look like. */
const PASS_THROUGH = /^\/(api|socket\.io|healthz|metrics)(\/|$)/;

// A new worker takes over at once (rather than after every tab of a kiosk closed, which is never):
// the page reloads to the new build at a quiet moment (client/src/lib/update-watch.ts).
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      // The hand-written worker this one replaced (same /sw.js) kept its shell in `pitwall-shell-v1`.
      for (const name of await caches.keys()) if (name.startsWith('pitwall-shell-')) await caches.delete(name);
      await self.clients.claim();
    })(),
  ),
);

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(({ request, event }) => page(request, event as FetchEvent), { denylist: [PASS_THROUGH] }));

/** Network first; the precached index.html when the hub does not answer within the timeout. */
async function page(request: Request, event: FetchEvent): Promise<Response> {
  // A failure at once is tried again once: a keep-alive connection the hub had just closed
  // fails the first try, and the tablet would show the old build although the hub is there.
  const network = fetch(request).catch(() => fetch(request));
  // When the timeout wins, a late failure of the network is nobody's error.
  network.catch(() => undefined);
  event.waitUntil(network.then(() => undefined, () => undefined));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), NAVIGATION_TIMEOUT_MS);
  });
  try {
    // Whatever the network says first (a 404 too), unless it is slower than the timeout.
    const first = await Promise.race([network, late]);
    if (first) return first;
    return (await matchPrecache(INDEX)) ?? (await network);
  } catch (err) {
    // No network at all (refused, reset, offline): the shell, or the browser's error page.
    const shell = await matchPrecache(INDEX);
    if (shell) return shell;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
