import { existsSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { notFound } from './errors.js';

/** The client's pages (its router's history-mode routes): each answers with index.html. */
const PAGES = ['/', '/board{/*rest}', '/terminal{/*rest}', '/lead{/*rest}', '/desk{/*rest}', '/reports{/*rest}', '/region{/*rest}', '/c{/*rest}'];

/**
 * Serves the built Vue client (`client/dist`) when it exists. Vite fingerprints everything
 * under `assets/`, so those may be cached for good; index.html must always be revalidated or
 * a TV would keep running last week's client after an upgrade. The same goes for `sw.js`, the
 * service worker that keeps the app shell for offline reloads (client/src/sw.ts, built by
 * vite-plugin-pwa with the build's file list in it: a new build is a new sw.js, which the
 * browser only notices if it revalidates it), and for `manifest.webmanifest` and the icons.
 *
 * Returns undefined when there is no build (tests, `npm run dev` with Vite serving the client).
 */
export function clientRoutes(clientDir: string): Router | undefined {
  const indexFile = path.join(clientDir, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const router = Router();
  // Source maps give the client's whole source away: the build writes none (client/vite.config.ts),
  // and one copied in by hand is not served either (docs/security.md, "Headers").
  router.use((req, res, next) => (req.path.endsWith('.map') ? notFound(req, res, next) : next()));
  // Vite writes a brotli and a gzip copy beside every text asset (client/vite.config.ts): served
  // when the browser takes them, with Vary: Accept-Encoding, so a 1 MB chunk crosses a slow shop
  // Wi-Fi as ~300 kB. The headers are the uncompressed file's.
  router.use(
    expressStaticGzip(clientDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        setHeaders: (res, file) => {
          const relative = path.relative(clientDir, file).replace(/\.(br|gz)$/, '');
          const immutable = relative.startsWith(`assets${path.sep}`);
          res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
          // The offline shell's service worker (client/src/sw.ts, built to sw.js) controls every page from `/`;
          // no-cache (above) so the browser notices a new one on the next load.
          if (relative === 'sw.js') res.setHeader('Service-Worker-Allowed', '/');
        },
      },
    }),
  );
  router.get(PAGES, (_req, res, next) => {
    res.set('Cache-Control', 'no-cache').sendFile(indexFile, (err) => err && next(err));
  });
  return router;
}
