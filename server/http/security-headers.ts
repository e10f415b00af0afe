import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Helmet's headers, two ways. HSTS only on connections the hub itself encrypted
 * (PITWALL_TLS_CERT/KEY): over plain http it means nothing, and behind a TLS terminator it is
 * the terminator's to send (docs/security.md, "TLS").
 *
 * Pages get the full policy, whose CSP names the host the page was loaded from (a TV browser's
 * websocket needs it), so it is computed per request.
 *
 * API answers are JSON nobody renders: their CSP forbids everything, which makes every header
 * the same for every request. Helmet computes them once at start-up and each answer copies
 * them: a small event post paid more for thirteen chained middlewares than for its event.
 */
/**
 * Half a year, without includeSubDomains (the hub's name may sit under a chain's domain whose
 * other hosts are not ours to pin) and without preload. A shop that goes back to plain http
 * must keep the certificate until its devices forget (docs/operations.md, upgrade path).
 */
export const HSTS = 'max-age=15552000';

export function securityHeaders(): RequestHandler {
  const page = helmet({
    contentSecurityPolicy: {
      directives: {
        // 'self' covers same-origin ws:/wss: only in recent browsers; TV browsers lag, so
        // name the page's own host for websockets explicitly.
        connectSrc: ["'self'", sameHostWebSockets('ws'), sameHostWebSockets('wss')],
        imgSrc: ["'self'", 'data:'],
        // Boards are often reached over plain http on the shop LAN: upgrading their
        // requests to https would break every asset.
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: false,
  });
  return (req, res, next) => {
    if ((req.socket as TLSSocket).encrypted) res.setHeader('Strict-Transport-Security', HSTS);
    if (req.url.startsWith('/api/')) {
      setApiSecurityHeaders(res);
      next();
    } else {
      page(req, res, next);
    }
  };
}

/** The headers of every API answer, the Express routes' and the events fast path's (http/events-fast-path.ts). */
export function setApiSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of API_HEADERS) res.setHeader(name, value);
}

const API_HEADERS: readonly (readonly [string, string])[] = fixedHeaders(
  helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }, strictTransportSecurity: false }),
);

/** Runs a middleware that only sets headers once, against a recorder, and returns what it set. */
function fixedHeaders(middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let failure: unknown;
  middleware({ headers: {}, url: '/api/' } as IncomingMessage, recorder as unknown as ServerResponse, (err) => (failure = err));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  return [...headers];
}

/**
 * `ws://<host the page was loaded from>`. The Host header is the caller's own, so it only
 * shapes the caller's own policy; still, anything that is not a plain host[:port] is left out
 * rather than pasted into a header.
 */
function sameHostWebSockets(scheme: 'ws' | 'wss'): (req: IncomingMessage) => string {
  return (req) => {
    const host = req.headers.host;
    return host !== undefined && /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `${scheme}://${host}` : "'self'";
  };
}
