import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.js';
import { RedisEventStore } from '../../server/store/redis/redis-store.js';
import type { PitwallEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Redis half a second away (250 ms each way through a delaying TCP proxy): slower answers,
 * but no error and no loss. The store's command timeout (1 s) is what makes a write during a
 * real outage fail fast; a slow Redis must stay inside it.
 */
describe('a Redis 500 ms away', () => {
  let redis: RedisServerHandle;
  let proxy: FlakyProxy;
  let store: RedisEventStore;
  let hub: Hub;

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = await startFlakyProxy(redis.port);
    store = await RedisEventStore.connect(`redis://127.0.0.1:${proxy.port}`, { keyPrefix: 'latency' });
    hub = (await startTestHub({ store, clock: () => Date.parse(L('18:00')), rateLimitPerMinute: 100_000 })).hub;
    proxy.setDelay(250);
  });
  afterAll(async () => {
    await hub?.close();
    await store?.close();
    await proxy?.close();
    await redis?.stop();
  });

  it('accepts every event of 40 concurrent requests, loses none, and stays healthy', { timeout: 60_000 }, async () => {
    const batches: PitwallEvent[][] = Array.from({ length: 40 }, (_, b) =>
      Array.from({ length: 5 }, (_, i) => ev('job.checked_in', L('09:00'), { jobId: `LAT-${b}-${i}`, plate: `沪L${b}${i}`, service: 'maintenance', standardMinutes: 30, customerWaiting: false })),
    );
    const started = Date.now();
    const answers = await Promise.all(batches.map((events) => request(hub.app).post('/api/v1/workshops/sh-test/events').set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events })));
    const took = Date.now() - started;
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(Array(5).fill('accepted'));
    }
    // It was slow (each append a round trip) but it was not serialised request by request: group commit.
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(40 * 500);
    expect((await request(hub.app).get('/healthz')).status).toBe(200);
    // Everything is in the log, once.
    const log = await store.read('sh-test', 0, 1000);
    expect(log).toHaveLength(200);
    expect(new Set(log.map((e) => e.event.id)).size).toBe(200);
    const board = await request(hub.app).get('/api/v1/workshops/sh-test/board').set('Authorization', `Bearer ${TOKENS.board}`);
    expect(board.body.seq).toBe(200);
    expect(board.body.jobs.waiting).toBe(200);
  });
});
