import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pitwallEvent, type PitwallEvent, type StoredEvent } from '../../shared/events.js';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';
import { archivedMonths, readMonth } from '../../server/archive/archive-files.js';
import { archiveLockKey, localArchiveLock, redisArchiveLock, type ArchiveLock } from '../../server/archive/archive-lock.js';
import { archiveWorkshop, MIN_RETENTION_MS } from '../../server/archive/archive-workshop.js';
import { verifyWorkshop } from '../../server/archive/verify.js';
import type { EventStore } from '../../server/store/event-store.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';

/**
 * Retention and archive (issue 14, item 4): events older than the retention and covered by the
 * caller's bound leave the hot log for the archive, and archive + hot log stay the full history.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);
const DAY0 = Date.parse('2026-09-20T06:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const WS = 'ws-1';

function clockInAt(n: number, atMs: number): PitwallEvent {
  return pitwallEvent.parse({ id: `evt-${String(n).padStart(6, '0')}`, type: 'shift.clock_in', at: iso(atMs), technicianId: 'tech-1' });
}

/** 60 days, a batch of 4 every 8 hours (720 events), received over 3 calendar months. */
async function writeDays(store: EventStore): Promise<{ now: number; history: StoredEvent[] }> {
  let seq = 0;
  let last = DAY0;
  for (let hour = 0; hour < 60 * 24; hour += 8) {
    last = DAY0 + hour * HOUR_MS;
    const batch = [0, 1, 2, 3].map((k) => clockInAt(seq + k + 1, last - k * HOUR_MS));
    await store.append(WS, batch, seq, iso(last));
    seq += 4;
  }
  return { now: last + HOUR_MS, history: await store.read(WS, 0, 10_000) };
}

const embedded = embeddedHarness();
const redis = redisHarness();

