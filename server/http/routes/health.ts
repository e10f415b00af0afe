import { Router } from 'express';
import { PITWALL_VERSION } from '../../../shared/version.js';
import type { EventStore } from '../../store/event-store.js';

/** A probe that hangs is a failed probe: answer 503 rather than keep the load balancer waiting. */
const PING_TIMEOUT_MS = 1500;

/**
 * `GET /healthz`: 200 when the store takes writes, 503 when it does not (docs/api.md), and
 * which store it is, so an operator can tell at a glance whether REDIS_URL took effect, and
 * the release (CHANGELOG.md), so a rolling update can be watched hub by hub.
 */
export function healthRoutes(store: EventStore): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await withTimeout(store.ping(), PING_TIMEOUT_MS);
      res.json({ status: 'ok', store: store.kind, version: PITWALL_VERSION });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', store: store.kind, version: PITWALL_VERSION, error: err instanceof Error ? err.message : String(err) });
    }
  });
  return router;
}

export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
