import express, { Router, type Request } from 'express';
import { jobState, type JobState } from '../../../shared/jobs.js';
import { publicWorkshop, type WorkshopResponse } from '../../../shared/workshop.js';
import { postEvents } from '../../edges/post-events.js';
import { workshopRefusal } from '../../edges/workshop-access.js';
import { fail } from '../../errors.js';
import { mayOpen } from '../../workshops/principal.js';
import type { WorkshopService } from '../../workshops/workshop-service.js';
import { principalOf, tokenOf } from '../auth.js';
import { eventsBodyParser } from '../events-body.js';
import type { TokenRateLimit } from '../rate-limit.js';
import type { CustomerDoor } from '../../customers/customer-door.js';
import { customerLinkRoute } from '../../customers/customer-routes.js';
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export interface WorkshopRoutesDeps {
  service: WorkshopService;
  clock: () => number;
  /** Mounted in front of these routes (1 point a request); the events post takes the rest of its cost here. */
  rateLimit: TokenRateLimit;
  /** Makes the desk's customer links (server/customers/customer-routes.ts). */
  customers: CustomerDoor;
}

/**
 * `/api/v1/workshops/…`, mounted behind requireToken and the rate limiter. The routes only
 * translate HTTP to WorkshopService calls: authorisation and judging live in the service, so
 * the socket door behaves the same.
 */
export function workshopRoutes(deps: WorkshopRoutesDeps): Router {
  const { service } = deps;
  const router = Router();

  /**
   * Unknown workshop (404) and workshop not in the token (403) before the body is even read
   * (docs/api.md, the order of checks): a 2 MB post to a workshop you cannot open is a 403,
   * not a 413. The service checks again; this only makes the order visible over HTTP.
   */
  router.param('ws', (_req, res, next, ws: string) => next(workshopRefusal(service, principalOf(res), ws)));

  /** The workshops this token opens, for a client that lets its user pick one. */
  router.get('/', (_req, res) => {
    const principal = principalOf(res);
    const workshops = service.workshopIds
      .filter((id) => mayOpen(principal, id))
      .flatMap((id) => {
        const ws = service.config(id);
        return ws ? [{ id: ws.id, name: ws.name, timezone: ws.timezone }] : [];
      });
    res.json({ workshops });
  });

  /**
   * The workshop's configuration (names of bays, technicians, advisors; thresholds): what a board
   * needs to label the snapshot's ids; and the token's role, so a page hides what it may not do.
   */
  router.get('/:ws', (req, res) => {
    // router.param answered 404 for an unknown workshop: the config is there.
    const body: WorkshopResponse = { workshop: publicWorkshop(service.config(param(req, 'ws'))!), role: principalOf(res).role };
    res.json(body);
  });

  writeRoutes(router, deps);
  customerLinkRoute(router, { service, door: deps.customers, clock: deps.clock });
  readRoutes(router, deps);
  return router;
}

/** The requests that change something: events, alert acknowledgements. */
function writeRoutes(router: Router, { service, clock, rateLimit }: WorkshopRoutesDeps): void {
  router.post('/:ws/events', eventsBodyParser, async (req, res) => {
    const post = {
      workshopId: param(req, 'ws'),
      principal: principalOf(res),
      body: req.body as unknown,
      terminalId: req.get('x-pitwall-terminal'),
      payRest: (body: unknown) => rateLimit.chargeEvents(res, tokenOf(res) ?? '', body),
    };
    res.json({ results: await postEvents(service, post, clock) });
  });

  router.post('/:ws/alerts/:metric/ack', (req, res) => {
    service.acknowledgeAlert(param(req, 'ws'), principalOf(res), param(req, 'metric'), clock());
    res.json({ ok: true });
  });
}

