import type { RequestListener } from 'node:http';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ApiError, EventsAck, TerminalHelloAck } from '../../shared/socket.js';
import { budgetRedis } from '../../server/limits/budget-redis.js';
import { UNLOGGED_TAKE_SCRIPT } from '../../server/limits/token-budget.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { connected, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/**
 * One budget per token, counted in events, on every door (docs/security.md, "One budget per
 * token, on every door"): HTTP (the fast path and Express), socket `events`, `terminal:hello`
 * and `subscribe` take from it; a request that does not fit is refused whole with 429 and
 * Retry-After, or the ack `rate_limited` with `retryAfterSeconds`; hubs on one Redis share it.
 */

const WS = 'sh-test';
const EVENTS = `/api/v1/workshops/${WS}/events`;
const BOARD = `/api/v1/workshops/${WS}/board`;

const hubs: TestHub[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hub(opts: Parameters<typeof startTestHub>[0] = {}): Promise<TestHub> {
  const h = await startTestHub(opts);
  hubs.push(h);
  return h;
}

let batchNo = 0;
/** `n` well-formed events with fresh ids (one clock-in accepted, the rest judged and rejected: every one counts). */
function batch(n: number): PitwallEvent[] {
  batchNo++;
  return Array.from({ length: n }, (_, i) => ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }, `ev-rl${batchNo}-${String(i).padStart(5, '0')}`));
}

const post = (app: RequestListener, events: PitwallEvent[], terminalId?: string) => {
  const r = request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`);
  return (terminalId === undefined ? r : r.set('X-Pitwall-Terminal', terminalId)).send({ events });
};
const boardOf = async (h: TestHub): Promise<BoardSnapshot> => (await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.admin}`)).body;

/** A 429 in the contract's envelope, with a Retry-After a terminal can live with and the RateLimit headers agreeing. */
function expectRefused(res: request.Response): number {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ error: { code: 'too_many_requests', message: expect.stringContaining('PITWALL_RATE_LIMIT') } });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(res.headers.ratelimit).toMatch(new RegExp(`remaining=0, reset=${retryAfter}$`));
  return retryAfter;
}

function expectRateLimitedAck(error: ApiError | undefined): void {
  expect(error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('PITWALL_RATE_LIMIT') });
  expect(error!.retryAfterSeconds! >= 1 && error!.retryAfterSeconds! <= 60).toBe(true);
}

async function terminalSocket(h: TestHub): Promise<ClientSocket> {
  if (!h.url) await h.listen();
  const s = h.client(TOKENS.terminal);
  await connected(s);
  return s;
}
const hello = (s: ClientSocket, terminalId: string): Promise<TerminalHelloAck> => s.timeout(5000).emitWithAck('terminal:hello', { workshopId: WS, terminalId, bayId: null });
const sendEvents = (s: ClientSocket, events: PitwallEvent[]): Promise<EventsAck> => s.timeout(5000).emitWithAck('events', { workshopId: WS, events });

describe('the HTTP door counts events, not requests', () => {
  it.each([
    ['the fast path', (h: TestHub) => h.hub.app],
    ['Express', (h: TestHub) => h.hub.expressApp as RequestListener],
  ])('refuses 5 posts of 500 events under a limit of 5 whole, through %s: nothing applied', async (_door, appOf) => {
    const h = await hub({ rateLimitPerMinute: 5 });
    for (let i = 0; i < 5; i++) {
      const res = await post(appOf(h), batch(500), `tablet-flood-${i}`);
      expectRefused(res);
      expect(res.body.error.message).toMatch(/costs 500 .*at most 5 events at a time/);
    }
    const board = await boardOf(h);
    expect(board.seq).toBe(0);
    // The terminal header of a refused post registers nothing either.
    expect(board.terminals).toEqual([]);
  });

  it('takes 2 × 500 of 1,200, refuses the third whole, and what is left still serves a smaller post', async () => {
    const h = await hub({ rateLimitPerMinute: 1200 });
    const first = await post(h.hub.app, batch(500));
    expect(first.status).toBe(200);
    expect(first.headers.ratelimit).toMatch(/^limit=1200, remaining=700, reset=\d+$/);
    expect(first.headers['ratelimit-policy']).toBe('1200;w=60');
    expect((await post(h.hub.app, batch(500))).status).toBe(200);
    const seqBefore = (await boardOf(h)).seq;

    expectRefused(await post(h.hub.app, batch(500)));
    expect((await boardOf(h)).seq).toBe(seqBefore);

    // The refused post paid 1 for coming; its 499 others were given back: 199 fit exactly.
    const last = await post(h.hub.app, batch(199));
    expect(last.status).toBe(200);
    expect(last.body.results).toHaveLength(199);
    expect(last.headers.ratelimit).toMatch(/remaining=0,/);
    expectRefused(await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.terminal}`));
    // Budgets are per token: the lead's is whole.
    expect((await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.lead}`)).status).toBe(200);
  });
});

