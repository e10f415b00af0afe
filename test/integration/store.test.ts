import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pitwallEvent, type PitwallEvent } from '../../shared/events.js';
import { StoreUnavailableError, type EventStore, type StoreKind } from '../../server/store/event-store.js';
import { RedisEventStore, redisKeys } from '../../server/store/redis/redis-store.js';
import { embeddedHarness, redisClusterHarness, redisHarness, type Harness } from '../helpers/store-harness.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { retryUntilResolved } from '../helpers/retry.js';

/** The same contract, run against both stores: whatever passes here, the hub may rely on. */

const RECEIVED_AT = '2026-11-22T09:30:05.123+08:00';

/** A valid clock-in with id evt-<n, 6 digits> (checked against the real schema). */
function clockIn(n: number, technicianId = 'tech-1'): PitwallEvent {
  return pitwallEvent.parse({ id: `evt-${String(n).padStart(6, '0')}`, type: 'shift.clock_in', at: '2026-11-22T09:30:00+08:00', technicianId });
}

/** Multi-byte text, so byte offsets and character counts differ (the embedded store seeks by bytes). */
function cancelled(n: number): PitwallEvent {
  return pitwallEvent.parse({ id: `evt-${String(n).padStart(6, '0')}`, type: 'job.cancelled', at: '2026-11-22T10:00:00Z', jobId: `job-${n}`, reason: 'Kunde hat abgesagt – 客户取消 🚗' });
}

function range(from: number, to: number, make: (n: number) => PitwallEvent = clockIn): PitwallEvent[] {
  return Array.from({ length: to - from + 1 }, (_, i) => make(from + i));
}

const embedded = embeddedHarness();
const redis = redisHarness();
// The Redis store on a 6-node Redis Cluster; its failover: test/integration/redis-cluster.test.ts.
const cluster = redisClusterHarness();

