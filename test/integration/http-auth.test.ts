import { PITWALL_VERSION } from '../../shared/version.js';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type EventStore } from '../../server/store/event-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The HTTP edge of docs/api.md: who may do what (401/403/404), malformed bodies (400/413),
 * the per-token rate limit (429), the probes, and that every refusal wears the same envelope.
 */

const WS = 'sh-test';
const EVENTS = `/api/v1/workshops/${WS}/events`;
const BOARD = `/api/v1/workshops/${WS}/board`;
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const clockIn = (technicianId = 'T1') => ev('shift.clock_in', L('08:00'), { technicianId });

const hubs: TestHub[] = [];
async function hub(opts: Parameters<typeof startTestHub>[0] = {}): Promise<TestHub> {
  const h = await startTestHub(opts);
  hubs.push(h);
  return h;
}
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

/** The contract's error envelope, with the code we expect. */
function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
  expect(Object.keys(res.body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
}

async function seq(h: TestHub): Promise<number> {
  return (await request(h.hub.app).get(BOARD).set(bearer(TOKENS.admin))).body.seq;
}

describe('authentication', () => {
  it.each([
    ['no token', {}],
    ['an unknown token', bearer('not-a-token-of-this-hub')],
    ['another scheme', { Authorization: `Basic ${TOKENS.terminal}` }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
  ])('answers 401 to %s, on reads and writes', async (_name, headers) => {
    const h = await hub();
    for (const res of [await request(h.hub.app).get(BOARD).set(headers), await request(h.hub.app).post(EVENTS).set(headers).send({ events: [clockIn()] })]) {
      expectError(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(await seq(h)).toBe(0);
  });

  it('takes ?token= for a board token and refuses it (401) for any other role', async () => {
    const h = await hub();
    const board = await request(h.hub.app).get(BOARD).query({ token: TOKENS.board });
    expect(board.status).toBe(200);
    expect(board.body).toMatchObject({ workshopId: WS, seq: 0 });

    for (const token of [TOKENS.terminal, TOKENS.lead, TOKENS.admin]) {
      expectError(await request(h.hub.app).get(BOARD).query({ token }), 401, 'unauthorized');
      expectError(await request(h.hub.app).post(EVENTS).query({ token }).send({ events: [clockIn()] }), 401, 'unauthorized');
    }
    // Twice in the query is not a token.
    expectError(await request(h.hub.app).get(`${BOARD}?token=${TOKENS.board}&token=${TOKENS.board}`), 401, 'unauthorized');
    expect(await seq(h)).toBe(0);
  });
});

describe('authorisation', () => {
  it('answers 403 for a workshop the token does not open, and 404 for one that does not exist', async () => {
    const h = await hub();
    expectError(await request(h.hub.app).get(BOARD).set(bearer(TOKENS.otherTerminal)), 403, 'forbidden');
    expectError(await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.otherTerminal)).send({ events: [clockIn()] }), 403, 'forbidden');
    expectError(await request(h.hub.app).get('/api/v1/workshops/bj-test/jobs').set(bearer(TOKENS.terminal)), 403, 'forbidden');

    expectError(await request(h.hub.app).get('/api/v1/workshops/nowhere/board').set(bearer(TOKENS.admin)), 404, 'not_found');
    expectError(await request(h.hub.app).post('/api/v1/workshops/nowhere/events').set(bearer(TOKENS.admin)).send({ events: [clockIn()] }), 404, 'not_found');
    expect(await seq(h)).toBe(0);
  });

  it('refuses (403) a board posting events, and applies nothing', async () => {
    const h = await hub();
    expectError(await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.board)).send({ events: [clockIn()] }), 403, 'forbidden');
    expect(await seq(h)).toBe(0);
  });

  it('refuses (403) a terminal posting staff.reassigned, the whole request, and lets a lead do it', async () => {
    const h = await hub();
    const batch = [clockIn(), ev('staff.reassigned', L('09:00'), { technicianId: 'T1', team: 'repair' })];
    const refused = await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: batch });
    expectError(refused, 403, 'forbidden');
    expect(refused.body.error.message).toContain('staff.reassigned');
    expect(await seq(h)).toBe(0);

    const ok = await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.lead)).send({ events: batch });
    expect(ok.status).toBe(200);
    expect(ok.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('lists only the workshops a token opens', async () => {
    const h = await hub();
    const mine = await request(h.hub.app).get('/api/v1/workshops').set(bearer(TOKENS.terminal));
    expect(mine.status).toBe(200);
    expect(mine.body.workshops.map((w: { id: string }) => w.id)).toEqual([WS]);
    const all = await request(h.hub.app).get('/api/v1/workshops').query({ token: TOKENS.board });
    expect(all.body.workshops.map((w: { id: string }) => w.id)).toEqual([WS, 'bj-test']);
    const config = await request(h.hub.app).get(`/api/v1/workshops/${WS}`).set(bearer(TOKENS.terminal));
    expect(config.body.workshop).toMatchObject({ id: WS, timezone: 'Asia/Shanghai', bays: expect.any(Array), technicians: expect.any(Array) });
    // The token's role comes with it: a page hides what the token may not do (shared/permissions.ts).
    expect(config.body.role).toBe('terminal');
    expect((await request(h.hub.app).get(`/api/v1/workshops/${WS}`).set(bearer(TOKENS.lead))).body.role).toBe('lead');
    expectError(await request(h.hub.app).get('/api/v1/workshops/bj-test').set(bearer(TOKENS.terminal)), 403, 'forbidden');
  });
});

