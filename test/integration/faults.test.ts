import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startHubProcess, type HubProcess } from '../helpers/hub-process.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { startTestHub } from '../helpers/test-hub.js';

/** Faults the hub must survive without losing an accepted event (issue "Scale-out and hardening"). */

const WS = 'sh-test';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const headers = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
async function postTo(url: string, events: unknown[]): Promise<{ status: number; results?: { id: string; status: string }[] }> {
  const res = await fetch(`${url}/api/v1/workshops/${WS}/events`, { method: 'POST', headers: headers(TOKENS.terminal), body: JSON.stringify({ events }) });
  const body = (await res.json()) as { results?: { id: string; status: string }[] };
  return { status: res.status, ...(body.results && { results: body.results }) };
}
async function logIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const res = await fetch(`${url}/api/v1/workshops/${WS}/events?limit=1000${after ? `&after=${after}` : ''}`, { headers: headers(TOKENS.admin) });
    const body = (await res.json()) as { events: StoredEvent[]; next: string | null };
    ids.push(...body.events.map((e) => e.event.id));
    after = body.next;
  } while (after !== null);
  return ids;
}

/**
 * 500 valid events: clock-ins and outs of the three technicians, alternating, a minute apart
 * from `start`; by default ending before now, for hub processes on the real clock.
 */
function bigBatch(tag: string, start = Date.now() - 510 * 60_000): PitwallEvent[] {
  const out: PitwallEvent[] = [];
  for (let i = 0; i < 500; i++) {
    const technicianId = `T${(i % 3) + 1}`;
    const type = Math.floor(i / 3) % 2 === 0 ? 'shift.clock_in' : 'shift.clock_out';
    const at = new Date(start + i * 60_000).toISOString();
    out.push({ id: `${tag}-${String(i).padStart(4, '0')}`, type, at, technicianId } as PitwallEvent);
  }
  return out;
}

async function configFile(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-faults-'));
  const file = path.join(dir, 'pitwall.json');
  await writeFile(file, JSON.stringify(testConfigJson()));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return { dir, file };
}

