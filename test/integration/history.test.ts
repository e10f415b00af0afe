import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { EventStore } from '../../server/store/event-store.js';
import { DAY_MS } from '../../shared/time.js';
import { TOKENS } from '../fixtures/config.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * The strategic layer over HTTP on both stores: twelve simulated days posted day by day (the
 * hub's tick compacts as its clock moves on, settling old hours into the roll-ups), then a hub started
 * afresh on the same log must answer every history query with the same numbers.
 */
const HISTORY = '/api/v1/workshops/sh-test/history';
const DATES = Array.from({ length: 12 }, (_, d) => new Date(Date.parse('2026-11-02T12:00:00Z') + d * DAY_MS).toISOString().slice(0, 10));

describe.each([{ harness: embeddedHarness() as Harness }, { harness: redisHarness() as Harness }])('$harness.kind store: history', ({ harness }) => {
  let now = 0;
  const opened: { hub: Hub; store: EventStore }[] = [];
  async function startHub(): Promise<Hub> {
    const store = await harness.open();
    // Twelve days posted in seconds: the per-token budget is not what this test is about.
    const hub = (await startTestHub({ store, clock: () => now, rateLimitPerMinute: 1_000_000 })).hub;
    opened.push({ hub, store });
    return hub;
  }
  const get = (hub: Hub, query: string, token: string = TOKENS.lead) => request(hub.app).get(`${HISTORY}?${query}`).set('Authorization', `Bearer ${token}`);

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(() => harness.fresh());
  afterEach(async () => {
    for (const { hub, store } of opened.splice(0)) {
      await hub.close();
      await store.close();
    }
  });

  it('answers the same after a restart as it did live, across compaction', async () => {
    const hub = await startHub();
    for (const [i, date] of DATES.entries()) {
      const events = simulateDay({ config: SHANGHAI, date, seed: 40 + i, arrivalFactor: i % 7 >= 5 ? 2.1 : 1 });
      now = Date.parse(`${date}T23:59:30+08:00`);
      for (let at = 0; at < events.length; at += 250) {
        const res = await request(hub.app).post('/api/v1/workshops/sh-test/events').set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: events.slice(at, at + 250) });
        expect(res.body.results.filter((r: { status: string }) => r.status !== 'accepted')).toEqual([]);
      }
      expect((await request(hub.app).get('/api/v1/workshops/sh-test/board').set('Authorization', `Bearer ${TOKENS.board}`)).status).toBe(200);
      // The tick is what compacts (and so settles history) as the clock moves on.
      await hub.service.tick(now);
    }
    const queries = ['from=2026-11-02&to=2026-11-13', 'from=2026-11-02&to=2026-11-13&by=technician', 'from=2026-11-02&to=2026-11-13&by=daytype', 'from=2026-11-09&to=2026-11-13&bucket=hour&fold=hourOfDay'];
    const live = await Promise.all(queries.map((q) => get(hub, q)));
    for (const res of live) expect(res.status).toBe(200);
    const days = live[0]!.body.rows as { label: string; sums: { completed: number; attendanceMin: number } }[];
    expect(days.map((r) => r.label)).toEqual(DATES);
    for (const d of days) expect(d.sums.completed).toBeGreaterThan(15);
    // Weekends (the 7th and 8th of the run) had 2.1× the cars.
    const byDaytype = live[2]!.body.rows as { key: string; sums: { checkedIn: number } }[];
    const perDay = (k: string, n: number) => byDaytype.filter((r) => r.key === k).reduce((a, r) => a + r.sums.checkedIn, 0) / n;
    expect(perDay('weekend', 2)).toBeGreaterThan(1.5 * perDay('weekday', 10));

    const fresh = await startHub();
    for (const [i, q] of queries.entries()) expect((await get(fresh, q)).body).toEqual(live[i]!.body);
  });

  it('refuses a bad query with the field, and a terminal token', async () => {
    const hub = await startHub();
    const bad = await get(hub, 'from=2026-11-02&to=2026-11-01&bucket=week');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['bucket']);
    const backwards = await get(hub, 'from=2026-11-02&to=2026-11-01');
    expect(backwards.body.error.details).toEqual([{ path: 'to', message: 'must not be before from' }]);
    expect((await get(hub, 'from=2026-11-02&to=2026-11-03', TOKENS.terminal)).status).toBe(403);
    now = Date.parse('2026-12-31T12:00:00+08:00');
    const tooOld = await get(hub, 'from=2026-11-02&to=2026-11-03&bucket=hour');
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.error.details).toEqual([{ path: 'from', message: 'hour buckets reach back 35 days; use bucket=day for older dates' }]);
  });
});
