import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { Projection } from '../../server/engine/projection.js';
import type { Hub } from '../../server/hub.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import type { EventStore } from '../../server/store/event-store.js';
import { RedisEventStore, redisKeys } from '../../server/store/redis/redis-store.js';
import { CHECKPOINT_BLOB } from '../../server/workshops/checkpoints.js';
import type { PitwallEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Upgrades need no manual step: a data directory and a Redis written by the version before
 * checkpoints (commit bb41c5d; test/fixtures/upgrade-v1, five simulated days of sh-test: the
 * embedded log and mark, and a Redis RDB with the stream, the old id set and the counter) open
 * on this one. The first opening replays the log and builds the checkpoint and the past days'
 * reports, every answer is what the log says, a new event is taken (Redis moves the old id set
 * to the window), and the next start replays nothing.
 */
const FIXTURE = path.resolve('test/fixtures/upgrade-v1');
const DATES = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
const NOW = Date.parse('2026-11-20T23:00:00+08:00');
const WS = '/api/v1/workshops/sh-test';

async function wholeLog(store: EventStore): Promise<PitwallEvent[]> {
  const log: PitwallEvent[] = [];
  for (let page = await store.read('sh-test', 0, 5000); page.length > 0; page = await store.read('sh-test', log.length, 5000)) log.push(...page.map((e) => e.event));
  return log;
}

describe('a store written by the version before checkpoints', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function check(open: () => Promise<EventStore>): Promise<EventStore> {
    let store = await open();
    const log = await wholeLog(store);
    expect(log).toHaveLength(748);
    const { logger, lines } = capturingLogger('info');
    let hub: Hub = (await startTestHub({ store, clock: () => NOW, logger })).hub;
    const get = (h: Hub, route: string) => request(h.app).get(`${WS}/${route}`).set('Authorization', `Bearer ${TOKENS.lead}`);

    const board = (await get(hub, 'board')).body;
    const replay = new Projection(SHANGHAI);
    replay.apply(log);
    expect(board.seq).toBe(748);
    expect(board.kpis).toEqual(JSON.parse(JSON.stringify(replay.figures(NOW).kpis)));
    for (const d of DATES) expect((await get(hub, `daily?date=${d}`)).body, d).toEqual(dailyReport(log, SHANGHAI, d, NOW));
    expect(lines.map((l) => JSON.parse(l) as { msg: string; replayed?: number }).find((l) => l.msg === 'workshop replayed')).toMatchObject({ replayed: 748, checkpointSeq: 0 });

    const event = { id: 'after-upgrade-1', type: 'job.checked_in', at: new Date(NOW - 60_000).toISOString(), jobId: 'UPG-1', plate: '沪U00001', service: 'maintenance', standardMinutes: 30, customerWaiting: true };
    const post = () => request(hub.app).post(`${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [event] });
    expect((await post()).body.results[0].status).toBe('accepted');
    expect((await post()).body.results[0].status).toBe('duplicate');
    await hub.close();
    await store.close();

    store = await open();
    expect(await store.blobs.load('sh-test', CHECKPOINT_BLOB)).not.toBeNull();
    const again = capturingLogger('info');
    hub = (await startTestHub({ store, clock: () => NOW, logger: again.logger })).hub;
    expect((await get(hub, 'board')).body.seq).toBe(749);
    expect(again.lines.map((l) => JSON.parse(l) as { msg: string }).find((l) => l.msg === 'workshop replayed')).toMatchObject({ replayed: 0, checkpointSeq: 749 });
    await hub.close();
    return store;
  }

  it('the embedded store: the data directory as it was', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-upgrade-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(path.join(FIXTURE, 'data-dir'), dir, { recursive: true });
    const store = await check(() => EmbeddedEventStore.open(dir));
    await store.close();
  });

  it('Redis: the old id set is moved to the window at the first append', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-upgrade-redis-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(path.join(FIXTURE, 'redis', 'dump.rdb'), path.join(dir, 'dump.rdb'));
    const server: RedisServerHandle = await startRedisServer({ dir });
    cleanups.push(() => server.stop());
    const keys = redisKeys('sh-test');
    const client = new Redis(server.url);
    cleanups.push(async () => void client.disconnect());
    expect(await client.scard(keys.legacyIds)).toBe(748);
    const store = await check(() => RedisEventStore.connect(server.url));
    await store.close();
    expect(await client.exists(keys.legacyIds)).toBe(0);
    expect(await client.zcard(keys.idWindow)).toBeGreaterThan(0);
  });

  it('an old log with a clock-in dated 1970: the first replay walks the history window, not fifty years of days', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-upgrade-1970-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const writer = await EmbeddedEventStore.open(dir);
    const old: PitwallEvent[] = [{ id: 'old-1970-1', type: 'shift.clock_in', at: '1970-01-01T00:00:00.000Z', technicianId: 'T1' }];
    expect((await writer.append('sh-test', old, 0, '1970-01-01T00:00:00.000Z')).ok).toBe(true);
    const today: PitwallEvent[] = [{ id: 'now-1', type: 'shift.clock_in', at: new Date(NOW - 3_600_000).toISOString(), technicianId: 'T2' }];
    expect((await writer.append('sh-test', today, 1, new Date(NOW).toISOString())).ok).toBe(true);
    await writer.close();
    const store = await EmbeddedEventStore.open(dir);
    cleanups.push(() => store.close());
    const { logger, lines } = capturingLogger('info');
    const hub = (await startTestHub({ store, clock: () => NOW, logger })).hub;
    cleanups.push(() => hub.close());
    expect((await request(hub.app).get(`${WS}/board`).set('Authorization', `Bearer ${TOKENS.lead}`)).body.seq).toBe(2);
    const replayed = lines.map((l) => JSON.parse(l) as { msg: string; reports?: number }).find((l) => l.msg === 'workshop replayed')!;
    // Days older than the history's 401 are never taken: at most the window's finals are saved.
    expect(replayed.reports).toBeLessThanOrEqual(401);
  });
});
