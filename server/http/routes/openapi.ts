import { Router } from 'express';
import { openApiDocument } from '../openapi/document.js';

/**
 * `GET /api/v1/openapi.json`: the OpenAPI 3.1 document (server/http/openapi/), generated once
 * at start from the zod schemas. Open like /healthz: it describes the API, it opens nothing.
 */
export function openApiRoutes(): Router {
  const router = Router();
  const body = JSON.stringify(openApiDocument());
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/json').send(body);
  });
  return router;
}
