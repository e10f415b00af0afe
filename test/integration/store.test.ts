import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pitwallEvent, type PitwallEvent } from '../../shared/events.js';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';
import { DEFAULT_MAX_EVENT_AGE_MS } from '../../server/engine/projection.js';
import { DEDUPE_MARGIN_MS, DEFAULT_DEDUPE_WINDOW_MS, StoreUnavailableError, type EventStore, type StoreKind } from '../../server/store/event-store.js';
import { RedisEventStore, redisKeys } from '../../server/store/redis/redis-store.js';
import { MIGRATE_SCRIPT } from '../../server/store/redis/append-script.js';
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

const DAY0 = Date.parse('2026-10-01T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
/** A clock-in dated `atMs`, with id evt-<n>. */
function clockInAt(n: number, atMs: number): PitwallEvent {
  return pitwallEvent.parse({ id: `evt-${String(n).padStart(6, '0')}`, type: 'shift.clock_in', at: iso(atMs), technicianId: 'tech-1' });
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

  it('remembers an id while its event is inside the dedupe window (+ a day), and forgets it after', async () => {
    const store = await open();
    const first = clockInAt(1, DAY0);
    expect(await store.append('ws-1', [first], 0, iso(DAY0 + 60_000))).toEqual({ ok: true, seq: 1, duplicates: [false] });
    // 14 days + 23 h later: inside the window and its margin, still a duplicate.
    const late = DAY0 + DEFAULT_DEDUPE_WINDOW_MS + DEDUPE_MARGIN_MS - HOUR_MS;
    expect(await store.append('ws-1', [first, clockInAt(2, late)], 1, iso(late))).toEqual({ ok: true, seq: 2, duplicates: [true, false] });
    // Past the window and the margin: forgotten (the hub refuses such an event as too_old before the store).
    const past = DAY0 + DEFAULT_DEDUPE_WINDOW_MS + DEDUPE_MARGIN_MS + HOUR_MS;
    expect(await store.append('ws-1', [first, clockInAt(2, late)], 2, iso(past))).toEqual({ ok: true, seq: 3, duplicates: [false, true] });
    expect((await store.read('ws-1', 0, 10)).map((s) => s.event.id)).toEqual(['evt-000001', 'evt-000002', 'evt-000001']);
  });

  it('keeps the id window bounded over 60 days of events, and rebuilds it the same at reopen', async () => {
    const first = await open();
    // 8 batches of 3 a day, each dated over the 3 hours before its receivedAt.
    const perDay = 24;
    let seq = 0;
    for (let hour = 0; hour < 60 * 24; hour += 3) {
      const receivedAt = DAY0 + hour * HOUR_MS;
      const batch = [0, 1, 2].map((k) => clockInAt(seq + k + 1, receivedAt - k * HOUR_MS));
      expect(await first.append('ws-1', batch, seq, iso(receivedAt))).toMatchObject({ ok: true, seq: seq + 3 });
      seq += 3;
    }
    const kept = DEFAULT_DEDUPE_WINDOW_MS + DEDUPE_MARGIN_MS;
    // Redis trims on every write; the embedded store sweeps once a day of traffic (id-window.ts).
    const bound = ((kept + (harness.kind === 'embedded' ? DAY_MS : 0)) / DAY_MS) * perDay + perDay / 4;
    const check = async (store: EventStore, expectedSeq: number) => {
      const remembered = await store.rememberedIds('ws-1');
      expect(remembered).toBeGreaterThanOrEqual((kept / DAY_MS) * perDay - 3);
      expect(remembered).toBeLessThanOrEqual(bound);
      const lastAt = DAY0 + (60 * 24 - 3) * HOUR_MS;
      const now = iso(lastAt + HOUR_MS);
      // The newest batch is known; the first (60 days ago) is forgotten and taken again.
      expect(await store.append('ws-1', [clockInAt(seq, lastAt - 2 * HOUR_MS), clockInAt(1, DAY0)], expectedSeq, now)).toEqual({ ok: true, seq: expectedSeq + 1, duplicates: [true, false] });
    };
    await check(first, seq);
    await first.close();
    // Reopened: the same window from the log alone (embedded: the scan; redis: the keys).
    const second = await open();
    expect(await second.length('ws-1')).toBe(seq + 1);
    await check(second, seq + 1);
    expect((await second.read('ws-1', seq, 10)).map((s) => s.event.id)).toEqual(['evt-000001', 'evt-000001']);
  });

  it('trims the start of the log (mid-batch too): seqs unchanged, reads start at the first kept event, appends go on, all across reopen', async () => {
    const first = await open();
    await first.append('ws-1', range(1, 3), 0, RECEIVED_AT);
    await first.append('ws-1', range(4, 6, cancelled), 3, RECEIVED_AT);
    await first.append('ws-1', range(7, 10), 6, RECEIVED_AT);
    const before = await first.read('ws-1', 0, 100);
    expect(await first.firstSeq('ws-1')).toBe(1);
    await first.trim('ws-1', 4);
    expect(await first.firstSeq('ws-1')).toBe(5);
    expect(await first.length('ws-1')).toBe(10);
    expect(await first.read('ws-1', 0, 100)).toEqual(before.slice(4));
    expect(await first.read('ws-1', 6, 2)).toEqual(before.slice(6, 8));
    // Dedupe is the window's, not the hot log's: a trimmed id is still known.
    expect(await first.append('ws-1', [clockIn(2), clockIn(11)], 10, RECEIVED_AT)).toEqual({ ok: true, seq: 11, duplicates: [true, false] });
    await first.trim('ws-1', 2);
    expect(await first.firstSeq('ws-1')).toBe(5);
    await first.close();

    const second = await open();
    expect(await second.firstSeq('ws-1')).toBe(5);
    expect(await second.length('ws-1')).toBe(11);
    expect((await second.read('ws-1', 0, 100)).map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect((await second.read('ws-1', 4, 3)).map((e) => e.event)).toEqual(before.slice(4, 7).map((e) => e.event));
    // Past the end: everything goes, the numbering stays.
    await second.trim('ws-1', 1000);
    expect(await second.firstSeq('ws-1')).toBe(12);
    expect(await second.read('ws-1', 0, 100)).toEqual([]);
    expect(await second.append('ws-1', [clockIn(12)], 11, RECEIVED_AT)).toEqual({ ok: true, seq: 12, duplicates: [false] });
    await second.close();

    const third = await open();
    expect([await third.firstSeq('ws-1'), await third.length('ws-1')]).toEqual([12, 12]);
    expect(await third.read('ws-1', 0, 10)).toEqual([{ seq: 12, receivedAt: RECEIVED_AT, event: clockIn(12) }]);
    expect(await third.firstSeq('nobody')).toBe(1);
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

  it('holds its dedupe window equal to the hub\'s too_old window by default', () => {
    expect(DEFAULT_DEDUPE_WINDOW_MS).toBe(DEFAULT_MAX_EVENT_AGE_MS);
  });

  it('uses pinned, hash-tagged key names', async () => {
    expect(redisKeys('ws-1')).toEqual({ events: 'pitwall:{ws-1}:events', idWindow: 'pitwall:{ws-1}:idwin', legacyIds: 'pitwall:{ws-1}:ids', seq: 'pitwall:{ws-1}:seq' });
    const store = await connect();
    await store.append('ws-1', [clockIn(1), clockIn(2)], 0, RECEIVED_AT);
    expect(await admin.type('pitwall:{ws-1}:events')).toBe('stream');
    expect(await admin.zrange('pitwall:{ws-1}:idwin', '0', '-1', 'WITHSCORES')).toEqual(['evt-000001', String(Date.parse(clockIn(1).at)), 'evt-000002', String(Date.parse(clockIn(2).at))]);
    expect(await admin.exists('pitwall:{ws-1}:ids')).toBe(0);
    expect(await admin.get('pitwall:{ws-1}:seq')).toBe('2');
    expect(await admin.xrange('pitwall:{ws-1}:events', '-', '+')).toEqual([
      ['1-0', ['r', RECEIVED_AT, 'e', JSON.stringify(clockIn(1))]],
      ['2-0', ['r', RECEIVED_AT, 'e', JSON.stringify(clockIn(2))]],
    ]);
  });

  it('opens a Redis written before the id window (a SET of every id): moves it to the window at the first append', async () => {
    // 40 days of events, one every 6 hours, written as the append script before the window did.
    const keys = redisKeys('ws-1', 'legacy');
    const events = Array.from({ length: 160 }, (_, i) => clockInAt(i + 1, DAY0 + i * 6 * HOUR_MS));
    for (const [i, event] of events.entries()) {
      await admin.xadd(keys.events, `${i + 1}-0`, 'r', iso(Date.parse(event.at) + 5000), 'e', JSON.stringify(event));
      await admin.sadd(keys.legacyIds, event.id);
    }
    await admin.set(keys.seq, '160');
    const store = await connect({ keyPrefix: 'legacy' });
    expect(await store.length('ws-1')).toBe(160);

    const now = Date.parse(events.at(-1)!.at) + HOUR_MS;
    const outcome = await store.append('ws-1', [events.at(-1)!, events[0]!, clockInAt(999, now)], 160, iso(now));
    // The newest is known; the first (40 days old) is forgotten; the new one is written.
    expect(outcome).toEqual({ ok: true, seq: 162, duplicates: [true, false, false] });
    expect(await admin.exists(keys.legacyIds)).toBe(0);
    const cutoff = now - DEFAULT_DEDUPE_WINDOW_MS - DEDUPE_MARGIN_MS;
    const expected = [...events.filter((e) => Date.parse(e.at) >= cutoff), clockInAt(999, now)].flatMap((e) => [e.id, String(Date.parse(e.at))]);
    expect(await admin.zrange(keys.idWindow, '0', '-1', 'WITHSCORES')).toEqual(expected);
    // A second hub on the same keys finds the window built.
    const other = await connect({ keyPrefix: 'legacy' });
    expect(await other.append('ws-1', [events.at(-2)!], 0, iso(now))).toEqual({ ok: true, seq: 162, duplicates: [true] });
  });

  it('does not move the old id set while the log moves under it (a hub of the old version appending)', async () => {
    const keys = redisKeys('ws-1', 'moving');
    await admin.xadd(keys.events, '1-0', 'r', RECEIVED_AT, 'e', JSON.stringify(clockIn(1)));
    await admin.sadd(keys.legacyIds, 'evt-000001');
    await admin.set(keys.seq, '1');
    // Read up to seq 0, but the log is at 1 now: refused, nothing written.
    expect(await admin.eval(MIGRATE_SCRIPT, 3, keys.idWindow, keys.legacyIds, keys.seq, '0', '1', 'evt-000001')).toBe(0);
    expect([await admin.exists(keys.legacyIds), await admin.exists(keys.idWindow)]).toEqual([1, 0]);
    expect(await admin.eval(MIGRATE_SCRIPT, 3, keys.idWindow, keys.legacyIds, keys.seq, '1', '1', 'evt-000001')).toBe(1);
    expect([await admin.exists(keys.legacyIds), await admin.zscore(keys.idWindow, 'evt-000001')]).toEqual([0, '1']);
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
