import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER_LINK_CLOSED, CUSTOMER_NAMESPACE, CUSTOMER_RATE_LIMITED, CUSTOMER_SOCKET_REFUSED, customerLinkResponse } from '../../shared/customer-link.js';
import { customerJobView, type CustomerJobView } from '../../shared/customer-view.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { connected, eventually, NOW, startTestHub, type TestHub, type TestHubOptions } from '../helpers/test-hub.js';

/**
 * The customer's link with a real hub and real sockets (docs/api.md, "The customer's page";
 * docs/security.md, "The customer's link"): who may get one, what it opens (one job's view,
 * nothing else, never after expiry), the socket that only receives, and the link in no log.
 */

const WS = 'sh-test';
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const HOUR = 3_600_000;

let now = NOW;
const hubs: TestHub[] = [];
const sockets: Socket[] = [];
async function hub(opts: TestHubOptions = {}): Promise<TestHub> {
  now = NOW;
  const h = await startTestHub({ clock: () => now, ...opts });
  hubs.push(h);
  await h.listen();
  // Two cars checked in at 17:30 and 17:40, on site; T1 on shift.
  const events = [
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('17:30'), { jobId: 'C1', plate: '沪A12345', service: 'maintenance', standardMinutes: 40, customerWaiting: true }),
    ev('job.checked_in', L('17:40'), { jobId: 'C2', plate: '沪B67890', service: 'repair', standardMinutes: 90, customerWaiting: true }),
  ];
  await post(h, events);
  return h;
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const h of hubs.splice(0)) await h.stop();
});

async function post(h: TestHub, events: unknown[]): Promise<void> {
  const res = await request(h.hub.app).post(`/api/v1/workshops/${WS}/events`).set(bearer(TOKENS.terminal)).send({ events });
  expect(res.status).toBe(200);
  expect((res.body as { results: { status: string }[] }).results.every((r) => r.status === 'accepted')).toBe(true);
}

async function linkOf(h: TestHub, jobId: string, token: string = TOKENS.terminal): Promise<string> {
  const res = await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs/${jobId}/customer-link`).set(bearer(token));
  expect(res.status).toBe(200);
  const body = customerLinkResponse.parse(res.body);
  expect(body.path).toBe(`/c/${body.capability}`);
  return body.capability;
}

const page = (h: TestHub, capability: string) => request(h.hub.app).get(`/api/v1/c/${capability}`);

function customerSocket(h: TestHub, capability: unknown): Socket {
  const s = connect(`${h.url}${CUSTOMER_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { capability } });
  sockets.push(s);
  return s;
}

/** Every message the socket receives, by name, in order. */
function received(s: Socket): { name: string; args: unknown[] }[] {
  const seen: { name: string; args: unknown[] }[] = [];
  s.onAny((name: string, ...args: unknown[]) => seen.push({ name, args }));
  return seen;
}

const refusal = (s: Socket) => new Promise<string>((resolve) => s.once('connect_error', (err) => resolve(err.message)));

describe('the customer link', () => {
  it('is handed to the roles that check cars in, opens that one car, and is at least 128 bits that no other job shares', async () => {
    const h = await hub();
    const c1 = await linkOf(h, 'C1');
    expect(await linkOf(h, 'C1', TOKENS.lead)).toBe(c1);
    const refused = await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs/C1/customer-link`).set(bearer(TOKENS.board));
    expect(refused.status).toBe(403);
    expect(await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs/NOPE/customer-link`).set(bearer(TOKENS.terminal)).then((r) => r.status)).toBe(404);
    // Another workshop's terminal may not have this workshop's links.
    expect(await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs/C1/customer-link`).set(bearer(TOKENS.otherTerminal)).then((r) => r.status)).toBe(403);

    const mac = c1.split('.')[2]!;
    expect(Buffer.from(mac, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const res = await page(h, c1);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = customerJobView.strict().parse(res.body);
    expect(view).toMatchObject({ plateMasked: '沪A····5', state: 'waiting', queuePosition: 0, customerWaiting: true, workshopName: 'Shanghai test' });
    // Nothing of another car, of staff surnames or of the plate in the answer.
    expect(res.text).not.toMatch(/12345|67890|C2|Zhang|沪B/);
  });

  it('cannot be bent to another job or workshop, nor read the board: every other answer is the same polite 404', async () => {
    const h = await hub();
    const c1 = await linkOf(h, 'C1');
    const [, , mac] = c1.split('.') as [string, string, string];
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const unknown = await page(h, `${b64(WS)}.${b64('C9')}.${'A'.repeat(22)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: 'not_found', message: 'this link is unknown or has expired' } });
    for (const forged of [`${b64(WS)}.${b64('C2')}.${mac}`, `${b64('bj-test')}.${b64('C1')}.${mac}`, `${b64('nowhere')}.${b64('C1')}.${mac}`, 'garbage', `${c1}x`]) {
      const res = await page(h, forged);
      expect({ forged, status: res.status, body: res.body as unknown }).toEqual({ forged, status: 404, body: unknown.body as unknown });
    }
    // The link is no token: the workshop's API stays shut to it, by header or query.
    expect((await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).set(bearer(c1))).status).toBe(401);
    expect((await request(h.hub.app).get(`/api/v1/workshops/${WS}/board?token=${c1}`)).status).toBe(401);
    expect((await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs`).set(bearer(c1))).status).toBe(401);
  });

  it('expires 24 h after delivery (or as configured after cancellation), then answers like an unknown link', async () => {
    const h = await hub();
    const c1 = await linkOf(h, 'C1');
    await post(h, [ev('job.started', L('17:45'), { jobId: 'C1', bayId: 'B1', technicianId: 'T1' }), ev('job.completed', L('17:50'), { jobId: 'C1', firstTimeFix: true }), ev('job.delivered', L('17:55'), { jobId: 'C1' })]);
    const delivered = Date.parse(L('17:55'));
    now = delivered + 24 * HOUR - 1;
    expect((await page(h, c1)).body).toMatchObject({ state: 'delivered' });
    now = delivered + 24 * HOUR;
    const expired = await page(h, c1);
    expect(expired.status).toBe(404);
    expect(expired.body).toEqual({ error: { code: 'not_found', message: 'this link is unknown or has expired' } });
    // The desk cannot hand out an expired link again either.
    expect((await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs/C1/customer-link`).set(bearer(TOKENS.terminal))).status).toBe(404);

    const short = await hub({ customers: { linkTtlMs: HOUR } });
    const c2 = await linkOf(short, 'C2');
    await post(short, [ev('job.cancelled', L('17:58'), { jobId: 'C2' })]);
    now = Date.parse(L('17:58')) + HOUR;
    expect((await page(short, c2)).status).toBe(404);
  });

  it('is rate-limited per client address, apart from the tokens’ budget, and never logged', async () => {
    const { logger, lines } = capturingLogger('debug');
    const h = await hub({ customers: { ratePerMinute: 3 }, logger });
    const c1 = await linkOf(h, 'C1');
    for (let i = 0; i < 3; i++) expect((await page(h, c1)).status).toBe(200);
    const limited = await page(h, c1);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The terminal's own budget is untouched by the customers'.
    expect((await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).set(bearer(TOKENS.terminal))).status).toBe(200);
    // Refused sockets too, and with the same words whatever the link.
    expect(await refusal(customerSocket(h, c1))).toBe(CUSTOMER_RATE_LIMITED);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(c1.split('.')[2]!);
  });
});

