import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** The client's pages (its router's history-mode routes): each answers with index.html. */
const PAGES = ['/', '/board{/*rest}', '/terminal{/*rest}', '/lead{/*rest}', '/desk{/*rest}', '/reports{/*rest}', '/region{/*rest}'];

/**
 * Serves the built Vue client (`client/dist`) when it exists. Vite fingerprints everything
 * under `assets/`, so those may be cached for good; index.html must always be revalidated or
 * a TV would keep running last week's client after an upgrade.
 *
 * Returns undefined when there is no build (tests, `npm run dev` with Vite serving the client).
 */
export function clientRoutes(clientDir: string): Router | undefined {
  const indexFile = path.join(clientDir, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const router = Router();
  router.use(
    express.static(clientDir, {
      index: false,
      setHeaders: (res, file) => {
        const immutable = path.relative(clientDir, file).startsWith(`assets${path.sep}`);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.get(PAGES, (_req, res, next) => {
    res.set('Cache-Control', 'no-cache').sendFile(indexFile, (err) => err && next(err));
  });
  return router;
}