describe('the socket door', () => {
  it('refuses an `events` flood past the budget with a rate_limited ack and its retryAfterSeconds, applying nothing of it', async () => {
    const h = await hub({ rateLimitPerMinute: 20 });
    const s = await terminalSocket(h);
    const acks = await Promise.all(Array.from({ length: 50 }, () => sendEvents(s, batch(1))));
    const served = acks.filter((a) => 'results' in a);
    const refused = acks.flatMap((a) => ('error' in a ? [a.error] : []));
    expect(served).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const e of refused) expectRateLimitedAck(e);
    // One message of 5 events costs 5: with the budget spent it is refused as a whole.
    const big = await sendEvents(s, batch(5));
    expectRateLimitedAck('error' in big ? big.error : undefined);
    expect((await boardOf(h)).seq).toBe(1);
  });

  it('refuses a terminal:hello flood of made-up ids past the budget: the registry takes only what fitted', async () => {
    // A budget under the registry's own cap (15 for the test workshop), so the budget is what stops it.
    const h = await hub({ rateLimitPerMinute: 10 });
    const s = await terminalSocket(h);
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => hello(s, `made-up-${String(i).padStart(6, '0')}`)));
    expect(acks.filter((a) => a.ok)).toHaveLength(10);
    const refused = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(refused).toHaveLength(190);
    for (const e of refused) expectRateLimitedAck(e);
    expect((await boardOf(h)).terminals).toHaveLength(10);
  });

  it('shares one budget with HTTP: hellos and posts with X-Pitwall-Terminal spend it together, then every door refuses', async () => {
    const h = await hub({ rateLimitPerMinute: 10 });
    const s = await terminalSocket(h);
    for (let i = 0; i < 5; i++) expect(await hello(s, `socket-tablet-${i}`)).toEqual({ ok: true });
    for (let i = 0; i < 5; i++) expect((await post(h.hub.app, batch(1), `http-tablet-${i}`)).status).toBe(200);

    expectRefused(await post(h.hub.app, batch(1), 'http-tablet-late'));
    expectRateLimitedAck((await hello(s, 'socket-tablet-late') as { error?: ApiError }).error);
    const subscribed = await s.timeout(5000).emitWithAck('subscribe', WS);
    expectRateLimitedAck(subscribed.ok ? undefined : subscribed.error);
    expect((await boardOf(h)).terminals.map((t) => t.terminalId).sort()).toEqual([0, 1, 2, 3, 4].flatMap((i) => [`http-tablet-${i}`, `socket-tablet-${i}`]).sort());
  });
});