describe.each([
  { harness: embedded as Harness, label: 'embedded' },
  { harness: redis as Harness, label: 'redis' },
  { harness: cluster as Harness, label: cluster.label },
])('$label store', ({ harness }) => {
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await harness.open();
    opened.push(store);
    return store;
  };

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(() => harness.fresh());
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('appends and reads back in order, with seqs and receivedAt, events unchanged', async () => {
    const store = await open();
    const events = [clockIn(1), cancelled(2), clockIn(3, 'tech-2')];
    expect(await store.append('ws-1', events, 0, RECEIVED_AT)).toEqual({ ok: true, seq: 3, duplicates: [false, false, false] });
    expect(await store.length('ws-1')).toBe(3);
    expect(await store.read('ws-1', 0, 100)).toEqual(events.map((event, i) => ({ seq: i + 1, receivedAt: RECEIVED_AT, event })));
  });

  it('flags duplicates within a batch and across batches and does not write them again', async () => {
    const store = await open();
    expect(await store.append('ws-1', [clockIn(1), clockIn(2), clockIn(1)], 0, RECEIVED_AT)).toEqual({ ok: true, seq: 2, duplicates: [false, false, true] });
    expect(await store.append('ws-1', [clockIn(2), clockIn(3), clockIn(3), clockIn(1)], 2, RECEIVED_AT)).toEqual({
      ok: true,
      seq: 3,
      duplicates: [true, false, true, true],
    });
    expect(await store.length('ws-1')).toBe(3);
    expect((await store.read('ws-1', 0, 100)).map((s) => [s.seq, s.event.id])).toEqual([
      [1, 'evt-000001'],
      [2, 'evt-000002'],
      [3, 'evt-000003'],
    ]);
  });

  it('on a version conflict writes nothing and answers the current seq', async () => {
    const store = await open();
    await store.append('ws-1', range(1, 2), 0, RECEIVED_AT);
    expect(await store.append('ws-1', [clockIn(3), clockIn(4)], 1, RECEIVED_AT)).toEqual({ ok: false, conflict: true, seq: 2 });
    expect(await store.append('ws-1', [clockIn(3)], 5, RECEIVED_AT)).toEqual({ ok: false, conflict: true, seq: 2 });
    expect(await store.length('ws-1')).toBe(2);
    // The conflicting ids were not recorded either: they are accepted on the retry.
    expect(await store.append('ws-1', [clockIn(3), clockIn(4)], 2, RECEIVED_AT)).toEqual({ ok: true, seq: 4, duplicates: [false, false] });
  });

  it('answers ok for an all-duplicate batch even with a stale expectedSeq', async () => {
    const store = await open();
    await store.append('ws-1', range(1, 3), 0, RECEIVED_AT);
    await store.append('ws-1', range(4, 5), 3, RECEIVED_AT);
    expect(await store.append('ws-1', [clockIn(2), clockIn(1)], 0, RECEIVED_AT)).toEqual({ ok: true, seq: 5, duplicates: [true, true] });
    expect(await store.length('ws-1')).toBe(5);
  });

  it('pages through 2,500 events with afterSeq and limit', async () => {
    const store = await open();
    // Every 7th event has multi-byte text, so pages start at byte offsets that differ from char offsets.
    const events = range(1, 2500, (n) => (n % 7 === 0 ? cancelled(n) : clockIn(n)));
    for (let seq = 0; seq < events.length; seq += 500) {
      expect(await store.append('ws-1', events.slice(seq, seq + 500), seq, RECEIVED_AT)).toMatchObject({ ok: true, seq: seq + 500 });
    }
    const seen: PitwallEvent[] = [];
    for (let after = 0; ; ) {
      const page = await store.read('ws-1', after, 333);
      if (page.length === 0) break;
      expect(page.length).toBe(Math.min(333, 2500 - after));
      expect(page.map((s) => s.seq)).toEqual(page.map((_, i) => after + i + 1));
      seen.push(...page.map((s) => s.event));
      after = page.at(-1)!.seq;
    }
    expect(seen).toEqual(events);
    expect((await store.read('ws-1', 2400, 1000)).map((s) => s.seq)).toEqual(range(2401, 2500).map((_, i) => 2401 + i));
    expect(await store.read('ws-1', 2498, 1)).toEqual([{ seq: 2499, receivedAt: RECEIVED_AT, event: events[2498] }]);
    expect(await store.read('ws-1', 2500, 10)).toEqual([]);
    expect(await store.read('ws-1', 0, 0)).toEqual([]);
  });

  it('keeps workshops apart', async () => {
    const store = await open();
    await store.append('ws-1', range(1, 3), 0, RECEIVED_AT);
    // The same ids in another workshop are not duplicates there.
    expect(await store.append('ws-2', range(1, 2), 0, RECEIVED_AT)).toEqual({ ok: true, seq: 2, duplicates: [false, false] });
    expect(await store.length('ws-1')).toBe(3);
    expect(await store.length('ws-2')).toBe(2);
    expect((await store.read('ws-2', 0, 10)).map((s) => s.event.id)).toEqual(['evt-000001', 'evt-000002']);
  });

  it('treats an unknown workshop as an empty log', async () => {
    const store = await open();
    expect(await store.length('nobody')).toBe(0);
    expect(await store.read('nobody', 0, 10)).toEqual([]);
  });

  it('keeps the log and the id set across close and reopen', async () => {
    const first = await open();
    await first.append('ws-1', range(1, 3), 0, RECEIVED_AT);
    await first.append('ws:2', [cancelled(9)], 0, RECEIVED_AT);
    const before = await first.read('ws-1', 0, 10);
    await first.close();

    const second = await open();
    expect(await second.length('ws-1')).toBe(3);
    expect(await second.read('ws-1', 0, 10)).toEqual(before);
    expect(await second.read('ws:2', 0, 10)).toEqual([{ seq: 1, receivedAt: RECEIVED_AT, event: cancelled(9) }]);
    expect(await second.append('ws-1', [clockIn(2), clockIn(4)], 3, RECEIVED_AT)).toEqual({ ok: true, seq: 4, duplicates: [true, false] });
  });

  it('lets exactly one of several concurrent appends with the same expectedSeq win', async () => {
    const store = await open();
    await store.append('ws-1', [clockIn(1)], 0, RECEIVED_AT);
    const outcomes = await Promise.all(range(0, 9).map((_, i) => store.append('ws-1', range(100 + i * 10, 102 + i * 10), 1, RECEIVED_AT)));
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual(Array(9).fill({ ok: false, conflict: true, seq: 4 }));
    expect(await store.length('ws-1')).toBe(4);
  });

  it('answers ping and describes itself', async () => {
    const store = await open();
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.kind).toBe(harness.kind);
    expect(store.describe()).toMatch(harness.kind === 'redis' ? /^redis(\+cluster)?:\/\/127\.0\.0\.1:\d+/ : /^embedded log at \//);
  });

  it('rejects calls after close with StoreUnavailableError', async () => {
    const store = await harness.open();
    await store.close();
    await expect(store.length('ws-1')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

// The embedded log's own format and integrity: test/integration/embedded-log.test.ts.

describe('redis store specifics', () => {
  let server: RedisServerHandle;
  let admin: Redis;
  const stores: RedisEventStore[] = [];
  const connect = async (opts?: { keyPrefix?: string }) => {
    const store = await RedisEventStore.connect(server.url, { ...opts, onError: () => {} });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer({ appendonly: true });
    admin = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    admin.on('error', () => {});
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  it('uses pinned, hash-tagged key names', async () => {
    expect(redisKeys('ws-1')).toEqual({ events: 'pitwall:{ws-1}:events', ids: 'pitwall:{ws-1}:ids', seq: 'pitwall:{ws-1}:seq' });
    const store = await connect();
    await store.append('ws-1', [clockIn(1), clockIn(2)], 0, RECEIVED_AT);
    expect(await admin.type('pitwall:{ws-1}:events')).toBe('stream');
    expect(await admin.type('pitwall:{ws-1}:ids')).toBe('set');
    expect(await admin.get('pitwall:{ws-1}:seq')).toBe('2');
    expect(await admin.xrange('pitwall:{ws-1}:events', '-', '+')).toEqual([
      ['1-0', ['r', RECEIVED_AT, 'e', JSON.stringify(clockIn(1))]],
      ['2-0', ['r', RECEIVED_AT, 'e', JSON.stringify(clockIn(2))]],
    ]);
  });

  it('treats a resent append (same events, same expectedSeq) as all duplicates', async () => {
    const store = await connect({ keyPrefix: 'resend' });
    const batch = [clockIn(1), clockIn(2), clockIn(3)];
    expect(await store.append('ws-1', batch, 0, RECEIVED_AT)).toEqual({ ok: true, seq: 3, duplicates: [false, false, false] });
    expect(await store.append('ws-1', batch, 0, RECEIVED_AT)).toEqual({ ok: true, seq: 3, duplicates: [true, true, true] });
    expect(await store.length('ws-1')).toBe(3);
  });

  it('lets exactly one of two hubs (two clients) win the same expectedSeq', async () => {
    const [a, b] = [await connect({ keyPrefix: 'hubs' }), await connect({ keyPrefix: 'hubs' })];
    const outcomes = await Promise.all([a.append('ws-1', range(1, 2), 0, RECEIVED_AT), b.append('ws-1', range(11, 13), 0, RECEIVED_AT)]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(await a.length('ws-1')).toBe(outcomes[0]!.ok ? 2 : 3);
  });

  it('fails fast while redis is down and recovers after a restart without losing acknowledged events', async () => {
    const store = await connect({ keyPrefix: 'crash' });
    for (let seq = 0; seq < 30; seq += 10) await store.append('ws-1', range(seq + 1, seq + 10), seq, RECEIVED_AT);
    await server.kill();

    const started = Date.now();
    const failed = store.append('ws-1', range(31, 35), 30, RECEIVED_AT);
    await expect(failed).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(store.length('ws-1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.read('ws-1', 0, 10)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);

    await server.restart();
    await retryUntilResolved(() => store.ping());
    // The rejected append may still have reached Redis (ioredis resends its queue after a
    // reconnect); retrying it as a terminal would is safe either way.
    const retried = await store.append('ws-1', range(31, 35), 30, RECEIVED_AT);
    expect(retried.ok && retried.seq).toBe(35);
    expect((await store.read('ws-1', 0, 100)).map((s) => s.event)).toEqual(range(1, 35));
  });
});
