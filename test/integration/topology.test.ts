import { PITWALL_VERSION } from '../../shared/version.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { ev } from '../fixtures/workshop.js';
import { startHubProcess, type HubProcess } from '../helpers/hub-process.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';

/**
 * docker-compose.yml's topology with local processes (no Docker engine on the build machines):
 * redis-server with AOF and two hub processes sharing it; the load balancer's stickiness is
 * replaced by talking to each hub on its own port.
 */
describe('Redis with AOF and two hub processes', () => {
  let redis: RedisServerHandle;
  let dir: string;
  const hubs: HubProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ appendonly: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-topology-'));
    await writeFile(path.join(dir, 'pitwall.json'), JSON.stringify(testConfigJson()));
  });
  afterAll(async () => {
    for (const h of hubs) await h.kill('SIGKILL');
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a board on hub B with what a terminal posted to hub A, and survives hub A dying', { timeout: 60_000 }, async () => {
    const env = { REDIS_URL: redis.url, PITWALL_CONFIG: path.join(dir, 'pitwall.json'), PITWALL_DATA_DIR: path.join(dir, 'data') };
    const [a, b] = [await startHubProcess(env), await startHubProcess(env)];
    hubs.push(a, b);
    for (const h of [a, b]) expect(await (await fetch(`${h.url}/healthz`)).json()).toEqual({ status: 'ok', store: 'redis', version: PITWALL_VERSION });

    const board: Socket<ServerToClientEvents, ClientToServerEvents> = connect(b.url, { transports: ['websocket'], auth: { token: TOKENS.board } });
    const seen: BoardSnapshot[] = [];
    board.on('snapshot', (s) => seen.push(s));
    const ack = await board.timeout(5000).emitWithAck('subscribe', 'sh-test');
    expect(ack.ok).toBe(true);

    const now = new Date().toISOString();
    const post = (url: string, events: unknown[]) =>
      fetch(`${url}/api/v1/workshops/sh-test/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKENS.terminal}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ events }),
      });
    expect((await post(a.url, [ev('shift.clock_in', now, { technicianId: 'T1' })])).status).toBe(200);
    const deadline = Date.now() + 5000;
    while (!seen.some((s) => s.seq === 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)?.technicians.onShift).toBe(1);

    // Hub A dies; the terminal goes to hub B (the load balancer would send it there); nothing is lost.
    await a.kill('SIGKILL');
    expect((await post(b.url, [ev('shift.clock_in', now, { technicianId: 'T2' })])).status).toBe(200);
    while (!seen.some((s) => s.seq === 2) && Date.now() < deadline + 5000) await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)?.technicians.onShift).toBe(2);
    board.close();
  });
});
