/*
 * Pitwall's service worker: the app shell for a tablet or TV that reloads while the hub or
 * the Wi-Fi is gone. It never touches live data (the API, the socket, probes): the terminal's
 * outbox and cached lists (localStorage) do that part. It only makes the page itself load.
 *
 * - Pages (navigations): network first, with a short timeout, falling back to the cached
 *   index.html (every page of the client is the same index.html). A new build therefore shows
 *   up on the first load that reaches the hub, with its new asset names.
 * - /assets/* (Vite fingerprints them, so a name never changes content): cache first, cached
 *   as fetched. At install (and whenever a new index.html arrives) the worker keeps index.html,
 *   the assets it names, and the lazily loaded chunks its entry script names (every view's:
 *   Vite lists them for preloading), so the terminal, desk, board and lead pages all load
 *   offline after one visit to any of them.
 * - Everything else, and /api/, /socket.io/, /healthz, /metrics above all: not intercepted.
 *
 * Plain JS, served as is from client/public (not bundled). Bump VERSION to drop every cache.
 */
const VERSION = 'v1';
const CACHE = `pitwall-shell-${VERSION}`;
const INDEX = '/index.html';
const NAVIGATION_TIMEOUT_MS = 3000;
/** Live data and probes: passed through to the network, never cached. */
const PASS_THROUGH = /^\/(api|socket\.io|healthz|metrics)(\/|$)/;

/** The /assets/… URLs an index.html references (scripts, module preloads, styles). */
const assetsOf = (html) => [...new Set(html.match(/\/assets\/[^"'\s)?#]+/g) ?? [])];

/**
 * The lazily loaded chunks (and their styles) an entry script names: Vite's preload list
 * ("assets/TerminalView-….js") and its dynamic imports ("./TerminalView-….js", same folder).
 */
const chunksOf = (js) => [
  ...new Set([
    ...[...js.matchAll(/["'`]\/?assets\/([\w.-]+\.(?:js|css|woff2?|svg|png|webp))["'`]/g)].map((m) => `/assets/${m[1]}`),
    ...[...js.matchAll(/import\(\s*["'`]\.\/([\w.-]+\.js)["'`]\s*\)/g)].map((m) => `/assets/${m[1]}`),
  ]),
];

/** One index.html kept at a time (two navigations may bring one each). */
let housekeeping = Promise.resolve();

self.addEventListener('install', (event) => {
  // A new worker takes over at once (activate + clients.claim) rather than after every tab closed.
  self.skipWaiting();
  event.waitUntil(
    (async () => {
      const res = await fetch(INDEX, { cache: 'no-cache' });
      if (!res.ok) throw new Error(`index.html: HTTP ${res.status}`);
      await storeIndex(await caches.open(CACHE), res);
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('pitwall-shell-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || PASS_THROUGH.test(url.pathname)) return;
  if (req.mode === 'navigate') event.respondWith(page(event));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(req));
});

/** Network first; the cached index.html when the hub does not answer within the timeout. */
async function page(event) {
  // A failure at once is tried again once: a keep-alive connection the hub had just closed
  // fails the first try, and the tablet would show the old build although the hub is there.
  const network = fetch(event.request)
    .catch(() => fetch(event.request))
    .then((res) => {
      if (res.ok && (res.headers.get('content-type') ?? '').startsWith('text/html')) {
        const copy = res.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => storeIndex(cache, copy)));
      }
      return res;
    });
  // When the timeout wins, a late failure of the network is nobody's error.
  network.catch(() => undefined);
  const cached = caches.match(INDEX, { cacheName: CACHE });
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, NAVIGATION_TIMEOUT_MS);
  });
  try {
    // Whatever the network says first (a 404 too), unless it is slower than the timeout.
    const first = await Promise.race([network, late]);
    if (first) return first;
    return (await cached) ?? (await network);
  } catch (err) {
    // No network at all (refused, reset, offline): the shell, or the browser's error page.
    const shell = await cached;
    if (shell) return shell;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Cache first; fetched and kept when missing (lazily loaded chunks included). */
async function asset(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.status === 200 && res.type === 'basic') await cache.put(req, res.clone()).catch(() => undefined);
  return res;
}

/**
 * Keeps `res` as the cached index.html, once the assets it names are cached (so the kept shell
 * is always whole), and, best effort, the view chunks its entry scripts name. When it differs
 * from the one kept (a new build), the assets it no longer names go.
 */
function storeIndex(cache, res) {
  const run = housekeeping.then(async () => {
    const html = await res.text();
    const before = await cache.match(INDEX);
    if (before && (await before.text()) === html) return;
    const shell = assetsOf(html);
    for (const u of shell) if (!(await cache.match(u))) await cache.add(u);
    const wanted = new Set(shell);
    for (const u of shell.filter((p) => p.endsWith('.js'))) {
      const entry = await cache.match(u);
      for (const chunk of chunksOf(await entry.text())) wanted.add(chunk);
    }
    for (const u of wanted) if (!(await cache.match(u))) await cache.add(u).catch(() => undefined);
    await cache.put(INDEX, new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8' } }));
    for (const key of await cache.keys()) {
      const { pathname } = new URL(key.url);
      if (pathname.startsWith('/assets/') && !wanted.has(pathname)) await cache.delete(key);
    }
  });
  // The next one must not inherit a failure (it is this caller's to handle).
  housekeeping = run.catch(() => undefined);
  return run;
}
