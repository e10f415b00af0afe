import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION } from '../../server/engine/checkpoint.js';
import type { Hub } from '../../server/hub.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { EventStore } from '../../server/store/event-store.js';
import { CHECKPOINT_BLOB } from '../../server/workshops/checkpoints.js';
import { DAY_MS } from '../../shared/time.js';
import { TOKENS } from '../fixtures/config.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * A hub stopped and started again answers from its checkpoint plus the tail of the log, with
 * exactly what it answered before; a checkpoint it cannot trust (damaged, another format
 * version, ahead of the log) is logged and the whole log replayed: never a wrong board.
 */
const WS = '/api/v1/workshops/sh-test';
const DATES = Array.from({ length: 5 }, (_, d) => new Date(Date.parse('2026-11-09T12:00:00Z') + d * DAY_MS).toISOString().slice(0, 10));
const READS = ['board', 'jobs', 'technicians', 'forecast', 'staffing', 'series', `history?from=${DATES[0]}&to=${DATES.at(-1)}&by=technician`, `history?from=${DATES[2]}&to=${DATES.at(-1)}&bucket=hour`];

describe.each([{ harness: embeddedHarness() as Harness }, { harness: redisHarness() as Harness }])('$harness.kind store: restart from a checkpoint', ({ harness }) => {
  const now = Date.parse(`${DATES.at(-1)}T17:00:00+08:00`);
  let hub: Hub | null = null;
  let store: EventStore | null = null;

  async function start(): Promise<{ hub: Hub; replayed: () => { seq: number; checkpointSeq: number; replayed: number }; warnings: () => string[] }> {
    store = await harness.open();
    const { logger, lines } = capturingLogger('info');
    hub = (await startTestHub({ store, clock: () => now, rateLimitPerMinute: 1_000_000, logger })).hub;
    const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    return {
      hub,
      replayed: () => parsed().find((l) => l.msg === 'workshop replayed' && l.workshopId === 'sh-test') as never,
      warnings: () => parsed().filter((l) => l.level === 40).map((l) => `${l.msg as string} (${l.reason as string})`),
    };
  }
  async function stop(): Promise<void> {
    await hub?.close();
    await store?.close();
    hub = store = null;
  }
  async function withStore<T>(use: (s: EventStore) => Promise<T>): Promise<T> {
    const s = await harness.open();
    try {
      return await use(s);
    } finally {
      await s.close();
    }
  }
  /** Every read, the board without its alerts: the lights' anti-flap history is the tick's, not the log's, and starts afresh with every hub. */
  const answers = (h: Hub) =>
    Promise.all(
      READS.map(async (r) => {
        const body = (await request(h.app).get(`${WS}/${r}`).set('Authorization', `Bearer ${TOKENS.lead}`)).body as Record<string, unknown>;
        return r === 'board' ? { ...body, alerts: undefined } : body;
      }),
    );

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(() => harness.fresh());
  afterEach(stop);

  async function liveWeek(): Promise<{ seq: number; before: unknown[] }> {
    const { hub: h } = await start();
    for (const [i, date] of DATES.entries()) {
      const events = simulateDay({ config: SHANGHAI, date, seed: 70 + i }).filter((e) => Date.parse(e.at) <= now);
      for (let at = 0; at < events.length; at += 250) {
        const res = await request(h.app).post(`${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: events.slice(at, at + 250) });
        expect(res.status).toBe(200);
      }
      await h.service.tick(Math.min(now, Date.parse(`${date}T23:59:00+08:00`)));
    }
    const before = await answers(h);
    const seq = await store!.length('sh-test');
    await stop();
    return { seq, before };
  }

  it('replays nothing after a clean stop, and answers exactly as before', async () => {
    const { seq, before } = await liveWeek();
    expect(seq).toBeGreaterThan(500);
    const again = await start();
    expect(await answers(again.hub)).toEqual(before);
    expect(again.replayed()).toMatchObject({ seq, checkpointSeq: seq, replayed: 0 });
  });

  it('replays only the tail written after the checkpoint', async () => {
    const { seq, before } = await liveWeek();
    const saved = await withStore((st) => st.blobs.load('sh-test', CHECKPOINT_BLOB));
    const second = await start();
    const extra = [{ id: 'tail-check-in-1', type: 'job.checked_in', at: new Date(now - 60_000).toISOString(), jobId: 'TAIL-1', plate: '沪A12345', service: 'maintenance', standardMinutes: 30, customerWaiting: true }];
    expect((await request(second.hub.app).post(`${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: extra })).body.results[0].status).toBe('accepted');
    const withTail = await answers(second.hub);
    expect(withTail).not.toEqual(before);
    await stop();
    // As if that hub had crashed before its shutdown save: the checkpoint on file is the old one.
    await withStore((st) => st.blobs.save('sh-test', CHECKPOINT_BLOB, saved!));
    const third = await start();
    expect(await answers(third.hub)).toEqual(withTail);
    expect(third.replayed()).toMatchObject({ seq: seq + 1, checkpointSeq: seq, replayed: 1 });
  });

  it.each([
    ['damaged', 'byte', 'checksum mismatch (damaged)'],
    ['of another format version', 'version', `format version ${CHECKPOINT_VERSION + 1}, this hub reads ${CHECKPOINT_VERSION}`],
  ] as const)('a checkpoint %s is ignored with the reason, and the whole log replayed', async (_what, how, reason) => {
    const { seq, before } = await liveWeek();
    const good = await withStore((st) => st.blobs.load('sh-test', CHECKPOINT_BLOB));
    await withStore((st) => st.blobs.save('sh-test', CHECKPOINT_BLOB, spoilBuffer(good!, how)));
    const again = await start();
    expect(await answers(again.hub)).toEqual(before);
    expect(again.warnings()).toContain(`checkpoint ignored; replaying the whole log (${reason})`);
    expect(again.replayed()).toMatchObject({ seq, checkpointSeq: 0, replayed: seq });
  });

  it('a checkpoint ahead of the log (the log was reset) is ignored', async () => {
    const { seq } = await liveWeek();
    const good = await withStore((st) => st.blobs.load('sh-test', CHECKPOINT_BLOB));
    await harness.fresh();
    await withStore((st) => st.blobs.save('sh-test', CHECKPOINT_BLOB, good!));
    const again = await start();
    const board = (await request(again.hub.app).get(`${WS}/board`).set('Authorization', `Bearer ${TOKENS.lead}`)).body;
    expect(again.warnings()).toContain(`checkpoint ignored; replaying the whole log (it covers the log up to seq ${seq} but the log ends at 0)`);
    expect(board.seq).toBe(0);
    expect(again.replayed()).toMatchObject({ seq: 0, checkpointSeq: 0 });
  });
});

function spoilBuffer(good: Buffer, how: 'version' | 'byte'): Buffer {
  const bad = Buffer.from(good);
  if (how === 'version') bad.writeUInt32BE(CHECKPOINT_VERSION + 1, 4);
  else bad[bad.length >> 1] = bad[bad.length >> 1]! ^ 1;
  return bad;
}
