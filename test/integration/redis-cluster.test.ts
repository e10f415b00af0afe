import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import { createHash } from 'node:crypto';
import { bootstrapHub, StartupError } from '../../server/bootstrap.js';
import { BUDGET_COMMAND_TIMEOUT_MS, budgetRedis } from '../../server/limits/budget-redis.js';
import { tokenBudget } from '../../server/limits/token-budget.js';
import type { Hub } from '../../server/hub.js';
import { StoreUnavailableError } from '../../server/store/event-store.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import { testConfig, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { freePort } from '../helpers/hub-process.js';
import { startRedisCluster, type RedisClusterHandle } from '../helpers/redis-cluster.js';
import { eventually, sleep, startTestHub } from '../helpers/test-hub.js';

/**
 * Hubs on a Redis Cluster (REDIS_URL=redis+cluster://…): the log, the token budget and the
 * hubs' nudges (the sharded Socket.IO adapter) all on six real redis-server processes; an
 * append that waits for its replica; a master killed with SIGKILL while a terminal keeps
 * posting; the master holding the hubs' channel killed. The three failovers each kill a
 * different master (a spare shard's, sh-test's, the channel's), so one cluster serves the
 * file. The store's own contract on the cluster: test/integration/store.test.ts.
 */
const WS = 'sh-test';
const NOW = Date.parse(L('12:00'));
let cluster: RedisClusterHandle;
let run = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  await cluster.waitUntilHealthy();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => cluster?.stop());

type Board = { socket: Socket<ServerToClientEvents, ClientToServerEvents>; snapshots: BoardSnapshot[] };

/** Two hubs over a fresh log on the cluster, linked and sharing the budget through it as REDIS_URL would. */
async function twoHubs(opts: { rateLimitPerMinute?: number; heartbeatMs?: number } = {}): Promise<[Hub, Hub]> {
  run++;
  const make = async () => {
    const store = await RedisEventStore.connect(cluster.url, { keyPrefix: `hubs${run}`, onError: () => {} });
    const t = await startTestHub({ store, clock: () => NOW, adapterRedisUrl: cluster.url, rateLimitRedis: cluster.url, rateLimitKeyPrefix: `rate${run}`, ...opts });
    await t.listen();
    cleanups.push(async () => {
      await t.stop();
      await store.close();
    });
    return t.hub;
  };
  return [await make(), await make()];
}

async function board(hub: Hub): Promise<Board> {
  const address = hub.httpServer.address() as { port: number };
  const socket: Board['socket'] = connect(`http://127.0.0.1:${address.port}`, { transports: ['websocket'], auth: { token: TOKENS.board }, forceNew: true });
  const snapshots: BoardSnapshot[] = [];
  socket.on('snapshot', (s) => snapshots.push(s));
  cleanups.push(async () => void socket.close());
  const ack = await socket.timeout(5000).emitWithAck('subscribe', WS);
  if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
  return { socket, snapshots };
}

const post = (hub: Hub, events: unknown[]) => request(hub.app).post(`/api/v1/workshops/${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events });
const figures = async (hub: Hub) => {
  const { alerts: _a, terminals: _t, ...rest } = (await request(hub.app).get(`/api/v1/workshops/${WS}/board`).set('Authorization', `Bearer ${TOKENS.board}`)).body as BoardSnapshot;
  return rest;
};
/** The same id for the same n, as a terminal's retry sends it. */
const checkIn = (n: number) => ev('job.checked_in', L('09:00'), { jobId: `JC${n}`, plate: `沪C${n}`, service: 'repair', standardMinutes: 30, customerWaiting: false }, `evt-jc-${n}`);
const ADAPTER_CHANNEL = 'pitwall:socket.io#/#';

/** A token whose budget key (`<prefix>:<sha-256 of the token>`, token-budget.ts) is served by `master`. */
async function tokenOn(master: Awaited<ReturnType<RedisClusterHandle['masterOf']>>, prefix: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const token = `token-${i}`;
    const key = `${prefix}:${createHash('sha256').update(token).digest('base64url')}`;
    if ((await cluster.masterOf(key)) === master) return token;
  }
  throw new Error(`no token's budget key on port ${master.port}`);
}

/** A workshop id whose slot is served by a master with a replica, neither sh-test's master nor the adapter channel's. */
async function spareShard() {
  const taken = [await cluster.masterOf(`pitwall:{${WS}}:events`), await cluster.masterOf(ADAPTER_CHANNEL)];
  for (let i = 0; i < 100; i++) {
    const ws = `spare-${i}`;
    const master = await cluster.masterOf(`pitwall:{${ws}}:events`);
    const replica = await cluster.replicaOf(master);
    if (!taken.includes(master) && replica) return { ws, master, replica };
  }
  throw new Error('no spare shard with a replica');
}

