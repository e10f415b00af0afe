import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import { DEMO_WORKSHOP } from '../../server/config/demo.js';
import { demoRota } from '../../server/sim/demo-day.js';
import { preloadDemoHistory } from '../../server/sim/demo-preload.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import { writeWholeLog } from '../../server/store/embedded/write-log.js';
import type { PitwallEvent } from '../../shared/events.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The demo's history written straight into the log with a checkpoint (server/sim/demo-preload.ts):
 * the log is one the store reads like its own, and a hub opening the checkpoint shows exactly what
 * a hub replaying that log from the start shows.
 */

const ADMIN = 'demo-preload-admin-0001';
const config = parseConfig({ workshops: [DEMO_WORKSHOP], tokens: [{ token: ADMIN, role: 'admin', workshops: ['*'] }] }, 'demo preload test config');
const workshop = config.workshops[0]!;
const SATURDAY = '2026-11-21';
const NOW = Date.parse(`${SATURDAY}T07:45:00+08:00`);

const dirs: string[] = [];
const hubs: TestHub[] = [];
const stores: EmbeddedEventStore[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'pitwall-preload-'));
  dirs.push(d);
  return d;
};

const event = (n: number, at: string): PitwallEvent => ({ id: `evt-preload-${String(n).padStart(4, '0')}`, type: 'shift.clock_in', at, technicianId: 'T1' });

describe('a whole log written at once', () => {
  it('is read back by the store as written, batch by batch, and never written over', async () => {
    const dir = await tempDir();
    const batches = [
      { receivedAt: '2026-11-20T18:00:00.000Z', events: [event(1, '2026-11-20T08:00:00+08:00'), event(2, '2026-11-20T09:00:00+08:00')] },
      { receivedAt: '2026-11-21T18:00:00.000Z', events: [] },
      { receivedAt: '2026-11-21T19:00:00.000Z', events: [event(3, '2026-11-21T08:00:00+08:00')] },
    ];
    expect(await writeWholeLog(dir, 'demo', batches)).toBe(3);
    const store = await EmbeddedEventStore.open(dir);
    stores.push(store);
    expect(await store.length('demo')).toBe(3);
    const read = await store.read('demo', 0, 10);
    expect(read.map((e) => [e.seq, e.receivedAt, e.event.id])).toEqual([
      [1, '2026-11-20T18:00:00.000Z', 'evt-preload-0001'],
      [2, '2026-11-20T18:00:00.000Z', 'evt-preload-0002'],
      [3, '2026-11-21T19:00:00.000Z', 'evt-preload-0003'],
    ]);
    await expect(writeWholeLog(dir, 'demo', batches)).rejects.toThrow(/EEXIST/);
  });
});

describe("the demo's history", () => {
  it('opens from its checkpoint with nothing replayed, and shows what a full replay of its log shows', { timeout: 60_000 }, async () => {
    const withCheckpoint = await tempDir();
    const pre = await preloadDemoHistory({ dataDir: withCheckpoint, workshop, date: SATURDAY, rota: demoRota(workshop), now: NOW, days: 14 });
    stores.push(pre.store);
    expect(pre.days).toBe(14);
    // The same log alone, in another directory: its hub replays it from the start.
    const replayOnly = await tempDir();
    await mkdir(path.join(replayOnly, 'events'));
    await copyFile(path.join(withCheckpoint, 'events', 'demo.jsonl'), path.join(replayOnly, 'events', 'demo.jsonl'));
    const other = await EmbeddedEventStore.open(replayOnly);
    stores.push(other);

    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const [a, b] = await Promise.all([pre.store, other].map((store, i) => startTestHub({ config, store, clock: () => NOW, ...(i === 0 && { logger }) })));
    hubs.push(a!, b!);
    const get = async (h: TestHub, p: string) => {
      const res = await request(h.hub.app).get(`/api/v1/workshops/demo/${p}`).set('Authorization', `Bearer ${ADMIN}`);
      expect(res.status, p).toBe(200);
      return res.body as Record<string, unknown>;
    };
    const views = ['board', 'history?from=2026-11-07&to=2026-11-20&bucket=day&by=daytype', 'staffing?hours=6', 'daily?date=2026-11-20'];
    for (const v of views) {
      const [fromCheckpoint, fromReplay] = await Promise.all([get(a!, v), get(b!, v)]);
      expect(fromCheckpoint, v).toEqual(fromReplay);
    }
    // Not two empty answers: the fortnight's weekdays and weekends, the staffing plan's two weeks.
    const history = (await get(a!, views[1]!)) as { rows: { key: string; sums: { checkedIn: number; surveys: number } }[] };
    expect(history.rows).toHaveLength(14);
    expect([...new Set(history.rows.map((r) => r.key))].sort()).toEqual(['weekday', 'weekend']);
    for (const r of history.rows) expect(r.sums.surveys).toBeGreaterThan(0);
    expect((await get(a!, 'staffing?hours=6')).weeksOfHistory).toBe(2);
    expect(((await get(a!, 'board')) as { seq: number }).seq).toBe(pre.events);
    const opened = lines.map((l) => JSON.parse(l) as { msg: string; replayed?: number; checkpointSeq?: number }).find((l) => l.msg === 'workshop replayed');
    expect(opened).toMatchObject({ replayed: 0, checkpointSeq: pre.events });
  });
});
