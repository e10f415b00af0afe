import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyWorkshop } from '../../server/archive/verify.js';
import { encodeCheckpoint } from '../../server/engine/checkpoint.js';
import { dailyReport } from '../../server/engine/daily.js';
import { Projection } from '../../server/engine/projection.js';
import type { Hub } from '../../server/hub.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { EventStore } from '../../server/store/event-store.js';
import { CHECKPOINT_BLOB } from '../../server/workshops/checkpoints.js';
import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import { DAY_MS, localDate } from '../../shared/time.js';
import { TOKENS } from '../fixtures/config.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Retention: the hub archives the hot log's events older than the retention once a day and
 * trims them, losing nothing. The archive plus the hot log is the whole history (the verify
 * command's check), every past day's report is what the whole log says, a report with no saved
 * copy is rebuilt from the archive, and a hub whose checkpoint is damaged replays archive + hot
 * log to the same board.
 */
const WS = '/api/v1/workshops/sh-test';
const DAYS = 50;
const RETENTION_MS = 35 * DAY_MS;
const FIRST = Date.parse('2026-09-01T12:00:00+08:00');
const dates = Array.from({ length: DAYS }, (_, d) => localDate(FIRST + d * DAY_MS, SHANGHAI.timezone));

describe.each([{ harness: embeddedHarness() as Harness }, { harness: redisHarness() as Harness }])('$harness.kind store: retention and archive', ({ harness }) => {
  const now = Date.parse(`${dates.at(-1)}T23:59:40+08:00`);
  let hub: Hub | null = null;
  let store: EventStore | null = null;
  let archiveDir = '';

  async function start() {
    store = await harness.open();
    const { logger, lines } = capturingLogger('info');
    hub = (await startTestHub({ store, clock: () => now, rateLimitPerMinute: 1_000_000, archiveDir, logRetentionMs: RETENTION_MS, logger })).hub;
    return { hub, logged: (msg: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg) };
  }
  async function stop() {
    await hub?.close();
    await store?.close();
    hub = store = null;
  }
  const get = (h: Hub, route: string) => request(h.app).get(`${WS}/${route}`).set('Authorization', `Bearer ${TOKENS.lead}`);

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    await harness.fresh();
    archiveDir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-archive-'));
  });
  afterEach(async () => {
    await stop();
    await rm(archiveDir, { recursive: true, force: true });
  });

  it('archives and trims what is older than the retention, and loses nothing', { timeout: 60_000 }, async () => {
    const writer = await harness.open();
    const log: PitwallEvent[] = [];
    const stored: StoredEvent[] = [];
    for (const [i, date] of dates.entries()) {
      const day = simulateDay({ config: SHANGHAI, date, seed: 700 + i });
      const receivedAt = `${date}T23:59:30+08:00`;
      expect((await writer.append('sh-test', day, log.length, receivedAt)).ok).toBe(true);
      for (const e of day) stored.push({ seq: stored.length + 1, receivedAt, event: e });
      log.push(...day);
    }
    await writer.close();

    const first = await start();
    const board = (await get(first.hub, 'board')).body;
    await first.hub.service.tick(now);
    const [archived] = first.logged('old events archived and trimmed from the hot log');
    expect(archived).toMatchObject({ workshopId: 'sh-test', status: 'done' });
    // Events received more than 35 days ago left the hot log.
    const firstSeq = await store!.firstSeq('sh-test');
    expect(firstSeq).toBe(stored.findIndex((e) => Date.parse(e.receivedAt) >= now - RETENTION_MS) + 1);
    expect(firstSeq).toBeGreaterThan(1000);

    // Archive + hot log = the whole history, event for event (the verify command's check).
    const report = await verifyWorkshop(store!, 'sh-test', archiveDir, stored);
    expect(report.problems).toEqual([]);
    expect(report.compared).toBe(stored.length);

    const expected = new Map(dates.map((d) => [d, dailyReport(log, SHANGHAI, d, now)]));
    for (const d of dates) expect((await get(first.hub, `daily?date=${d}`)).body, d).toEqual(expected.get(d));

    // A past day whose saved report is gone is rebuilt from the archive.
    for (const d of dates.slice(0, 5)) await store!.blobs.remove('sh-test', `report-${d}`);
    await stop();
    const second = await start();
    for (const d of dates.slice(0, 5)) expect((await get(second.hub, `daily?date=${d}`)).body, `${d} rebuilt`).toEqual(expected.get(d));

    // A damaged checkpoint: the whole history replayed from archive + hot log, the same board.
    await stop();
    const s = await harness.open();
    await s.blobs.save('sh-test', CHECKPOINT_BLOB, Buffer.from('damaged'));
    await s.close();
    const third = await start();
    const after = (await get(third.hub, 'board')).body;
    expect({ ...after, alerts: [] }).toEqual({ ...board, alerts: [] });
    expect(third.logged('workshop replayed')[0]).toMatchObject({ seq: log.length, replayed: log.length, checkpointSeq: 0 });

    // A checkpoint older than the hot log (a stale hub wrote it back after the trim): refused, replayed from archive + hot log.
    await stop();
    const early = new Projection(SHANGHAI);
    early.apply(log.slice(0, 100));
    const w = await harness.open();
    await w.blobs.save('sh-test', CHECKPOINT_BLOB, encodeCheckpoint({ workshopId: 'sh-test', seq: early.seq, data: early.toData() }));
    await w.close();
    const fourth = await start();
    expect({ ...(await get(fourth.hub, 'board')).body, alerts: [] }).toEqual({ ...board, alerts: [] });
    expect(fourth.logged('checkpoint ignored; replaying the whole log')[0]).toMatchObject({ reason: `it covers the log up to seq 100 but the hot log starts at ${firstSeq} (the rest is archived)` });
  });
});
