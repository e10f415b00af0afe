import { z } from 'zod';
import { appointmentReport, appointmentsQuery, appointmentsResponse, capacityView } from '../../../shared/appointments.js';
import { role } from '../../../shared/auth.js';
import { customerLinkResponse } from '../../../shared/customer-link.js';
import { customerJobView } from '../../../shared/customer-view.js';
import { dailyReport } from '../../../shared/daily.js';
import { eventResult, pitwallEvent, storedEvent } from '../../../shared/events.js';
import { movePreview, movePreviewRequest, staffingPlan, workshopForecast } from '../../../shared/forecast.js';
import { historyQuery, historyResponse } from '../../../shared/history.js';
import { jobState, jobView } from '../../../shared/jobs.js';
import { daySeries } from '../../../shared/series.js';
import { boardSnapshot } from '../../../shared/snapshot.js';
import { technicianView } from '../../../shared/technicians.js';
import { workshopResponse } from '../../../shared/workshop.js';

/**
 * Every HTTP operation of the hub, with the zod schemas already in shared/ that its query, body
 * and answer follow: the one list `/api/v1/openapi.json` is generated from (document.ts).
 * test/integration/openapi.test.ts holds it to the routes Express really has, both ways, and
 * checks the answers of a live hub against the schemas listed here.
 */

export type Method = 'get' | 'post';

export interface ApiOperation {
  method: Method;
  /** OpenAPI's form: `/api/v1/workshops/{ws}/board`. */
  path: string;
  summary: string;
  tag: 'workshops' | 'reports' | 'lead' | 'customers' | 'probes';
  /** `token`: a bearer token of a role that may do this (docs/security.md, "One permission table"). */
  auth: 'token' | 'none' | 'metrics';
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The 200 answer: JSON of this schema, or a text type. */
  response: z.ZodType | { text: string };
}

const ws = '/api/v1/workshops/{ws}';

export const healthResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  store: z.enum(['embedded', 'redis']),
  version: z.string(),
  error: z.string().optional(),
});

export const apiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const API_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/healthz', summary: "The hub and its store: 200 when the store takes writes, 503 when not", tag: 'probes', auth: 'none', response: healthResponse },
  { method: 'get', path: '/metrics', summary: "Prometheus metrics (the hub's own host, or PITWALL_METRICS_TOKEN as a bearer token)", tag: 'probes', auth: 'metrics', response: { text: 'text/plain; version=0.0.4' } },
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', tag: 'probes', auth: 'none', response: { text: 'application/json' } },
  {
    method: 'get',
    path: '/api/v1/workshops',
    summary: 'The workshops this token opens',
    tag: 'workshops',
    auth: 'token',
    response: z.object({ workshops: z.array(z.object({ id: z.string(), name: z.string(), timezone: z.string() })) }),
  },
  { method: 'get', path: ws, summary: "The workshop's configuration (names, thresholds) and the token's role", tag: 'workshops', auth: 'token', response: workshopResponse },
  {
    method: 'post',
    path: `${ws}/events`,
    summary: 'Post a batch of events (1-500); each is judged on its own: accepted, duplicate or rejected with the field and why',
    tag: 'workshops',
    auth: 'token',
    body: z.object({ events: z.array(pitwallEvent).min(1).max(500) }),
    response: z.object({ results: z.array(eventResult) }),
  },
  {
    method: 'get',
    path: `${ws}/events`,
    summary: "The workshop's event log, a page at a time (admin)",
    tag: 'workshops',
    auth: 'token',
    query: z.object({ after: z.string().optional().describe('the `next` cursor of the page before'), limit: z.string().regex(/^\d+$/).optional().describe('1-1000, default 100') }),
    response: z.object({ events: z.array(storedEvent), next: z.string().nullable() }),
  },
  { method: 'post', path: `${ws}/alerts/{metric}/ack`, summary: 'Acknowledge an active alert', tag: 'workshops', auth: 'token', response: z.object({ ok: z.literal(true) }) },
  { method: 'get', path: `${ws}/board`, summary: "The live board's snapshot (the socket's `snapshot` message, once)", tag: 'workshops', auth: 'token', response: boardSnapshot },
  { method: 'get', path: `${ws}/series`, summary: "Today's figures by quarter hour", tag: 'workshops', auth: 'token', response: daySeries },
  {
    method: 'get',
    path: `${ws}/jobs`,
    summary: "The workshop's jobs, optionally of some states",
    tag: 'workshops',
    auth: 'token',
    query: z.object({ state: z.string().optional().describe(`comma-separated: ${jobState.options.join(', ')}`) }),
    response: z.object({ jobs: z.array(jobView) }),
  },
  { method: 'get', path: `${ws}/technicians`, summary: 'Technicians on shift and their work', tag: 'workshops', auth: 'token', response: z.object({ technicians: z.array(technicianView) }) },
  {
    method: 'get',
    path: `${ws}/daily`,
    summary: "A local day's report (default yesterday)",
    tag: 'reports',
    auth: 'token',
    query: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }),
    response: dailyReport,
  },
  { method: 'get', path: `${ws}/history`, summary: 'Figures by hour, day, week or month over up to 400 days', tag: 'reports', auth: 'token', query: historyQuery, response: historyResponse },
  { method: 'get', path: `${ws}/forecast`, summary: "The lead's forecast: predicted waits with more staff, promises at risk", tag: 'lead', auth: 'token', response: workshopForecast },
  {
    method: 'get',
    path: `${ws}/staffing`,
    summary: 'The staffing plan for the next hours',
    tag: 'lead',
    auth: 'token',
    query: z.object({ hours: z.string().regex(/^\d{1,2}$/).optional().describe('1-24, default 4') }),
    response: staffingPlan,
  },
  { method: 'get', path: `${ws}/appointments`, summary: 'Appointments with slots in a range of days (at most 62), no-shows marked', tag: 'workshops', auth: 'token', query: appointmentsQuery, response: appointmentsResponse },
  { method: 'get', path: `${ws}/capacity`, summary: 'The next 14 days: booked and expected walk-in hours against the roster, per day and team', tag: 'lead', auth: 'token', response: capacityView },
  { method: 'get', path: `${ws}/appointments/report`, summary: 'Appointment share, no-show rate, weekday share of volume by week; weekend against weekday scores', tag: 'reports', auth: 'token', response: appointmentReport },
  {
    method: 'get',
    path: `${ws}/jobs/{jobId}/customer-link`,
    summary: "The customer's link of a car (the desk's QR code); 404 once it has expired",
    tag: 'workshops',
    auth: 'token',
    response: customerLinkResponse,
  },
  {
    method: 'get',
    path: '/api/v1/c/{capability}',
    summary: "The customer's page of one car, by its link (no token; 404 alike for unknown and expired links)",
    tag: 'customers',
    auth: 'none',
    response: customerJobView,
  },
  { method: 'post', path: `${ws}/forecast/preview`, summary: 'What moving technicians would do to the forecast (changes nothing)', tag: 'lead', auth: 'token', body: movePreviewRequest, response: movePreview },
];

/** The roles, for the document's security description. */
export const ROLES = role.options;
