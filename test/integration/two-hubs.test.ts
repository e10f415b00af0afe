import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import type { Hub } from '../../server/hub.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Several hubs on one Redis: writes serialise in the store's Lua append, each hub serves its
 * own boards from its own projection, and hubs nudge each other through the Socket.IO Redis
 * adapter. A nudge can be lost; the heartbeat's look at the store covers for it.
 */
const WS = 'sh-test';
const NOW = Date.parse(L('12:00'));
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

async function twoHubs(opts: { linked?: boolean; heartbeatMs?: number } = {}) {
  run++;
  const make = async (): Promise<{ hub: Hub; url: string }> => {
    const store = await RedisEventStore.connect(redis.url, { keyPrefix: `twohubs${run}` });
    const { hub, stop } = await startTestHub({
      store,
      clock: () => NOW,
      ...(opts.linked !== false && { adapterRedisUrl: redis.url }),
      ...(opts.heartbeatMs !== undefined && { heartbeatMs: opts.heartbeatMs }),
    });
    await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      // The hub, then its adapter; the store is ours.
      await stop();
      await store.close();
    });
    return { hub, url: `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}` };
  };
  return [await make(), await make()] as const;
}

function board(url: string): { socket: Socket<ServerToClientEvents, ClientToServerEvents>; snapshots: BoardSnapshot[] } {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ['websocket'], auth: { token: TOKENS.board }, forceNew: true });
  const snapshots: BoardSnapshot[] = [];
  socket.on('snapshot', (s) => snapshots.push(s));
  cleanups.push(async () => void socket.close());
  return { socket, snapshots };
}

const post = (hub: Hub, events: unknown[]) => request(hub.app).post(`/api/v1/workshops/${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events });
const boardOf = async (hub: Hub) => {
  const { alerts: _a, terminals: _t, ...figures } = (await request(hub.app).get(`/api/v1/workshops/${WS}/board`).set('Authorization', `Bearer ${TOKENS.board}`)).body as BoardSnapshot;
  return figures;
};
async function until(predicate: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('two hubs on one Redis', () => {
  it('shows a change taken by hub A on a board connected to hub B, at once', async () => {
    const [a, b] = await twoHubs();
    const watcher = board(b.url);
    const ack = await watcher.socket.timeout(3000).emitWithAck('subscribe', WS);
    expect(ack.ok && ack.snapshot.seq).toBe(0);
    const res = await post(a.hub, [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }), ev('shift.clock_in', L('08:00'), { technicianId: 'T2' })]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    await until(() => watcher.snapshots.some((s) => s.seq === 2), 3000, 'hub B to push seq 2');
    expect(watcher.snapshots.at(-1)!.technicians.onShift).toBe(2);
  });

  it('lets exactly one of two conflicting starts win, and both hubs end with the same board', async () => {
    const [a, b] = await twoHubs();
    await post(a.hub, [
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
      ev('job.checked_in', L('08:05'), { jobId: 'J1', plate: '沪A12345', service: 'repair', standardMinutes: 60, customerWaiting: true }),
    ]);
    for (let round = 0; round < 5; round++) {
      const jobId = `JR${round}`;
      await post(a.hub, [ev('job.checked_in', L('08:10'), { jobId, plate: `沪B${round}`, service: 'repair', standardMinutes: 30, customerWaiting: false })]);
      // Hub B has not necessarily seen the check-in yet: it catches up when its append finds the log moved.
      const [ra, rb] = await Promise.all([
        post(a.hub, [ev('job.started', L('08:20'), { jobId, bayId: 'B1', technicianId: 'T1' })]),
        post(b.hub, [ev('job.started', L('08:20'), { jobId, bayId: 'B2', technicianId: 'T2' })]),
      ]);
      const statuses = [ra.body.results[0].status, rb.body.results[0].status].sort();
      expect(statuses).toEqual(['accepted', 'rejected']);
      const loser = ra.body.results[0].status === 'rejected' ? ra : rb;
      expect(loser.body.results[0].error.code).toBe('illegal_transition');
      // Free the bay for the next round.
      await post(a.hub, [ev('job.completed', L('08:40'), { jobId, firstTimeFix: true })]);
    }
    const [ba, bb] = [await boardOf(a.hub), await boardOf(b.hub)];
    expect(bb.seq).toBe(ba.seq);
    expect(bb).toEqual(ba);
    expect(ba.jobs.completedToday).toBe(5);
  });

  it('does not reject an event for a job only the other hub has seen: it reads the log first', async () => {
    const [a, b] = await twoHubs({ linked: false, heartbeatMs: 60_000 });
    await post(a.hub, [
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('08:05'), { jobId: 'JX', plate: '沪C1', service: 'repair', standardMinutes: 30, customerWaiting: true }),
    ]);
    const res = await post(b.hub, [ev('job.started', L('08:10'), { jobId: 'JX', bayId: 'B1', technicianId: 'T1' })]);
    expect(res.body.results[0].status).toBe('accepted');
    const onB = await boardOf(b.hub);
    expect(onB.seq).toBe(3);
    expect(onB.bays.find((bay) => bay.bayId === 'B1')).toMatchObject({ jobId: 'JX', state: 'in_progress' });
  });

  it('catches up at the heartbeat when the nudge never came (no adapter at all)', async () => {
    const [a, b] = await twoHubs({ linked: false, heartbeatMs: 300 });
    const watcher = board(b.url);
    await watcher.socket.timeout(3000).emitWithAck('subscribe', WS);
    await post(a.hub, [ev('shift.clock_in', L('08:00'), { technicianId: 'T3' })]);
    await until(() => watcher.snapshots.some((s) => s.seq === 1), 3000, 'hub B to notice seq 1 at its heartbeat');
    expect(await boardOf(b.hub)).toEqual(await boardOf(a.hub));
  });
});
