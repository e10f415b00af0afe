import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_MAX_BYTES, type BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ClusterMessage, ServerToClientEvents } from '../../shared/socket.js';
import { terminalCapOf } from '../../shared/workshop.js';
import type { Hub } from '../../server/hub.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, SHANGHAI } from '../fixtures/workshop.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Terminal presence travels between hubs (server/realtime/cluster.ts). A flood on one hub must
 * not grow another hub's registry past the same cap, and a sync message is parsed like any other
 * input: a made-up id of 10 kB or a bay the receiving hub does not know is ignored.
 */
const WS = 'sh-test';
const NOW = Date.parse(L('09:00'));
let redis: RedisServerHandle;
let run = 0;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function linkedHub(): Promise<{ hub: Hub; url: string }> {
  const store = await RedisEventStore.connect(redis.url, { keyPrefix: `termsync${run}` });
  const { hub, stop } = await startTestHub({ store, clock: () => NOW, adapterRedisUrl: redis.url, rateLimitPerMinute: 1_000_000_000 });
  await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    // The hub, then its adapter; the store is ours.
    await stop();
    await store.close();
  });
  return { hub, url: `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}` };
}

const boardOf = async (hub: Hub) => {
  const res = await request(hub.app).get(`/api/v1/workshops/${WS}/board`).set('Authorization', `Bearer ${TOKENS.board}`);
  return { snapshot: res.body as BoardSnapshot, bytes: Buffer.byteLength(res.text) };
};

async function until(predicate: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('terminal presence between hubs', () => {
  it('holds the other hub to the same cap under a flood, and the terminal still heard from arrives there', { timeout: 60_000 }, async () => {
    run++;
    const a = await linkedHub();
    const b = await linkedHub();
    const terminal: Socket<ServerToClientEvents, ClientToServerEvents> = connect(a.url, { transports: ['websocket'], auth: { token: TOKENS.terminal }, forceNew: true });
    cleanups.push(async () => void terminal.close());
    for (let from = 0; from < 2000; from += 200) {
      await Promise.all(Array.from({ length: 200 }, (_, i) => terminal.timeout(10_000).emitWithAck('terminal:hello', { workshopId: WS, terminalId: `made-up-${String(from + i).padStart(8, '0')}`, bayId: null })));
    }
    expect(await terminal.timeout(10_000).emitWithAck('terminal:hello', { workshopId: WS, terminalId: 'tablet-bay-1', bayId: 'B1' })).toEqual({ ok: true });

    const cap = terminalCapOf(SHANGHAI);
    await until(async () => (await boardOf(b.hub)).snapshot.terminals.some((t) => t.terminalId === 'tablet-bay-1'), 10_000, 'hub B to hear of tablet-bay-1');
    const onB = await boardOf(b.hub);
    expect(onB.snapshot.terminals).toHaveLength(cap);
    expect(onB.bytes).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
    expect((await boardOf(a.hub)).snapshot.terminals).toHaveLength(cap);
  });

  it('ignores a sync message with a made-up id of 10 kB or a bay it does not know, and takes a good one', { timeout: 30_000 }, async () => {
    run++;
    const a = await linkedHub();
    const b = await linkedHub();
    const send = (message: unknown) => a.hub.io.serverSideEmit('pitwall:sync', message as ClusterMessage);
    const terminalsOnB = async () => (await boardOf(b.hub)).snapshot.terminals.map((t) => t.terminalId);
    // The adapter's subscriptions take a moment: repeat a good message until hub B has it.
    await until(async () => (send({ kind: 'terminal', workshopId: WS, terminalId: 'tablet-bay-1', bayId: 'B1', at: NOW }), (await terminalsOnB()).length > 0), 10_000, 'the hubs to be linked');
    send({ kind: 'terminal', workshopId: WS, terminalId: 'x'.repeat(10_000), bayId: null, at: NOW });
    send({ kind: 'terminal', workshopId: WS, terminalId: 'tablet-bay-9', bayId: 'B9', at: NOW });
    send({ kind: 'terminal', workshopId: WS, terminalId: 'tablet-bay-2', bayId: 'B2', at: NOW });
    // Pub/sub keeps a sender's order: once the good one is there, the bad ones were judged before it.
    await until(async () => (await terminalsOnB()).includes('tablet-bay-2'), 10_000, 'hub B to take the good message');
    expect((await boardOf(b.hub)).snapshot.terminals).toEqual([
      { terminalId: 'tablet-bay-1', bayId: 'B1', lastSeenAt: new Date(NOW).toISOString(), silent: false },
      { terminalId: 'tablet-bay-2', bayId: 'B2', lastSeenAt: new Date(NOW).toISOString(), silent: false },
    ]);
  });
});
