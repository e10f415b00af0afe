import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_OPERATIONS } from '../../server/http/openapi/operations.js';
import { PITWALL_VERSION } from '../../shared/version.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * `/api/v1/openapi.json` (server/http/openapi/) against the hub itself: every route Express
 * has is documented and every documented route exists (read off the app's router, both ways),
 * and a live hub's answers follow the schemas the document was generated from.
 */
let h: TestHub;
beforeAll(async () => {
  h = await startTestHub({ clientDir: '/nonexistent' });
  const post = (events: unknown[]) => request(h.hub.app).post('/api/v1/workshops/sh-test/events').set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events });
  await post([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('08:05'), { jobId: 'J1', plate: '沪A00001', service: 'repair', standardMinutes: 60, customerWaiting: true }),
    ev('job.started', L('08:10'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
  ]);
});
afterAll(() => h?.stop());

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Every route the app answers, as `get /api/v1/workshops/{ws}/board`, from Express's own router (Express 5: layers keep their raw path). */
function expressRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const paths = [layer.route.path].flat();
      return paths.flatMap((p) => Object.keys(layer.route!.methods).map((m) => `${m} ${(prefix + (p === '/' ? '' : p)).replace(/:(\w+)/g, '{$1}') || '/'}`));
    }
    if (layer.handle?.stack) return expressRoutes(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
    return [];
  });
}

const documented = API_OPERATIONS.map((op) => `${op.method} ${op.path}`).sort();

describe('the OpenAPI document', () => {
  it('documents every route the hub has, and has no route the hub does not', () => {
    const routes = expressRoutes((h.hub.expressApp as unknown as { router: { stack: Layer[] } }).router.stack).sort();
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toEqual(documented);
  });

  it('is served, valid in shape, and names the release', async () => {
    const res = await request(h.hub.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; info: { version: string }; paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(PITWALL_VERSION);
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ key: `${m} ${path}`, op })));
    expect(ops.map((o) => o.key).sort()).toEqual(documented);
    for (const { op } of ops) expect(op.responses['200']).toBeDefined();
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    // The event union made it in whole: every event type a terminal may post is in the body's schema.
    expect(JSON.stringify(doc.paths['/api/v1/workshops/{ws}/events']!.post)).toContain('job.checked_in');
  });

  it("matches a live hub's answers to the schemas it was generated from", async () => {
    const samples: Record<string, { path: string; token: string; body?: unknown }> = {
      'get /api/v1/workshops': { path: '/api/v1/workshops', token: TOKENS.admin },
      'get /api/v1/workshops/{ws}': { path: '/api/v1/workshops/sh-test', token: TOKENS.board },
      'get /api/v1/workshops/{ws}/board': { path: '/api/v1/workshops/sh-test/board', token: TOKENS.board },
      'get /api/v1/workshops/{ws}/series': { path: '/api/v1/workshops/sh-test/series', token: TOKENS.board },
      'get /api/v1/workshops/{ws}/jobs': { path: '/api/v1/workshops/sh-test/jobs?state=in_progress', token: TOKENS.terminal },
      'get /api/v1/workshops/{ws}/technicians': { path: '/api/v1/workshops/sh-test/technicians', token: TOKENS.terminal },
      'get /api/v1/workshops/{ws}/events': { path: '/api/v1/workshops/sh-test/events?limit=2', token: TOKENS.admin },
      'get /api/v1/workshops/{ws}/daily': { path: '/api/v1/workshops/sh-test/daily', token: TOKENS.admin },
      'get /api/v1/workshops/{ws}/history': { path: `/api/v1/workshops/sh-test/history?from=${L('08:00').slice(0, 10)}&to=${L('08:00').slice(0, 10)}`, token: TOKENS.admin },
      'get /api/v1/workshops/{ws}/forecast': { path: '/api/v1/workshops/sh-test/forecast', token: TOKENS.lead },
      'get /api/v1/workshops/{ws}/staffing': { path: '/api/v1/workshops/sh-test/staffing?hours=2', token: TOKENS.lead },
      'post /api/v1/workshops/{ws}/forecast/preview': { path: '/api/v1/workshops/sh-test/forecast/preview', token: TOKENS.lead, body: { technicianId: 'T1', bayId: 'B2' } },
      'post /api/v1/workshops/{ws}/events': { path: '/api/v1/workshops/sh-test/events', token: TOKENS.terminal, body: { events: [ev('shift.clock_in', L('08:30'), { technicianId: 'T2' })] } },
      'get /healthz': { path: '/healthz', token: '' },
      'get /api/v1/workshops/{ws}/appointments': { path: `/api/v1/workshops/sh-test/appointments?from=${L('08:00').slice(0, 10)}&to=${L('08:00').slice(0, 10)}`, token: TOKENS.terminal },
      'get /api/v1/workshops/{ws}/capacity': { path: '/api/v1/workshops/sh-test/capacity', token: TOKENS.lead },
      'get /api/v1/workshops/{ws}/appointments/report': { path: '/api/v1/workshops/sh-test/appointments/report', token: TOKENS.lead },
      'get /api/v1/workshops/{ws}/jobs/{jobId}/customer-link': { path: '/api/v1/workshops/sh-test/jobs/J1/customer-link', token: TOKENS.terminal },
    };
    const link = await request(h.hub.app).get('/api/v1/workshops/sh-test/jobs/J1/customer-link').set('Authorization', `Bearer ${TOKENS.terminal}`);
    samples['get /api/v1/c/{capability}'] = { path: (link.body as { path: string }).path.replace(/^\/c\//, '/api/v1/c/'), token: '' };
    for (const op of API_OPERATIONS) {
      const key = `${op.method} ${op.path}`;
      const sample = samples[key];
      if (!sample || 'text' in op.response) continue;
      const req = op.method === 'get' ? request(h.hub.app).get(sample.path) : request(h.hub.app).post(sample.path).send(sample.body as object);
      const res = await (sample.token ? req.set('Authorization', `Bearer ${sample.token}`) : req);
      expect(res.status, `${key}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
      const parsed = (op.response as z.ZodType).safeParse(res.body);
      expect(parsed.success, `${key}: ${parsed.error?.message.slice(0, 500)}`).toBe(true);
    }
    // Every JSON operation but the alert acknowledgement (it needs a live alert: test/integration/alerts) was checked.
    const checked = API_OPERATIONS.filter((op) => !('text' in op.response) && samples[`${op.method} ${op.path}`]);
    expect(checked.length).toBe(API_OPERATIONS.filter((op) => !('text' in op.response)).length - 1);
  });
});
