import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { HubMetrics } from '../../metrics.js';

/**
 * `GET /metrics`: the hub's registry in the Prometheus text format (docs/security.md,
 * "Metrics"). It names workshops, counts rejections by reason and shows the process's memory:
 * not for everyone who can reach the balancer. With PITWALL_METRICS_TOKEN set, a scraper sends
 * it as a bearer token (Prometheus: `authorization: { credentials: … }`); unset, only a
 * connection from the hub's own host is answered (a scraper or sidecar on the same host, or
 * `curl` on it). The connection's own address decides, never X-Forwarded-For: the shipped
 * nginx does not forward /metrics at all (deploy/nginx.conf).
 */
export function metricsRoutes(metrics: HubMetrics, token?: string): Router {
  const router = Router();
  const expected = token === undefined ? undefined : digest(token);
  router.get('/metrics', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const refusal = expected === undefined ? loopbackOnly(req) : bearerMismatch(req, expected);
    if (refusal) {
      res.status(refusal.status).json({ error: refusal.error });
      return;
    }
    const text = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).send(text);
  });
  return router;
}

type Refusal = { status: number; error: { code: string; message: string } };

function loopbackOnly(req: Request): Refusal | null {
  if (isLoopback(req.socket.remoteAddress ?? '')) return null;
  return { status: 403, error: { code: 'forbidden', message: '/metrics answers connections from the hub\'s own host only; set PITWALL_METRICS_TOKEN on the hub and send it as a bearer token to scrape from elsewhere' } };
}

function bearerMismatch(req: Request, expected: Buffer): Refusal | null {
  const header = req.get('authorization') ?? '';
  const sent = /^Bearer (.+)$/i.exec(header)?.[1];
  // Digests of equal length, so the comparison's time says nothing about the token.
  if (sent !== undefined && timingSafeEqual(digest(sent), expected)) return null;
  return { status: 401, error: { code: 'unauthorized', message: '/metrics wants the bearer token set in PITWALL_METRICS_TOKEN' } };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (a dual-stack listener reports ::ffff:127.0.0.1). */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}