describe('faults', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true });
  });
  afterAll(() => redis.stop());

  it.each(['embedded', 'redis'] as const)('%s: kill -9 in the middle of a 500-event batch; the retried batch applies each event exactly once', { timeout: 60_000 }, async (kind) => {
    const { dir, file } = await configFile();
    const env = {
      PITWALL_CONFIG: file,
      PITWALL_DATA_DIR: path.join(dir, 'data'),
      ...(kind === 'redis' && { REDIS_URL: redis.url.replace(/\/?$/, `/${kind === 'redis' ? 1 + Math.floor(Math.random() * 14) : 0}`) }),
    };
    const batch = bigBatch(`kill9-${kind}`);
    let outcome: 'answered' | 'cut' = 'answered';
    for (let attempt = 0; attempt < 5; attempt++) {
      const hub = await startHubProcess(env);
      const inFlight = postTo(hub.url, batch).then(
        () => 'answered' as const,
        () => 'cut' as const,
      );
      // Kill while the 500-event append is being written (a few ms in) or just before.
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 10));
      await hub.kill('SIGKILL');
      outcome = await inFlight;
      if (outcome === 'cut') break;
    }
    const restarting = Date.now();
    const hub = await startHubProcess(env);
    const upAfter = Date.now() - restarting;
    cleanups.push(() => hub.kill('SIGTERM'));
    const before = await logIds(hub.url);
    console.info(`${kind}: kill -9 ${outcome === 'cut' ? 'cut the request' : 'came after the answer'}; the restarted hub served in ${upAfter} ms with ${before.length} of 500 events (all or nothing)`);
    // All or nothing of the batch made it: never half.
    expect([0, 500]).toContain(before.length);
    const retry = await postTo(hub.url, batch);
    expect(retry.status).toBe(200);
    const expected = before.length === 500 ? 'duplicate' : 'accepted';
    expect(new Set(retry.results!.map((r) => r.status))).toEqual(new Set([expected]));
    const after = await logIds(hub.url);
    expect(after).toEqual(batch.map((e) => e.id));
  });

  it('SIGTERM: answers the request in flight, closes sockets, exits 0 within a few seconds', { timeout: 30_000 }, async () => {
    const { dir, file } = await configFile();
    const hub = await startHubProcess({ PITWALL_CONFIG: file, PITWALL_DATA_DIR: path.join(dir, 'data') });
    cleanups.push(() => hub.kill('SIGKILL'));
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(hub.url, { transports: ['websocket'], auth: { token: TOKENS.board }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const inFlight = postTo(hub.url, bigBatch('sigterm'));
    await new Promise((r) => setTimeout(r, 5));
    const started = Date.now();
    hub.child.kill('SIGTERM');
    const answer = await inFlight.catch((err: Error) => ({ status: 0, error: err.message }));
    const code = await hub.exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    // A clean WebSocket close (not a timeout): boards reconnect by themselves to the next hub.
    expect(await disconnected).toBe('transport close');
    // The request in flight got its answer (it may also have arrived just after the hub stopped accepting).
    if (answer.status !== 0) expect(answer.status).toBe(200);
    // Whatever was answered accepted is in the log after a restart.
    const again = await startHubProcess({ PITWALL_CONFIG: file, PITWALL_DATA_DIR: path.join(dir, 'data') });
    cleanups.push(() => again.kill('SIGTERM'));
    const ids = await logIds(again.url);
    if (answer.status === 200) expect(ids).toHaveLength(500);
  });

  it('Redis down and back: /healthz 503 then 200, writes 503 then accepted on retry, boards go quiet then resume', { timeout: 60_000 }, async () => {
    const store = await RedisEventStore.connect(redis.url, { keyPrefix: `outage${Date.now()}` });
    const { hub, stop } = await startTestHub({ store, heartbeatMs: 200, clock: () => Date.parse(L('12:00')) });
    await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}`;
    cleanups.push(() => store.close());
    cleanups.push(() => stop());
    const board: Socket<ServerToClientEvents, ClientToServerEvents> = connect(url, { transports: ['websocket'], auth: { token: TOKENS.board } });
    cleanups.push(async () => board.close());
    const arrivals: number[] = [];
    board.on('snapshot', () => arrivals.push(Date.now()));
    await board.timeout(3000).emitWithAck('subscribe', WS);

    const first = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' });
    expect((await postTo(url, [first])).results![0]!.status).toBe('accepted');

    await redis.kill();
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 503 ? true : undefined), 5000, '/healthz 503');
    const during = ev('shift.clock_in', L('08:01'), { technicianId: 'T2' });
    const refused = await postTo(url, [during]);
    expect(refused.status).toBe(503);
    // While the store is away, boards get no fresh snapshot: their data visibly ages.
    const quietFrom = Date.now();
    await new Promise((r) => setTimeout(r, 800));
    expect(arrivals.filter((t) => t > quietFrom + 100)).toEqual([]);

    await redis.restart();
    const restartedAt = Date.now();
    await waitFor(async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined), 10_000, '/healthz 200 again');
    const healthyAfter = Date.now() - restartedAt;
    const retried = await waitFor(async () => {
      const r = await postTo(url, [during]);
      return r.status === 200 ? r : undefined;
    }, 10_000, 'the retried write');
    expect(['accepted', 'duplicate']).toContain(retried.results![0]!.status);
    const resumed = Date.now();
    await waitFor(async () => (arrivals.some((t) => t > resumed) ? true : undefined), 5000, 'snapshots to resume');
    const snap = (await (await fetch(`${url}/api/v1/workshops/${WS}/board?token=${TOKENS.board}`)).json()) as BoardSnapshot;
    expect(snap.seq).toBe(2);
    expect(snap.technicians.onShift).toBe(2);
    console.info(`Redis outage: /healthz 200 ${healthyAfter} ms after Redis came back, boards fed again ${Date.now() - restartedAt} ms after; events lost 0`);
  });

  it('two hubs, Redis stopped for 5 s while events flow into hub A: hub B ends with exactly what A has', { timeout: 60_000 }, async () => {
    const prefix = `split${Date.now()}`;
    const hubs = [];
    for (let i = 0; i < 2; i++) {
      const store = await RedisEventStore.connect(redis.url, { keyPrefix: prefix });
      const { hub, stop } = await startTestHub({ store, heartbeatMs: 500, adapterRedisUrl: redis.url, clock: () => Date.parse(L('23:00')) });
      await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => store.close());
      // Closes the hub, then its adapter.
      cleanups.push(() => stop());
      hubs.push({ hub, url: `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}` });
    }
    const [a, b] = hubs as [(typeof hubs)[0], (typeof hubs)[0]];
    const watcher: Socket<ServerToClientEvents, ClientToServerEvents> = connect(b.url, { transports: ['websocket'], auth: { token: TOKENS.board } });
    cleanups.push(async () => watcher.close());
    let last: BoardSnapshot | undefined;
    watcher.on('snapshot', (s) => (last = s));
    await watcher.timeout(3000).emitWithAck('subscribe', WS);

    // A terminal keeps posting to hub A, retrying what was refused, through a 5 s Redis outage.
    const events = bigBatch('split', Date.parse(L('00:00'))).slice(0, 60);
    const accepted = new Set<string>();
    let stopped = false;
    const feeder = (async () => {
      for (const e of events) {
        for (;;) {
          const r = await postTo(a.url, [e]).catch(() => ({ status: 0 }) as { status: number; results?: { id: string; status: string }[] });
          if (r.status === 200) {
            accepted.add(e.id);
            break;
          }
          await new Promise((res) => setTimeout(res, 100));
        }
        await new Promise((res) => setTimeout(res, 40));
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    await redis.kill();
    await new Promise((r) => setTimeout(r, 5000));
    await redis.restart();
    const restartedAt = Date.now();
    stopped = true;
    await feeder;
    const fedAt = Date.now();
    expect(stopped).toBe(true);
    expect(accepted.size).toBe(events.length);

    const aBoard = (await (await fetch(`${a.url}/api/v1/workshops/${WS}/board?token=${TOKENS.board}`)).json()) as BoardSnapshot;
    expect(aBoard.seq).toBe(events.length);
    await waitFor(async () => (last?.seq === aBoard.seq ? true : undefined), 10_000, "hub B's board to reach hub A's seq");
    console.info(`two hubs through a 5 s Redis outage: ${accepted.size} of ${events.length} events accepted (lost 0); the feeder done ${fedAt - restartedAt} ms after Redis came back, hub B's board equal to A's ${Date.now() - fedAt} ms after its last event`);
    const strip = (s: BoardSnapshot) => ({ ...s, asOf: undefined, alerts: undefined, terminals: undefined });
    expect(strip(last!)).toEqual(strip(aBoard));
    expect(await logIds(b.url)).toEqual(events.map((e) => e.id));
  });
});