describe('hubs on a Redis Cluster', () => {
  it('refuses to start when no seed node answers, naming REDIS_URL without its password', async () => {
    const url = `redis+cluster://:hunter2@127.0.0.1:${await freePort()},127.0.0.1:${await freePort()}`;
    const started = bootstrapHub({ config: testConfig(), logger: pino({ level: 'silent' }), store: { redisUrl: url }, onRedisError: () => {} });
    await expect(started).rejects.toBeInstanceOf(StartupError);
    await expect(started).rejects.toThrow(/^Cannot reach Redis at redis\+cluster:\/\/:\*\*\*@127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ \(REDIS_URL\): .*None of startup nodes is available/);
  });

  it('shows an event posted to hub B on a board connected to hub A, and shares the token budget', async () => {
    const [a, b] = await twoHubs({ rateLimitPerMinute: 6 });
    const watcher = await board(a);
    const res = await post(b, [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }), ev('shift.clock_in', L('08:00'), { technicianId: 'T2' })]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    await eventually(() => watcher.snapshots.some((s) => s.seq === 2), 3000, 'hub A to push seq 2');
    expect(watcher.snapshots.at(-1)!.technicians.onShift).toBe(2);

    // The budget (6 a minute) is one for both hubs: 2 events on B, then 4 more, then nothing.
    expect((await post(a, [checkIn(1), checkIn(2)])).status).toBe(200);
    expect((await post(b, [checkIn(3), checkIn(4)])).status).toBe(200);
    expect((await post(a, [checkIn(5)])).status).toBe(429);
    expect((await post(b, [checkIn(5)])).status).toBe(429);
  });

  it('answers an append once a replica has it: a master killed after appending loses nothing it acknowledged', { timeout: 30_000 }, async () => {
    // A shard whose master the other tests do not kill (neither the workshop's nor the adapter's).
    const spare = await spareShard();
    const warnings: string[] = [];
    const store = await RedisEventStore.connect(cluster.url, { keyPrefix: 'acked', replicaWaitMs: 600, onError: () => {}, onWarning: (w) => warnings.push(w) });
    cleanups.push(() => store.close());
    expect(await store.append(spare.ws, [checkIn(1)], 0, L('09:00'))).toMatchObject({ ok: true, seq: 1 });
    expect(warnings).toEqual([]);

    // A replica that is away (paused) delays an append by the wait, then it counts, with a warning.
    spare.replica.pause();
    let started = Date.now();
    expect(await store.append(spare.ws, [checkIn(2)], 1, L('09:00'))).toMatchObject({ ok: true, seq: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(warnings.join()).toMatch(/no replica .* confirmed an append within 600 ms/);
    spare.replica.resume();
    expect(await store.append(spare.ws, [checkIn(3)], 2, L('09:00'))).toMatchObject({ ok: true, seq: 3 });

    // The master dies after running an append its replica never got (the replica is paused and
    // its link cut, so not even the kernel's buffers hold it): no answer came, so the append was
    // not acknowledged, and the terminal's retry lands on the promoted replica. Without WAIT
    // the append would have been answered at once and be missing from the log now.
    spare.replica.pause();
    expect(await cluster.cli(spare.master, 'client', 'kill', 'type', 'replica')).toMatch(/^[1-9]/);
    let answered = false;
    const pending = store.append(spare.ws, [checkIn(4)], 3, L('09:00')).finally(() => (answered = true));
    pending.catch(() => {});
    await sleep(250);
    expect(answered).toBe(false);
    await cluster.kill(spare.master);
    spare.replica.resume();
    await expect(pending).rejects.toBeInstanceOf(StoreUnavailableError);
    await cluster.waitUntilHealthy(`pitwall:{${spare.ws}}:events`);
    const ids = async () => (await store.read(spare.ws, 0, 10)).map((s) => s.event.id);
    expect(await ids()).toEqual([1, 2, 3].map((n) => checkIn(n).id));
    started = Date.now();
    for (;;) {
      const outcome = await store.append(spare.ws, [checkIn(4)], 3, L('09:00')).catch((err: unknown) => err);
      if (!(outcome instanceof Error)) {
        expect(outcome).toEqual({ ok: true, seq: 4, duplicates: [false] });
        break;
      }
      expect(Date.now() - started, outcome.message).toBeLessThan(10_000);
      await sleep(100);
    }
    expect(await ids()).toEqual([1, 2, 3, 4].map((n) => checkIn(n).id));
  });

  it('keeps serving through a failover: every accepted event is in the log, both boards end alike', { timeout: 45_000 }, async () => {
    // No heartbeat to fall back on during the test: the boards converge through the nudges.
    const [a, b] = await twoHubs({ heartbeatMs: 60_000 });
    const boards = [await board(a), await board(b)];
    const master = await cluster.masterOf(`pitwall:{${WS}}:events`);

    // A terminal's outbox: each event is posted (to hub A, then B, turn about) until it has an answer.
    const accepted: string[] = [];
    let stop = false;
    let refusals = 0;
    const terminal = (async () => {
      for (let n = 0; !stop; n++) {
        const event = checkIn(1000 + n);
        for (let attempt = 0; ; attempt++) {
          const res = await post(attempt % 2 === 0 ? a : b, [event]);
          const status = res.status === 200 ? (res.body.results[0].status as string) : undefined;
          if (status === 'accepted' || status === 'duplicate') {
            accepted.push(event.id);
            break;
          }
          // 503 while the slot has no master; nothing else is expected.
          expect(res.status, JSON.stringify(res.body)).toBe(503);
          refusals++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    })();

    // A token whose budget counter lives on the master about to die: its checks must not wait
    // for the failover (the budget counts in memory meanwhile).
    const budgetClient = budgetRedis(cluster.url, () => {});
    cleanups.push(async () => budgetClient.disconnect());
    const budget = tokenBudget({ perMinute: 1000, redis: budgetClient, keyPrefix: `failover${run}` });
    const token = await tokenOn(master, `failover${run}`);
    await budget.take(token, 1);

    await eventually(() => accepted.length >= 20, 10_000, '20 events accepted before the failover');
    await cluster.kill(master);
    const killedAt = accepted.length;
    const promoted = cluster.waitUntilHealthy(`pitwall:{${WS}}:events`);
    let slowestCheck = 0;
    for (let settled = false; !settled; ) {
      const started = Date.now();
      expect((await budget.take(token, 1)).ok).toBe(true);
      slowestCheck = Math.max(slowestCheck, Date.now() - started);
      settled = await Promise.race([promoted.then(() => true), sleep(100).then(() => false)]);
    }
    expect(slowestCheck).toBeLessThan(BUDGET_COMMAND_TIMEOUT_MS + 200);
    expect(await cluster.masterOf(`pitwall:{${WS}}:events`)).not.toBe(master);
    // The hubs were not restarted: the same ones take 20 more events on the promoted replica.
    await eventually(() => accepted.length >= killedAt + 20, 15_000, '20 events accepted after the failover');
    stop = true;
    await terminal;

    const reader = await RedisEventStore.connect(cluster.url, { keyPrefix: `hubs${run}`, onError: () => {} });
    cleanups.push(() => reader.close());
    const log = (await reader.read(WS, 0, 10_000)).map((s) => s.event.id);
    expect(new Set(log).size).toBe(log.length);
    expect(accepted.filter((id) => !log.includes(id))).toEqual([]);
    expect(log.length).toBe(accepted.length);

    const seq = log.length;
    for (const [i, watcher] of boards.entries()) {
      await eventually(() => watcher.snapshots.at(-1)?.seq === seq, 20_000, `board ${i} to show seq ${seq}`);
    }
    expect(await figures(b)).toEqual(await figures(a));
    expect(refusals).toBeGreaterThan(0);
  });

  it('keeps the hubs nudging each other when the master holding their channel dies', { timeout: 30_000 }, async () => {
    const [a, b] = await twoHubs({ heartbeatMs: 60_000 });
    const watcher = await board(a);
    const master = await cluster.masterOf(ADAPTER_CHANNEL);
    expect(await cluster.replicaOf(master)).toBeDefined();
    expect((await post(b, [checkIn(1)])).body.results[0].status).toBe('accepted');
    await eventually(() => watcher.snapshots.at(-1)?.seq === 1, 3000, 'hub A to push seq 1');

    await cluster.kill(master);
    await cluster.waitUntilHealthy(ADAPTER_CHANNEL);
    // Nudges sent before ioredis has moved the subscription to the promoted replica are lost
    // (the heartbeat would cover them): post until one gets through, well before a heartbeat.
    const started = Date.now();
    for (let n = 2; ; n++) {
      expect(Date.now() - started, 'a nudge through the new master').toBeLessThan(15_000);
      const res = await post(b, [checkIn(n)]);
      expect(res.body.results?.[0]?.status).toBe('accepted');
      const heard = await eventually(() => watcher.snapshots.at(-1)?.seq === n, 500).then(() => true, () => false);
      if (heard) break;
    }
  });
});