/** Everything a board, terminal, lead console or report reads; the move preview changes nothing either. */
function readRoutes(router: Router, { service, clock }: WorkshopRoutesDeps): void {
  router.get('/:ws/board', async (req, res) => {
    const snapshot = await service.snapshot(param(req, 'ws'), principalOf(res), clock());
    res.set('Cache-Control', 'no-store').json(snapshot);
  });

  router.get('/:ws/series', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await service.series(param(req, 'ws'), principalOf(res), clock()));
  });

  router.get('/:ws/daily', async (req, res) => {
    const date = typeof req.query.date === 'string' ? req.query.date : undefined;
    res.set('Cache-Control', 'no-store').json(await service.daily(param(req, 'ws'), principalOf(res), date, clock()));
  });

  router.get('/:ws/history', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await service.history(param(req, 'ws'), principalOf(res), { ...req.query }, clock()));
  });

  router.post('/:ws/forecast/preview', express.json({ limit: '16kb' }), async (req, res) => {
    res.json(await service.previewMove(param(req, 'ws'), principalOf(res), req.body, clock()));
  });

  router.get('/:ws/staffing', async (req, res) => {
    const raw = req.query.hours;
    const hours = raw === undefined ? 4 : typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
    if (!(hours >= 1 && hours <= 24)) throw fail.badRequest('invalid hours', [{ path: 'hours', message: 'must be an integer from 1 to 24' }]);
    res.set('Cache-Control', 'no-store').json(await service.staffing(param(req, 'ws'), principalOf(res), clock(), hours));
  });

  router.get('/:ws/forecast', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await service.forecast(param(req, 'ws'), principalOf(res), clock()));
  });

  // Issue 15: appointments. The report path comes first: "report" is not a query of days.
  router.get('/:ws/appointments/report', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await service.appointmentReport(param(req, 'ws'), principalOf(res), clock()));
  });
  router.get('/:ws/appointments', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await service.appointments(param(req, 'ws'), principalOf(res), { ...req.query }, clock()));
  });
  router.get('/:ws/capacity', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await service.capacity(param(req, 'ws'), principalOf(res), clock()));
  });

  router.get('/:ws/technicians', async (req, res) => {
    res.set('Cache-Control', 'no-store').json({ technicians: await service.technicians(param(req, 'ws'), principalOf(res), clock()) });
  });

  router.get('/:ws/jobs', async (req, res) => {
    const jobs = await service.jobs(param(req, 'ws'), principalOf(res), clock(), stateFilter(req.query.state));
    res.set('Cache-Control', 'no-store').json({ jobs });
  });

  router.get('/:ws/events', async (req, res) => {
    const afterSeq = decodeCursor(req.query.after);
    const limit = pageLimit(req.query.limit);
    const page = await service.eventLog(param(req, 'ws'), principalOf(res), afterSeq, limit);
    res.json({ events: page.events, next: page.more ? encodeCursor(page.lastSeq) : null });
  });
}

function param(req: Request, name: string): string {
  const v = req.params[name];
  // Express only matches the route when the segment is there; a missing one is a routing bug.
  if (typeof v !== 'string') throw new Error(`route parameter ${name} missing`);
  return v;
}

function stateFilter(raw: unknown): JobState | undefined {
  if (raw === undefined) return undefined;
  const r = jobState.safeParse(raw);
  if (!r.success) throw fail.badRequest('invalid state filter', [{ path: 'state', message: r.error.issues[0]?.message ?? 'invalid' }]);
  return r.data;
}

/**
 * Cursors are opaque to callers (base64url of the last seq they saw) so the paging scheme can
 * change, e.g. to Redis stream ids, without breaking anyone who only passes `next` back.
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(String(seq), 'utf8').toString('base64url');
}

function decodeCursor(raw: unknown): number {
  if (raw === undefined) return 0;
  const bad = () => fail.badRequest('invalid cursor', [{ path: 'after', message: 'must be a `next` value from an earlier page' }]);
  if (typeof raw !== 'string') throw bad();
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  // Node's base64 decoder skips characters it does not know; the round trip catches them.
  if (!/^(0|[1-9]\d{0,15})$/.test(text) || encodeCursor(Number(text)) !== raw) throw bad();
  const seq = Number(text);
  if (!Number.isSafeInteger(seq)) throw bad();
  return seq;
}

function pageLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_PAGE;
  const n = typeof raw === 'string' && /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= MAX_PAGE)) throw fail.badRequest('invalid limit', [{ path: 'limit', message: `must be an integer from 1 to ${MAX_PAGE}` }]);
  return n;
}