describe('malformed requests', () => {
  const tooMany = () => Array.from({ length: 501 }, (_, i) => clockIn(`T${(i % 3) + 1}`));
  it.each([
    ['not JSON', (r: request.Test) => r.set('Content-Type', 'application/json').send('{"events": [ oops'), null as string | null],
    ['a JSON string', (r: request.Test) => r.set('Content-Type', 'application/json').send('"events"'), null],
    ['no JSON content type', (r: request.Test) => r.set('Content-Type', 'text/plain').send(JSON.stringify({ events: [clockIn()] })), null],
    ['no events array', (r: request.Test) => r.send({ event: [clockIn()] }), 'events'],
    ['events not an array', (r: request.Test) => r.send({ events: clockIn() }), 'events'],
    ['0 events', (r: request.Test) => r.send({ events: [] }), 'events'],
    ['501 events', (r: request.Test) => r.send({ events: tooMany() }), 'events'],
  ])('answers 400 to %s and applies nothing', async (_name, send, detailPath) => {
    const h = await hub();
    const res = await send(request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)));
    expectError(res, 400, 'bad_request');
    if (detailPath !== null && res.body.error.details) expect(res.body.error.details[0].path).toBe(detailPath);
    expect(await seq(h)).toBe(0);
  });

  it('answers 413 to a body over 1 MB, and still takes 500 events under it', async () => {
    const h = await hub();
    const big = { events: [{ ...clockIn(), comment: 'x'.repeat(1024 * 1024) }] };
    expectError(await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send(big), 413, 'payload_too_large');

    // 500 events near the limit's edge are fine (each is judged; most are duplicates of the first).
    const first = clockIn();
    const res = await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: Array.from({ length: 500 }, () => first) });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(500);
    expect(res.body.results[0].status).toBe('accepted');
    expect(res.body.results[499].status).toBe('duplicate');
  });

  it('answers 400 to a bad state filter, cursor or page size', async () => {
    const h = await hub();
    const lead = bearer(TOKENS.lead);
    const bad = [
      request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs`).query({ state: 'parked' }).set(lead),
      request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs?state=waiting&state=paused`).set(lead),
      request(h.hub.app).get(EVENTS).query({ after: '!!not-a-cursor' }).set(lead),
      request(h.hub.app).get(EVENTS).query({ after: Buffer.from('-1').toString('base64url') }).set(lead),
      request(h.hub.app).get(EVENTS).query({ limit: 0 }).set(lead),
      request(h.hub.app).get(EVENTS).query({ limit: 1001 }).set(lead),
      request(h.hub.app).get(EVENTS).query({ limit: 'ten' }).set(lead),
    ];
    for (const res of await Promise.all(bad)) expectError(res, 400, 'bad_request');
  });

  it('pages the log with `next` until it is null', async () => {
    const h = await hub();
    const batch = [clockIn('T1'), clockIn('T2'), clockIn('T3')];
    await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: batch }).expect(200);
    const first = await request(h.hub.app).get(EVENTS).query({ limit: 2 }).set(bearer(TOKENS.admin));
    expect(first.body.events.map((s: { seq: number }) => s.seq)).toEqual([1, 2]);
    expect(typeof first.body.next).toBe('string');
    const second = await request(h.hub.app).get(EVENTS).query({ limit: 2, after: first.body.next }).set(bearer(TOKENS.admin));
    expect(second.body.events.map((s: { event: { id: string } }) => s.event.id)).toEqual([batch[2]!.id]);
    expect(second.body.next).toBeNull();
  });
});

