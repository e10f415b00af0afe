import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import { MAX_BAYS, terminalCapOf, workshopConfig, type WorkshopConfig } from '../../shared/workshop.js';
import { parseConfig } from '../../server/config/config-file.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import { TOKENS, testConfigJson } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Socket.IO has no back-pressure: a board that stops reading would grow the hub's buffers
 * without bound. The hub drops it past a cap; a board that reads keeps up.
 */
describe('a board that stops reading', () => {
  it('is disconnected once its unsent data passes the cap, and the other board still gets every change', { timeout: 60_000 }, async () => {
    // The most bays a workshop may have and a full terminal registry, with the longest ids: a snapshot of ~30 KB, so the cap is reached quickly.
    const big = workshopConfig.parse({
      id: 'big',
      name: 'Big',
      timezone: 'Asia/Shanghai',
      bays: Array.from({ length: MAX_BAYS }, (_, i) => ({ id: `BAY-${i}-`.padEnd(64, 'x'), name: `Bay number ${i} with a long descriptive name` })),
      technicians: [{ id: 'T1', name: 'One' }],
    });
    const base = testConfigJson() as { workshops: unknown[]; tokens: unknown[] };
    const config = parseConfig({ ...base, workshops: [...base.workshops, big] }, 'test');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-bp-'));
    const store = await EmbeddedEventStore.open(dir);
    const hub = (await startTestHub({ config, store, clock: () => Date.parse(L('23:00')), coalesceMs: 5, maxBufferedBytes: 512 * 1024 })).hub;
    await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}`;
    const open = (): Socket<ServerToClientEvents, ClientToServerEvents> => connect(url, { transports: ['websocket'], auth: { token: TOKENS.board }, reconnection: false, forceNew: true });
    const slow = open();
    const healthy = open();
    try {
      await fillTerminalRegistry(url, big);
      for (const s of [slow, healthy]) expect((await s.timeout(3000).emitWithAck('subscribe', 'big')).ok).toBe(true);
      let latest: BoardSnapshot | undefined;
      healthy.on('snapshot', (s) => (latest = s));
      let slowGone = false;
      slow.on('disconnect', () => (slowGone = true));
      // Stop reading: pause the TCP socket under the slow board's WebSocket.
      const tcp = (slow.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
      tcp.pause();

      const admin = connect(url, { transports: ['websocket'], auth: { token: TOKENS.admin }, forceNew: true });
      let n = 0;
      const t0 = Date.parse(L('00:00'));
      for (; n < 1000 && (await hub.metrics.slowSocketsDropped.get()).values[0]!.value === 0; n++) {
        const type = n % 2 === 0 ? 'shift.clock_in' : 'shift.clock_out';
        await admin.timeout(3000).emitWithAck('events', { workshopId: 'big', events: [{ id: `bp-${String(n).padStart(6, '0')}`, type, at: new Date(t0 + n * 60_000).toISOString(), technicianId: 'T1' }] });
        await new Promise((r) => setTimeout(r, 6));
      }
      admin.close();
      expect((await hub.metrics.slowSocketsDropped.get()).values[0]!.value).toBe(1);
      // The reader kept up all along: it has (or is about to get) the last change.
      const deadline = Date.now() + 3000;
      while (latest?.seq !== n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(latest?.seq).toBe(n);
      expect(healthy.connected).toBe(true);
      tcp.resume();
      const gone = Date.now() + 3000;
      while (!slowGone && Date.now() < gone) await new Promise((r) => setTimeout(r, 10));
      expect(slowGone).toBe(true);
    } finally {
      slow.close();
      healthy.close();
      await hub.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('is dropped while 100 boards of another workshop keep their latency', { timeout: 60_000 }, async () => {
    const big = workshopConfig.parse({
      id: 'big',
      name: 'Big',
      timezone: 'Asia/Shanghai',
      bays: Array.from({ length: MAX_BAYS }, (_, i) => ({ id: `BAY-${i}-`.padEnd(64, 'x'), name: `Bay number ${i} with a long descriptive name` })),
      technicians: [{ id: 'T1', name: 'One' }],
    });
    const base = testConfigJson() as { workshops: unknown[]; tokens: unknown[] };
    const config = parseConfig({ ...base, workshops: [...base.workshops, big] }, 'test');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-bp-'));
    const store = await EmbeddedEventStore.open(dir);
    const hub = (await startTestHub({ config, store, clock: () => Date.parse(L('23:00')), coalesceMs: 5, maxBufferedBytes: 512 * 1024 })).hub;
    await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}`;
    const open = (): Socket<ServerToClientEvents, ClientToServerEvents> => connect(url, { transports: ['websocket'], auth: { token: TOKENS.board }, reconnection: false, forceNew: true });
    const slow = open();
    const boards = Array.from({ length: 100 }, open);
    const admin = connect(url, { transports: ['websocket'], auth: { token: TOKENS.admin }, forceNew: true });
    try {
      await fillTerminalRegistry(url, big);
      expect((await slow.timeout(5000).emitWithAck('subscribe', 'big')).ok).toBe(true);
      await Promise.all(boards.map(async (b) => expect((await b.timeout(10_000).emitWithAck('subscribe', 'sh-test')).ok).toBe(true)));
      // When each board first saw each seq of sh-test.
      const seen = boards.map(() => new Map<number, number>());
      boards.forEach((b, i) => b.on('snapshot', (snap) => seen[i]!.has(snap.seq) || seen[i]!.set(snap.seq, performance.now())));
      const t0 = Date.parse(L('00:00'));
      let shSeq = 0;
      /** Posts one change to sh-test and returns each board's delay in ms, from the ack to its snapshot. */
      const measure = async (): Promise<number[]> => {
        shSeq++;
        const type = shSeq % 2 === 1 ? 'shift.clock_in' : 'shift.clock_out';
        const r = await admin.timeout(3000).emitWithAck('events', { workshopId: 'sh-test', events: [{ id: `latency-${String(shSeq).padStart(6, '0')}`, type, at: new Date(t0 + shSeq * 60_000).toISOString(), technicianId: 'T1' }] });
        expect('results' in r && r.results[0]!.status).toBe('accepted');
        const acked = performance.now();
        const deadline = Date.now() + 5000;
        while (seen.some((m) => !m.has(shSeq)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        return seen.map((m) => (m.get(shSeq) ?? Infinity) - acked);
      };
      const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(0.95 * xs.length) - 1]!;
      const before: number[] = [];
      for (let i = 0; i < 10; i++) before.push(...(await measure()));

      const tcp = (slow.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
      tcp.pause();
      const during: number[] = [];
      let filling = true;
      const fill = (async () => {
        for (let n = 0; n < 1000 && (await hub.metrics.slowSocketsDropped.get()).values[0]!.value === 0; n++) {
          const type = n % 2 === 0 ? 'shift.clock_in' : 'shift.clock_out';
          await admin.timeout(3000).emitWithAck('events', { workshopId: 'big', events: [{ id: `bp2-${String(n).padStart(6, '0')}`, type, at: new Date(t0 + n * 60_000).toISOString(), technicianId: 'T1' }] });
          await new Promise((r) => setTimeout(r, 6));
        }
        filling = false;
      })();
      while (filling) {
        during.push(...(await measure()));
        await new Promise((r) => setTimeout(r, 20));
      }
      await fill;
      expect((await hub.metrics.slowSocketsDropped.get()).values[0]!.value).toBe(1);
      expect(during.length).toBeGreaterThan(0);
      // Nobody else was dropped, everyone has every change, and the delays stayed in the same range.
      expect(boards.every((b) => b.connected)).toBe(true);
      expect(during.every(Number.isFinite)).toBe(true);
      console.info(`100 boards: p95 ${p95(before).toFixed(1)} ms before, ${p95(during).toFixed(1)} ms while the slow board filled up`);
      expect(p95(during)).toBeLessThan(Math.max(250, 5 * p95(before)));
      tcp.resume();
    } finally {
      slow.close();
      admin.close();
      for (const b of boards) b.close();
      await hub.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Fills the workshop's terminal registry with the longest ids, so its snapshots are as large as a board's get. */
async function fillTerminalRegistry(url: string, ws: WorkshopConfig): Promise<void> {
  const tablets: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ['websocket'], auth: { token: TOKENS.admin }, reconnection: false, forceNew: true });
  try {
    for (let i = 0; i < terminalCapOf(ws); i++) {
      const ack = await tablets.timeout(3000).emitWithAck('terminal:hello', { workshopId: ws.id, terminalId: `tablet-${i}-`.padEnd(64, 'x'), bayId: ws.bays[i % ws.bays.length]!.id });
      expect(ack.ok).toBe(true);
    }
  } finally {
    tablets.close();
  }
}