describe("the customer's socket", () => {
  it('receives its car’s view on joining and whenever it changes, and nothing else, ever', async () => {
    const h = await hub();
    const c1 = await linkOf(h, 'C1');
    const s = customerSocket(h, c1);
    const seen = received(s);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    await eventually(() => seen.length >= 1, 2000, 'the first view');
    expect(seen[0]).toMatchObject({ name: 'view', args: [{ state: 'waiting', queuePosition: 0 }] });

    // A board watching the same workshop: its snapshots and alerts must not reach the customer.
    const board = h.client(TOKENS.board);
    await connected(board);
    expect(await board.timeout(2000).emitWithAck('subscribe', WS)).toMatchObject({ ok: true });
    await post(h, [ev('job.started', L('17:59'), { jobId: 'C1', bayId: 'B1', technicianId: 'T1' })]);
    await eventually(() => seen.some((m) => (m.args[0] as CustomerJobView | undefined)?.state === 'in_progress'), 2000, 'the started view');
    // Another car's change sends nothing (C1's view did not change)… then C1's completion does.
    await post(h, [ev('job.checked_in', L('17:59'), { jobId: 'C3', plate: '沪C00001', service: 'repair', standardMinutes: 30, customerWaiting: false })]);
    await post(h, [ev('job.completed', L('18:00'), { jobId: 'C1', firstTimeFix: true })]);
    await eventually(() => seen.some((m) => (m.args[0] as CustomerJobView | undefined)?.state === 'ready'), 2000, 'the ready view');
    expect(seen.map((m) => m.name)).toEqual(['view', 'view', 'view']);
    for (const m of seen) expect(customerJobView.strict().parse(m.args[0]).plateMasked).toBe('沪A····5');
  });

  it('is refused every message, and a board’s socket cannot reach the customer namespace with its token', async () => {
    const h = await hub();
    const s = customerSocket(h, await linkOf(h, 'C1'));
    await new Promise<void>((resolve) => s.once('connect', resolve));
    for (const [name, payload] of [['subscribe', WS], ['events', { workshopId: WS, events: [] }], ['terminal:hello', { workshopId: WS, terminalId: 'tablet-0001' }], ['alert:ack', { workshopId: WS, metric: 'averageWait' }], ['view', {}]] as const) {
      const reply = (await s.timeout(2000).emitWithAck(name, payload)) as { ok: boolean; error: { code: string } };
      expect({ name, reply }).toMatchObject({ name, reply: { ok: false, error: { code: CUSTOMER_SOCKET_REFUSED } } });
    }
    // A token is no capability: the board's token opens no customer socket.
    const withToken = connect(`${h.url}${CUSTOMER_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: TOKENS.admin } });
    sockets.push(withToken);
    expect(await refusal(withToken)).toBe(CUSTOMER_LINK_CLOSED);
  });

  it('refuses unknown and expired links alike, and closes an open page when its link expires', async () => {
    const h = await hub({ customers: { heartbeatMs: 100 } });
    expect(await refusal(customerSocket(h, 'nope'))).toBe(CUSTOMER_LINK_CLOSED);
    const c1 = await linkOf(h, 'C1');
    const s = customerSocket(h, c1);
    const seen = received(s);
    await new Promise<void>((resolve) => s.once('connect', resolve));
    await post(h, [ev('job.cancelled', L('17:59'), { jobId: 'C1' })]);
    await eventually(() => seen.some((m) => (m.args[0] as CustomerJobView | undefined)?.state === 'cancelled'), 2000, 'the cancelled view');
    const gone = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    now = Date.parse(L('17:59')) + 24 * HOUR;
    await gone;
    expect(seen.at(-1)?.name).toBe('closed');
    expect(await refusal(customerSocket(h, c1))).toBe(CUSTOMER_LINK_CLOSED);
  });
});