describe('rate limit', () => {
  it('answers 429 once a token exceeds its requests per minute, with standard headers, other tokens unaffected', async () => {
    const h = await hub({ rateLimitPerMinute: 5 });
    for (let i = 0; i < 5; i++) {
      const res = await request(h.hub.app).get(BOARD).set(bearer(TOKENS.terminal));
      expect(res.status).toBe(200);
      expect(res.headers.ratelimit).toMatch(new RegExp(`remaining=${4 - i}\\b`));
    }
    const limited = await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: [clockIn()] });
    expectError(limited, 429, 'too_many_requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-policy']).toMatch(/^5;w=60/);
    expect(await seq(h)).toBe(0);

    expect((await request(h.hub.app).get(BOARD).set(bearer(TOKENS.lead))).status).toBe(200);
    // Probes are not rate limited: a load balancer must always get an answer.
    for (let i = 0; i < 7; i++) expect((await request(h.hub.app).get('/healthz')).status).toBe(200);
  });
});

describe('probes and the rest', () => {
  it('/healthz says ok and which store', async () => {
    const h = await hub();
    const res = await request(h.hub.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', store: 'embedded', version: PITWALL_VERSION });
  });

  it('/healthz answers 503 when the store refuses, or does not answer in time', async () => {
    const refusing = await hub({ wrapStore: (s) => override(s, { ping: () => Promise.reject(new StoreUnavailableError('disk gone')) }) });
    const res = await request(refusing.hub.app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'unavailable', store: 'embedded', version: PITWALL_VERSION, error: 'disk gone' });

    const hanging = await hub({ wrapStore: (s) => override(s, { ping: () => new Promise<void>(() => {}) }) });
    const started = Date.now();
    const slow = await request(hanging.hub.app).get('/healthz');
    expect(slow.status).toBe(503);
    expect(slow.body.status).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 503 store_unavailable when the store cannot take an append, without its internals', async () => {
    const h = await hub({ wrapStore: (s) => override(s, { append: () => Promise.reject(new StoreUnavailableError('redis append failed: connect ECONNREFUSED 10.0.0.7:6379')) }) });
    const res = await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: [clockIn()] });
    expectError(res, 503, 'store_unavailable');
    expect(res.body.error.message).not.toContain('10.0.0.7');
  });

  it('/metrics shows the hub metrics, counting events by type and result', async () => {
    const h = await hub();
    const first = clockIn();
    await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: [first, first, { id: 'evt-nonsense', type: 'job.teleported', at: L('08:00') }] }).expect(200);
    const res = await request(h.hub.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of ['pitwall_events_total', 'pitwall_ingest_duration_seconds', 'pitwall_connected_sockets', 'pitwall_snapshots_sent_total', 'process_cpu_user_seconds_total']) {
      expect(res.text).toContain(`# TYPE ${name}`);
    }
    expect(res.text).toContain('pitwall_events_total{type="shift.clock_in",result="accepted"} 1');
    expect(res.text).toContain('pitwall_events_total{type="shift.clock_in",result="duplicate"} 1');
    expect(res.text).toContain('pitwall_events_total{type="unknown",result="rejected"} 1');
    expect(res.text).toContain('pitwall_ingest_duration_seconds_count 1');
  });

  it('answers unknown routes, API or not, with a JSON 404', async () => {
    const h = await hub();
    expectError(await request(h.hub.app).get('/api/v2/anything'), 404, 'not_found');
    expectError(await request(h.hub.app).get('/api/v1/workshops/sh-test/nope').set(bearer(TOKENS.admin)), 404, 'not_found');
    expectError(await request(h.hub.app).delete(EVENTS).set(bearer(TOKENS.admin)), 404, 'not_found');
    expectError(await request(h.hub.app).get('/no/such/page'), 404, 'not_found');
  });

  it('sends security headers with a CSP that lets the client reach its own host over websockets', async () => {
    const h = await hub();
    const res = await request(h.hub.app).get('/healthz').set('Host', 'pitwall.local:3000');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toMatch(/connect-src 'self' ws:\/\/pitwall\.local:3000 wss:\/\/pitwall\.local:3000/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

/** The same store with some methods replaced (a store that fails the way a real one can). */
function override(store: EventStore, methods: Partial<EventStore>): EventStore {
  return Object.assign(Object.create(store) as EventStore, methods);
}
