import { Router } from 'express';
import type { HubMetrics } from '../../metrics.js';

/** `GET /metrics`: the hub's registry in the Prometheus text format, unauthenticated like /healthz (scrapers rarely carry tokens). */
export function metricsRoutes(metrics: HubMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return router;
}