describe('hubs on one Redis', () => {
  let redis: RedisServerHandle;
  let run = 0;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  /** A hub with its own connection for the budget, as server/main.ts gives each one. */
  async function sharedHub(prefix: string, limit: number): Promise<TestHub> {
    const client = budgetRedis(redis.url, () => {});
    cleanups.push(() => client.disconnect());
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    return hub({ rateLimitPerMinute: limit, rateLimitRedis: client, rateLimitKeyPrefix: prefix });
  }

  it('share one budget per token: the sum accepted over both stays within the limit, sockets included', async () => {
    const prefix = `rl-test-${++run}`;
    const [a, b] = [await sharedHub(prefix, 30), await sharedHub(prefix, 30)];
    let acceptedEvents = 0;
    for (let i = 0; i < 20; i++) {
      const res = await post((i % 2 === 0 ? a : b).hub.app, batch(3));
      if (res.status === 200) acceptedEvents += res.body.results.length;
      else expectRefused(res);
    }
    expect(acceptedEvents).toBe(30);
    const s = await terminalSocket(b);
    expectRateLimitedAck((await hello(s, 'tablet-on-hub-b') as { error?: ApiError }).error);

    // What Redis holds: counters under the digest of the token, never the token itself.
    const inspect = new Redis(redis.url);
    cleanups.push(() => inspect.disconnect());
    const keys = await inspect.keys(`${prefix}:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(TOKENS.terminal);
    expect(Number(await inspect.get(keys[0]!))).toBeGreaterThanOrEqual(30);
  });

  it('share it from the first request of hubs given only the URL, as server/main.ts starts them', async () => {
    const prefix = `rl-test-${++run}`;
    // Each hub opens its own budget connection; one that answered before it was up would count in memory.
    const [a, b] = [await hub({ rateLimitPerMinute: 4, rateLimitRedis: redis.url, rateLimitKeyPrefix: prefix }), await hub({ rateLimitPerMinute: 4, rateLimitRedis: redis.url, rateLimitKeyPrefix: prefix })];
    const statuses = [];
    for (const h of [b, a, b, a, b, a]) statuses.push((await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.terminal}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('handle a socket\'s messages in the order they came while their takes are in flight', async () => {
    const h = await sharedHub(`rl-test-${++run}`, 1000);
    const s = await terminalSocket(h);
    const jobId = 'J-ORDER-1';
    const steps = [
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('08:01'), { jobId, plate: '沪A00001', service: 'repair', standardMinutes: 30, customerWaiting: false }),
      ev('job.started', L('08:02'), { jobId, bayId: 'B1', technicianId: 'T1' }),
      ev('job.paused', L('08:03'), { jobId, reason: 'parts' }),
      ev('job.resumed', L('08:04'), { jobId }),
      ev('job.completed', L('08:05'), { jobId, firstTimeFix: true }),
    ];
    // Sent back to back without waiting for an ack: each depends on the one before it.
    const [helloAck, ...acks] = await Promise.all([hello(s, 'tablet-in-order'), ...steps.map((e) => sendEvents(s, [e]))]);
    expect(helloAck).toEqual({ ok: true });
    expect(acks.map((a) => ('results' in a ? a.results[0]!.status : a.error.code))).toEqual(steps.map(() => 'accepted'));
    expect((await boardOf(h)).terminals.map((t) => t.terminalId)).toEqual(['tablet-in-order']);
  });

  it('never leave a window in credit when a refund lands after the window it was taken in', async () => {
    const inspect = new Redis(redis.url);
    cleanups.push(() => inspect.disconnect());
    const key = `rl-test-${++run}:late-refund`;
    // The window turned between a refused take of 499 and its refund: the refund finds no key.
    const [consumed, ttl] = (await inspect.eval(UNLOGGED_TAKE_SCRIPT, 1, key, '-499', '60')) as [number, number];
    expect(consumed).toBe(0);
    expect(ttl > 0 && ttl <= 60_000).toBe(true);
    expect(await inspect.get(key)).toBe('0');
    // In a window that has counts, a refund gives back exactly what was taken.
    await inspect.eval(UNLOGGED_TAKE_SCRIPT, 1, key, '700', '60');
    expect(((await inspect.eval(UNLOGGED_TAKE_SCRIPT, 1, key, '-499', '60')) as number[])[0]).toBe(201);
  });

  it('keep the counters out of the AOF: a take waits for no fsync, and a Redis restart only starts a fresh window', async () => {
    const own = await startRedisServer({ appendonly: true });
    cleanups.push(() => own.stop());
    const client = budgetRedis(own.url, () => {});
    cleanups.push(() => client.disconnect());
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    const h = await hub({ rateLimitPerMinute: 5, rateLimitRedis: client, rateLimitKeyPrefix: 'rl-aof' });
    for (let i = 0; i < 5; i++) expect((await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.terminal}`)).status).toBe(200);
    expect((await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.terminal}`)).status).toBe(429);

    const inspect = new Redis(own.url, { maxRetriesPerRequest: null });
    inspect.on('error', () => {});
    cleanups.push(() => inspect.disconnect());
    expect(await inspect.keys('rl-aof:*')).toHaveLength(1);
    // A key written the ordinary way survives the restart through the AOF; the counter does not.
    await inspect.set('rl-aof-witness', '1');
    await own.restart();
    expect(await inspect.get('rl-aof-witness')).toBe('1');
    expect(await inspect.keys('rl-aof:*')).toEqual([]);
  });

  it('keep answering reads with Redis gone, each hub counting in memory until it is back', async () => {
    const own = await startRedisServer();
    cleanups.push(() => own.stop());
    const client = budgetRedis(own.url, () => {});
    cleanups.push(() => client.disconnect());
    await new Promise<void>((resolve) => client.once('ready', () => resolve()));
    const h = await hub({ rateLimitPerMinute: 5, rateLimitRedis: client });
    expect((await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.terminal}`)).status).toBe(200);
    await own.kill();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await request(h.hub.app).get(BOARD).set('Authorization', `Bearer ${TOKENS.terminal}`)).status);
    // The memory budget starts whole: 5 more reads, then the limit holds on this hub alone.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
