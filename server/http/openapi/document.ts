import { z } from 'zod';
import { PITWALL_VERSION } from '../../../shared/version.js';
import { API_OPERATIONS, apiError, ROLES, type ApiOperation } from './operations.js';

/**
 * The OpenAPI 3.1 document of the hub, generated from the operations list (operations.ts) and
 * the zod schemas in shared/ with zod's own JSON Schema output (draft 2020-12, which OpenAPI 3.1
 * takes as it is): nothing about a shape is written twice, so the document cannot drift from
 * what the hub checks and answers. Built once; served at `/api/v1/openapi.json`.
 */

type JsonSchema = Record<string, unknown>;

/** A schema as JSON Schema; what JSON cannot express (a transform, a date) is left open rather than failing. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

function parameters(op: ApiOperation): unknown[] {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const inPath = names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!op.query) return inPath;
  const query = jsonSchema(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: (query.required ?? []).includes(name),
    schema,
    ...(typeof schema.description === 'string' && { description: schema.description }),
  }));
  return [...inPath, ...inQuery];
}

const ERROR_RESPONSES = {
  '400': 'a malformed request: the body names the field and why',
  '401': 'no token, or one the hub does not know',
  '403': "the token's role may not do this, or the workshop is not in the token",
  '404': 'no such workshop or route',
  '429': "the token's budget for this minute is spent (Retry-After)",
  '503': 'the event store is unavailable; nothing was changed',
};

function operation(op: ApiOperation): unknown {
  const ok =
    'text' in op.response
      ? { description: 'OK', content: { [op.response.text.split(';')[0]!]: { schema: { type: 'string' } } } }
      : { description: 'OK', content: { 'application/json': { schema: jsonSchema(op.response as z.ZodType, 'output') } } };
  const errors = Object.fromEntries(
    Object.entries(ERROR_RESPONSES)
      .filter(([status]) => op.auth === 'token' || status === '503' || (op.auth === 'metrics' && (status === '401' || status === '403')))
      .map(([status, description]) => [status, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
  );
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9_]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(op.auth === 'none' ? { security: [] } : op.auth === 'metrics' ? { security: [{}, { metricsToken: [] }] } : {}),
    parameters: parameters(op),
    ...(op.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }),
    responses: { '200': ok, ...errors },
  };
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pitwall hub',
      version: PITWALL_VERSION,
      description:
        'The HTTP API of a Pitwall hub (docs/api.md). Every /api/v1/workshops route wants a bearer token; what a token may do depends on its role ' +
        `(${ROLES.join(', ')}). Live boards use Socket.IO on the same port (docs/api.md, "Socket.IO").`,
    },
    servers: [{ url: '/' }],
    security: [{ bearerToken: [] }],
    tags: [
      { name: 'workshops', description: 'Boards, terminals and desks: events in, snapshots and lists out' },
      { name: 'reports', description: 'Daily reports and history' },
      { name: 'lead', description: "The shift lead's forecast and staffing" },
      { name: 'customers', description: "A customer's page of their car, opened by its link" },
      { name: 'probes', description: 'Health, metrics and this document' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: "A terminal, board, lead or admin token from the hub's config" },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'PITWALL_METRICS_TOKEN' },
      },
      schemas: { Error: jsonSchema(apiError, 'output') },
    },
  };
}
