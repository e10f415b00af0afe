import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import type { Hub } from '../../server/hub.js';
import { Random } from '../../server/sim/random.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { EventStore } from '../../server/store/event-store.js';
import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS, localDate } from '../../shared/time.js';
import { TOKENS } from '../fixtures/config.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * Past days from day checkpoints and saved reports, not the whole log: every day's report
 * equals the whole-log definition (engine/daily.ts `dailyReport`, the implementation before
 * them) on the same day, across late events from offline terminals, days that became final and
 * a restart; and a past day's report reads about a week of the log, not all of it.
 */
const WS = '/api/v1/workshops/sh-test';
const DAYS = 24;
const FIRST = Date.parse('2026-10-20T12:00:00+08:00');
const dates = Array.from({ length: DAYS }, (_, d) => localDate(FIRST + d * DAY_MS, SHANGHAI.timezone));
/** A short too_old window, so that many of the run's days become final. */
const MAX_AGE_MS = 5 * DAY_MS;

/** Counts the events each read returns (how much of the log a request costs). */
function counting(store: EventStore): EventStore & { eventsRead: number } {
  const counted = Object.create(store) as EventStore & { eventsRead: number };
  counted.eventsRead = 0;
  counted.read = async (ws, after, limit) => {
    const page = await store.read(ws, after, limit);
    counted.eventsRead += page.length;
    return page;
  };
  return counted;
}

describe.each([{ harness: embeddedHarness() as Harness }, { harness: redisHarness() as Harness }])('$harness.kind store: past days', ({ harness }) => {
  let now = 0;
  let hub: Hub | null = null;
  let store: (EventStore & { eventsRead: number }) | null = null;
  async function start(): Promise<Hub> {
    store = counting(await harness.open());
    hub = (await startTestHub({ store, clock: () => now, rateLimitPerMinute: 1_000_000, maxEventAgeMs: MAX_AGE_MS })).hub;
    return hub;
  }
  async function stop(): Promise<void> {
    await hub?.close();
    await store?.close();
    hub = store = null;
  }
  const daily = async (h: Hub, date: string) => {
    const res = await request(h.app).get(`${WS}/daily?date=${date}`).set('Authorization', `Bearer ${TOKENS.lead}`);
    expect(res.status).toBe(200);
    return res.body as unknown;
  };

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(() => harness.fresh());
  afterEach(stop);

  it('every day equals the whole-log report, before and after a restart, at a week of log per report', async () => {
    const rnd = new Random(11);
    const h = await start();
    const log: PitwallEvent[] = [];
    let held: PitwallEvent[] = [];
    for (const [i, date] of dates.entries()) {
      const day = simulateDay({ config: SHANGHAI, date, seed: 300 + i, arrivalFactor: i % 7 >= 5 ? 2.1 : 1 });
      // An offline terminal: a few of each day's events arrive the next morning.
      const late = day.filter(() => rnd.next() < 0.03);
      // …after some of the next day's own events: late in the log, not only in time.
      const own = day.filter((e) => !late.includes(e));
      const send = [...own.slice(0, 20), ...held, ...own.slice(20)];
      held = late;
      // The hub's first tick of the day (the day checkpoint), then the day's events, then its last tick.
      now = Date.parse(`${date}T00:01:00+08:00`);
      await h.service.tick(now);
      // The manager reads yesterday's report first thing: kept, until today's late events for it arrive.
      if (i > 0) await daily(h, dates[i - 1]!);
      now = Date.parse(`${date}T23:59:00+08:00`);
      for (let at = 0; at < send.length; at += 250) {
        const res = await request(h.app).post(`${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: send.slice(at, at + 250) });
        expect(res.status).toBe(200);
        for (const [k, r] of (res.body.results as { status: string }[]).entries()) if (r.status === 'accepted') log.push(send[at + k]!);
      }
      await h.service.tick(now);
    }
    expect(log.length).toBeGreaterThan(DAYS * 60);

    const expected = new Map(dates.map((d) => [d, dailyReport(log, SHANGHAI, d, now)]));
    store!.eventsRead = 0;
    for (const d of dates) expect(await daily(h, d), d).toEqual(expected.get(d));
    // Days long past are read from their saved report or a day checkpoint: nowhere near the whole log per day.
    expect(store!.eventsRead / DAYS).toBeLessThan(log.length / 4);

    // Asked again: saved or cached, no replay at all for the final days.
    const final = dates.slice(0, DAYS - 8);
    store!.eventsRead = 0;
    for (const d of final) expect(await daily(h, d)).toEqual(expected.get(d));
    expect(store!.eventsRead).toBe(0);

    await stop();
    const again = await start();
    for (const d of dates) expect(await daily(again, d), `${d} after a restart`).toEqual(expected.get(d));
  });

  it('a log written before checkpoints (an upgrade): the first opening saves the past days, each equal to the whole-log report', async () => {
    const rnd = new Random(12);
    // Written as the previous version's hub wrote it: accepted events in the log, nothing else.
    const writer = await harness.open();
    const log: PitwallEvent[] = [];
    let held: PitwallEvent[] = [];
    for (const [i, date] of dates.entries()) {
      const day = simulateDay({ config: SHANGHAI, date, seed: 500 + i });
      const late = day.filter(() => rnd.next() < 0.03);
      // …after some of the next day's own events: late in the log, not only in time.
      const own = day.filter((e) => !late.includes(e));
      const send = [...own.slice(0, 20), ...held, ...own.slice(20)];
      held = late;
      const outcome = await writer.append('sh-test', send, log.length, `${date}T23:59:30+08:00`);
      expect(outcome.ok).toBe(true);
      log.push(...send);
    }
    await writer.close();
    now = Date.parse(`${dates.at(-1)}T23:59:40+08:00`);
    const expected = new Map(dates.map((d) => [d, dailyReport(log, SHANGHAI, d, now)]));

    const h = await start();
    expect((await request(h.app).get(`${WS}/board`).set('Authorization', `Bearer ${TOKENS.lead}`)).status).toBe(200);
    store!.eventsRead = 0;
    for (const d of dates) expect(await daily(h, d), d).toEqual(expected.get(d));
    // The final days were saved on the way through the log: asking for them read nothing more.
    const final = dates.filter((d) => Date.parse(`${d}T00:00:00+08:00`) + DAY_MS + MAX_AGE_MS + 60 * 60_000 < now);
    expect(final.length).toBeGreaterThan(DAYS - 8);
    store!.eventsRead = 0;
    for (const d of final) await daily(h, d);
    expect(store!.eventsRead).toBe(0);
  });
});
