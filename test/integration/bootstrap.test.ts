import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapHub } from '../../server/bootstrap.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import type { EventStore } from '../../server/store/event-store.js';
import { testConfig, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { NOW } from '../helpers/test-hub.js';

/**
 * server/bootstrap.ts takes either a store location (opened there, closed by `stop()`) or an
 * opened store (used as it is, left to its opener). An embedded store keeps its own `dataDir`
 * field, so telling the two apart by that name once took every given store for a location
 * and opened a second store over the same files: a wrapped store's fault injection never ran.
 */

const WS = 'sh-test';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function openedStore(): Promise<EmbeddedEventStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-boot-'));
  const store = await EmbeddedEventStore.open(dir);
  cleanup.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}

async function boot(store: EventStore) {
  const booted = await bootstrapHub({ config: testConfig(), logger: pino({ level: 'silent' }), clock: () => NOW, store });
  cleanup.push(() => booted.stop());
  return booted;
}

const post = (app: Parameters<typeof request>[0], id: string) =>
  request(app).post(`/api/v1/workshops/${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }, id)] });

describe('the bootstrap, given an opened store', () => {
  it('serves from that very store and leaves it open at stop', async () => {
    const store = await openedStore();
    const { hub, store: used, stop } = await boot(store);
    expect(used).toBe(store);
    expect((await post(hub.app, 'ev-boot-0001')).body).toEqual({ results: [{ id: 'ev-boot-0001', status: 'accepted' }] });
    expect(await store.length(WS)).toBe(1);
    await stop();
    // Still the test's: readable after the hub has gone.
    expect((await store.read(WS, 0, 10)).map((e) => e.event.id)).toEqual(['ev-boot-0001']);
  });

  it('uses a wrapped store as given (fault injection reaches the hub)', async () => {
    const real = await openedStore();
    const appended: string[] = [];
    const wrapped: EventStore = Object.assign(Object.create(real) as EventStore, {
      append: (...args: Parameters<EventStore['append']>) => {
        appended.push(...args[1].map((e) => e.id));
        return real.append(...args);
      },
    });
    const { hub, store: used } = await boot(wrapped);
    expect(used).toBe(wrapped);
    expect((await post(hub.app, 'ev-boot-0002')).status).toBe(200);
    expect(appended).toEqual(['ev-boot-0002']);
  });
});

describe('the bootstrap, given a store location', () => {
  it("opens the store with the hub's too_old window as its dedupe window (PITWALL_MAX_EVENT_AGE_DAYS)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-boot-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const DAY = 86_400_000;
    const booted = await bootstrapHub({ config: testConfig(), logger: pino({ level: 'silent' }), clock: () => NOW, store: { dataDir: dir }, maxEventAgeMs: 2 * DAY });
    cleanup.push(() => booted.stop());
    const event = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }, 'ev-boot-0003');
    const at = Date.parse(event.at);
    await booted.store.append(WS, [event], 0, new Date(at).toISOString());
    // 2 days + the 1-day margin: still known; past it, forgotten (the default 14 days would still know it).
    expect(await booted.store.append(WS, [event], 1, new Date(at + 3 * DAY - 60_000).toISOString())).toEqual({ ok: true, seq: 1, duplicates: [true] });
    expect(await booted.store.append(WS, [event], 1, new Date(at + 3 * DAY + 60_000).toISOString())).toEqual({ ok: true, seq: 2, duplicates: [false] });
  });
});
