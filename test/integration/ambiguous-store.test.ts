import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.js';
import { StoreOutcomeUnknownError, StoreUnavailableError } from '../../server/store/event-store.js';
import { redisKeys, RedisEventStore } from '../../server/store/redis/redis-store.js';
import type { PitwallEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, EventsAck, ServerToClientEvents } from '../../shared/socket.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { retryUntilResolved } from '../helpers/retry.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Issue 11, item 7: a Redis that stalls (SIGSTOP) while appends are on their way. ioredis
 * gives up on the script after its command timeout, but Redis runs it once it resumes: the
 * hub must not answer "nothing was changed" for it, and once Redis answers again the hub must
 * show what that append wrote before anyone asks (the board's socket) and on every read.
 */

const WS = 'sh-test';
/** The requirement: within 1 s of Redis answering again, a 503'd event is in the log and on the board, or in neither. */
const VISIBLE_WITHIN_MS = 1000;
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let seq = 0;
const checkIns = (tag: string, n: number): PitwallEvent[] =>
  Array.from({ length: n }, () => {
    seq++;
    return ev('job.checked_in', L('09:00'), { jobId: `${tag}-${seq}`, plate: `沪S${seq}`, service: 'maintenance', standardMinutes: 30, customerWaiting: false }, `amb-${tag}-${String(seq).padStart(4, '0')}`);
  });

interface Answer {
  status: number;
  retryAfter: string | null;
  code?: string;
  results?: { id: string; status: string }[];
}

describe('a Redis that stalls mid-append (SIGSTOP / SIGCONT)', () => {
  let redis: RedisServerHandle;
  let admin: Redis;
  let store: RedisEventStore;
  let hub: Hub;
  let url: string;
  const sockets: ClientSocket[] = [];
  const prefix = `ambiguous${Date.now()}`;

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
    store = await RedisEventStore.connect(redis.url, { keyPrefix: prefix, onError: () => {} });
    // The default 15 s heartbeat: catching up after the stall must not wait for it.
    hub = (await startTestHub({ store, clock: () => Date.parse(L('18:00')), rateLimitPerMinute: 100_000 })).hub;
    await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await hub?.close();
    await store?.close();
    admin?.disconnect();
    await redis?.stop();
  });

  async function socketOf(token: string): Promise<ClientSocket> {
    const socket: ClientSocket = connect(url, { transports: ['websocket'], auth: { token }, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  async function post(events: PitwallEvent[]): Promise<Answer> {
    const res = await fetch(`${url}/api/v1/workshops/${WS}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKENS.terminal}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as { results?: Answer['results']; error?: { code: string } };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ...(body.error && { code: body.error.code }), ...(body.results && { results: body.results }) };
  }

  /** The log as Redis holds it, read directly (not through the hub). */
  async function logIds(): Promise<Set<string>> {
    const entries = await admin.xrange(redisKeys(WS, prefix).events, '-', '+');
    return new Set(entries.map(([, fields]) => (JSON.parse(fields[fields.indexOf('e') + 1]!) as PitwallEvent).id));
  }

  async function jobIds(): Promise<Set<string>> {
    const res = await fetch(`${url}/api/v1/workshops/${WS}/jobs`, { headers: { Authorization: `Bearer ${TOKENS.lead}` } });
    return new Set(((await res.json()) as { jobs: { jobId: string }[] }).jobs.map((j) => j.jobId));
  }

  /** Resumes Redis and resolves with the moment it answers again. */
  async function resume(): Promise<number> {
    redis.resume();
    await admin.ping();
    return Date.now();
  }

  /** Every snapshot pushed to `board`, with when it arrived. */
  function pushesTo(board: ClientSocket): { at: number; snapshot: BoardSnapshot }[] {
    const pushes: { at: number; snapshot: BoardSnapshot }[] = [];
    board.on('snapshot', (snapshot) => pushes.push({ at: Date.now(), snapshot }));
    return pushes;
  }

  /** The first pushed snapshot that shows the whole log, and how long after `since` it came (no reads meanwhile: the hub pushes it by itself). */
  async function boardShowing(pushes: { at: number; snapshot: BoardSnapshot }[], logLength: number, since: number): Promise<{ snapshot: BoardSnapshot; afterMs: number }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = pushes.find((p) => p.snapshot.seq >= logLength);
      if (found) return { snapshot: found.snapshot, afterMs: Math.max(0, found.at - since) };
      if (Date.now() > deadline) throw new Error(`no snapshot with seq ${logLength} was pushed within 20 s of Redis answering again`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('answers store_outcome_unknown for the stalled append, shows what it wrote within 1 s of Redis answering, and a resend answers duplicate', { timeout: 60_000 }, async () => {
    const board = await socketOf(TOKENS.board);
    const pushes = pushesTo(board);
    const subscribed = await board.timeout(5000).emitWithAck('subscribe', WS);
    expect(subscribed.ok).toBe(true);
    const terminal = await socketOf(TOKENS.terminal);

    const first = checkIns('before', 1);
    expect((await post(first)).results?.map((r) => r.status)).toEqual(['accepted']);

    redis.pause();
    // A reaches the stalled Redis (and will run when it resumes); B, C and D come while the hub
    // waits for A's answer, and after it no longer knows what the log holds.
    const batches = { A: checkIns('A', 3), B: checkIns('B', 2), C: checkIns('C', 2) };
    const a = post(batches.A);
    await new Promise((r) => setTimeout(r, 200));
    const b = post(batches.B);
    const c = post(batches.C);
    const D = checkIns('D', 2);
    const d = terminal.timeout(15_000).emitWithAck('events', { workshopId: WS, events: D });
    const answers = { A: await a, B: await b, C: await c };
    const socketAnswer = await d;

    const t0 = await resume();
    const length = Number(await admin.get(redisKeys(WS, prefix).seq));
    const pushed = await boardShowing(pushes, length, t0);
    const log = await logIds();
    const jobs = await jobIds();
    console.info(`SIGSTOP during posts: ${length - 1} of ${Object.values(batches).flat().length + D.length} 503'd events were in the log after SIGCONT; the board showed them ${pushed.afterMs} ms after Redis answered again`);

    // Every 503'd event is in the log and on the board and the job list, or in none of them.
    const refused = [...Object.values(batches).flat(), ...D];
    for (const e of refused) {
      const jobId = (e as Extract<PitwallEvent, { type: 'job.checked_in' }>).jobId;
      expect({ id: e.id, onBoard: jobs.has(jobId) }).toEqual({ id: e.id, onBoard: log.has(e.id) });
    }
    expect(pushed.snapshot.jobs.waiting).toBe(length);
    expect(pushed.afterMs).toBeLessThan(VISIBLE_WITHIN_MS);
    // The stalled append did run: the case is real, not vacuous.
    expect(batches.A.every((e) => log.has(e.id))).toBe(true);

    // The answers told the truth: A may have been written, the others certainly were not.
    expect(answers.A).toMatchObject({ status: 503, code: 'store_outcome_unknown', retryAfter: '2' });
    for (const later of [answers.B, answers.C]) expect(later).toMatchObject({ status: 503, code: 'store_unavailable', retryAfter: '2' });
    expect(socketAnswer).toMatchObject({ error: { code: 'store_unavailable' } });

    // Resending the same ids: duplicate for what was stored, accepted for the rest.
    for (const events of [...Object.values(batches), D]) {
      const again = await post(events);
      expect(again.status).toBe(200);
      expect(again.results!.map((r) => r.status)).toEqual(events.map((e) => (log.has(e.id) ? 'duplicate' : 'accepted')));
    }
  });

  it('says the same over a socket: the stalled batch is acked store_outcome_unknown, then shown, then a duplicate', { timeout: 60_000 }, async () => {
    const board = await socketOf(TOKENS.board);
    const pushes = pushesTo(board);
    await board.timeout(5000).emitWithAck('subscribe', WS);
    const terminal = await socketOf(TOKENS.terminal);

    redis.pause();
    const E = checkIns('E', 2);
    const ack: EventsAck = await terminal.timeout(15_000).emitWithAck('events', { workshopId: WS, events: E });
    const t0 = await resume();
    const length = Number(await admin.get(redisKeys(WS, prefix).seq));
    const pushed = await boardShowing(pushes, length, t0);
    const log = await logIds();

    expect(E.every((e) => log.has(e.id))).toBe(true);
    expect(pushed.afterMs).toBeLessThan(VISIBLE_WITHIN_MS);
    expect(ack).toMatchObject({ error: { code: 'store_outcome_unknown' } });
    const again: EventsAck = await terminal.timeout(5000).emitWithAck('events', { workshopId: WS, events: E });
    expect(again).toEqual({ ok: true, results: E.map((e) => ({ id: e.id, status: 'duplicate' })) });
  });
});

/**
 * Which failed appends may say "nothing was changed": only those Redis refused before running
 * the script, or that were never sent. Anything sent and not answered may have been written.
 */
describe('the Redis store tells a failed append that wrote nothing from one that may have', () => {
  let redis: RedisServerHandle;
  let admin: Redis;
  let store: RedisEventStore;
  const prefix = `outcome${Date.now()}`;
  const append = (events: PitwallEvent[], expectedSeq: number) => store.append(WS, events, expectedSeq, new Date().toISOString());
  const failureOf = (p: Promise<unknown>) => p.then(
    () => undefined,
    (err: unknown) => err,
  );

  beforeAll(async () => {
    // AOF on: the last test restarts Redis and reads the log again.
    redis = await startRedisServer({ appendonly: true });
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
    store = await RedisEventStore.connect(redis.url, { keyPrefix: prefix, onError: () => {} });
  });
  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
    await redis?.stop();
  });

  it('BUSY (another script holds Redis): refused before the script ran, so not written', { timeout: 30_000 }, async () => {
    await admin.config('SET', 'busy-reply-threshold', '50');
    const hog = new Redis(redis.url, { maxRetriesPerRequest: 0, commandTimeout: 20_000 });
    hog.on('error', () => {});
    const hogging = hog.eval('while true do end', 0).catch(() => undefined);
    // Until Redis answers BUSY to others (the script has run past the threshold), however slow the machine.
    for (const deadline = Date.now() + 10_000; !(await admin.ping().then(() => false, (e: Error) => /BUSY/.test(e.message))); ) {
      if (Date.now() > deadline) throw new Error('Redis never answered BUSY while the script ran');
      await new Promise((r) => setTimeout(r, 20));
    }
    const err = await failureOf(append(checkIns('busy', 2), 0));
    await admin.script('KILL');
    await hogging;
    hog.disconnect();
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err).not.toBeInstanceOf(StoreOutcomeUnknownError);
    expect((err as Error).message).toMatch(/BUSY/);
    expect(await store.length(WS)).toBe(0);
  });

  it('a runtime error inside the script: may have come after some of its writes, so unknown', async () => {
    // The id window under another type: the script fails in its first ZSCORE.
    await admin.set(redisKeys('wrong-type', prefix).idWindow, 'not a sorted set');
    const err = await failureOf(store.append('wrong-type', checkIns('wt', 1), 0, new Date().toISOString()));
    expect(err).toBeInstanceOf(StoreOutcomeUnknownError);
    expect((err as Error).message).toMatch(/WRONGTYPE/);
  });

  it('sent to a stalled Redis and timed out: unknown, and Redis writes it once it resumes', { timeout: 30_000 }, async () => {
    const events = checkIns('stall', 2);
    redis.pause();
    const err = await failureOf(append(events, 0));
    redis.resume();
    expect(err).toBeInstanceOf(StoreOutcomeUnknownError);
    expect(await store.length(WS)).toBe(2);
    expect((await store.read(WS, 0, 10)).map((s) => s.event.id)).toEqual(events.map((e) => e.id));
  });

  it('no connection (Redis killed): refused at once without being sent, so not written', { timeout: 30_000 }, async () => {
    await redis.kill();
    // Wait until the client has noticed (its connection closed); before that a call is still sent.
    for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      if ((await failureOf(store.ping())) !== undefined) break;
    }
    const started = Date.now();
    const err = await failureOf(append(checkIns('down', 2), 2));
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err).not.toBeInstanceOf(StoreOutcomeUnknownError);
    // Not even waiting for the command timeout: nothing was handed to the client.
    expect(Date.now() - started).toBeLessThan(500);
    await redis.restart();
    await retryUntilResolved(() => store.ping());
    expect(await store.length(WS)).toBe(2);
  });
});