describe.each([{ harness: embedded as Harness }, { harness: redis as Harness }])('archive on the $harness.kind store', ({ harness }) => {
  let admin: Redis | undefined;
  let dir: string;
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await harness.open();
    opened.push(store);
    return store;
  };
  /** Each call its own lock client for Redis (as two hubs would have); one process-wide lock for embedded. */
  let local: ArchiveLock;
  const lock = (): ArchiveLock => (harness.kind === 'redis' ? redisArchiveLock(admin!, { keyPrefix: `lock${Date.now()}` }) : local);

  beforeAll(async () => {
    await harness.setup();
    if (harness.kind === 'redis') {
      admin = new Redis(redis.server().url, { maxRetriesPerRequest: 1 });
    }
  });
  afterAll(async () => {
    admin?.disconnect();
    await harness.teardown();
  });
  beforeEach(async () => {
    await harness.fresh();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-archive-'));
    local = localArchiveLock();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('archives what is older than 35 days and covered by the bound; archive + hot log read back exactly the original log', async () => {
    const store = await open();
    const { now, history } = await writeDays(store);
    const opts = { now, retentionMs: MIN_RETENTION_MS, dir, lock: lock(), pageSize: 100 };
    const cutoff = now - MIN_RETENTION_MS;

    // The bound first: nothing past seq 100 goes, however old.
    expect(await archiveWorkshop(store, WS, { ...opts, upToSeq: 100 })).toMatchObject({ status: 'done', archived: 100, alreadyArchived: 0, firstSeq: 101 });
    const done = await archiveWorkshop(store, WS, { ...opts, upToSeq: history.length });
    const old = history.filter((e) => Date.parse(e.receivedAt) < cutoff);
    expect(done).toEqual({ status: 'done', archived: old.length - 100, alreadyArchived: 0, firstSeq: old.length + 1, months: ['2026-09', '2026-10'] });
    expect(await store.firstSeq(WS)).toBe(old.length + 1);
    expect(await store.length(WS)).toBe(history.length);

    expect(await archivedMonths(dir, WS)).toEqual(['2026-09', '2026-10']);
    const archived = [...(await readMonth(dir, WS, '2026-09')), ...(await readMonth(dir, WS, '2026-10'))];
    const hot = await store.read(WS, 0, 10_000);
    expect([...archived, ...hot]).toEqual(history);
    expect(hot.every((e) => Date.parse(e.receivedAt) >= cutoff)).toBe(true);
    const report = await verifyWorkshop(store, WS, dir, history);
    expect(report).toMatchObject({ archived: old.length, archivedUpTo: old.length, firstSeq: old.length + 1, length: history.length, overlap: 0, compared: history.length, problems: [] });

    // Appends go on after the trim; a second run with nothing old enough does nothing.
    expect(await store.append(WS, [clockInAt(9999, now)], history.length, iso(now))).toMatchObject({ ok: true, seq: history.length + 1 });
    expect(await archiveWorkshop(store, WS, { ...opts, upToSeq: history.length + 1 })).toEqual({ status: 'done', archived: 0, alreadyArchived: 0, firstSeq: old.length + 1, months: [] });
    expect((await verifyWorkshop(store, WS, dir)).problems).toEqual([]);
  });

  it('lets one of two archivers running at once write: the other finds the lock taken', async () => {
    const [a, b] = [await open(), await open()];
    const { now, history } = harness.kind === 'redis' ? await writeDays(a) : await writeDays(a);
    // Embedded: one process per data directory, so both runs share the store and the process's lock.
    const second = harness.kind === 'redis' ? b : a;
    const shared = lock();
    const opts = { now, retentionMs: MIN_RETENTION_MS, upToSeq: history.length, dir, lock: shared, pageSize: 50 };
    const results = await Promise.all([archiveWorkshop(a, WS, opts), archiveWorkshop(second, WS, opts)]);
    expect(results.map((r) => r.status).sort()).toEqual(['done', 'locked']);
    expect((await verifyWorkshop(a, WS, dir, history)).problems).toEqual([]);
    // Released: the next run may go (and has nothing left to do).
    expect(await archiveWorkshop(second, WS, opts)).toMatchObject({ status: 'done', archived: 0 });
  });

  it('re-runs a run interrupted between the archive write and the trim without a duplicate line', async () => {
    const store = await open();
    const { now, history } = await writeDays(store);
    const failing = Object.assign(Object.create(store) as EventStore, { trim: () => Promise.reject(new Error('killed before the trim')) });
    const opts = { now, retentionMs: MIN_RETENTION_MS, upToSeq: history.length, dir, lock: lock(), pageSize: 1000 };
    await expect(archiveWorkshop(failing, WS, opts)).rejects.toThrow(/killed before the trim/);
    expect(await store.firstSeq(WS)).toBe(1);
    const between = await verifyWorkshop(store, WS, dir, history);
    expect(between.problems).toEqual([]);
    expect(between.overlap).toBeGreaterThan(0);

    const again = await archiveWorkshop(store, WS, opts);
    expect(again).toMatchObject({ status: 'done', archived: 0, alreadyArchived: between.overlap });
    const after = await verifyWorkshop(store, WS, dir, history);
    expect(after).toMatchObject({ archived: between.overlap, overlap: 0, problems: [] });
  });

  it('stops without trimming when its lock was lost (expired, taken by another run)', async () => {
    const store = await open();
    const { now, history } = await writeDays(store);
    let extends_ = 0;
    // The lease holds for the first page, then is gone.
    const fading: ArchiveLock = { acquire: async () => ({ extend: async () => ++extends_ <= 1, release: async () => {} }) };
    const opts = { now, retentionMs: MIN_RETENTION_MS, upToSeq: history.length, dir, lock: fading, pageSize: 100 };
    await expect(archiveWorkshop(store, WS, opts)).rejects.toThrow(/archive lock was lost .* before trimming up to seq 100/);
    expect(await store.firstSeq(WS)).toBe(1);
    expect((await verifyWorkshop(store, WS, dir, history)).problems).toEqual([]);
  });

  it('refuses a retention under 35 days', async () => {
    const store = await open();
    await expect(archiveWorkshop(store, WS, { now: Date.now(), retentionMs: 34 * DAY_MS, upToSeq: 10, dir, lock: lock() })).rejects.toThrow(/at least 35 days/);
  });
});

describe('the Redis archive lock', () => {
  const harness = redisHarness();
  let client: Redis;
  beforeAll(async () => {
    await harness.setup();
    client = new Redis(harness.server().url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    client.disconnect();
    await harness.teardown();
  });

  it('is taken once, extended and released only by its holder, and expires', async () => {
    const lock = redisArchiveLock(client, { keyPrefix: 'lk', ttlMs: 300 });
    const lease = (await lock.acquire(WS))!;
    expect(lease).not.toBeNull();
    expect(await lock.acquire(WS)).toBeNull();
    expect(await lease.extend()).toBe(true);
    expect(await client.pttl(archiveLockKey(WS, 'lk'))).toBeGreaterThan(200);
    // Expired and taken by another: the old lease can neither extend nor release it.
    await new Promise((r) => setTimeout(r, 400));
    const other = (await lock.acquire(WS))!;
    expect(other).not.toBeNull();
    expect(await lease.extend()).toBe(false);
    await lease.release();
    expect(await lock.acquire(WS)).toBeNull();
    await other.release();
    expect(await client.exists(archiveLockKey(WS, 'lk'))).toBe(0);
  });
});

describe('npm run archive -- verify', () => {
  const harness = embeddedHarness();
  let dir: string;
  beforeEach(async () => {
    await harness.fresh();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-archive-'));
  });
  afterAll(() => harness.teardown());

  const verify = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/archive-cli.ts'), 'verify', ...args], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: '', PITWALL_DATA_DIR: harness.dir(), PITWALL_ARCHIVE_DIR: dir },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );

  it('says OK for a complete history (with a reference), and fails naming the gap when a month file is gone', { timeout: 60_000 }, async () => {
    const store = await harness.open();
    const { now, history } = await writeDays(store);
    await archiveWorkshop(store, WS, { now, retentionMs: MIN_RETENTION_MS, upToSeq: history.length, dir, lock: localArchiveLock() });
    const first = await store.firstSeq(WS);
    await store.close();
    const reference = path.join(dir, '..', `${path.basename(dir)}-reference.jsonl`);
    await writeFile(reference, history.map((e) => JSON.stringify(e) + '\n').join(''));

    const ok = await verify('--workshop', WS, '--reference', reference);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`OK   workshop ${WS}: archive ${first - 1} event(s) (seq 1–${first - 1}), hot log seq ${first}–${history.length}, ${history.length} compared with the reference`);
    expect((await verify()).code).toBe(0);

    await rm(path.join(dir, WS, '2026-09.jsonl.gz'));
    const bad = await verify('--workshop', WS);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL workshop ws-1: .*\n\s+seq 1 is missing from the archive/);
    expect(await readdir(dir)).toEqual([WS]);
    await rm(reference);
  });
});
