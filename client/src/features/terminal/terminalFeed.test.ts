import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import type { EventResult, PitwallEvent } from '../../../../shared/events.js';
import type { JobView } from '../../../../shared/jobs.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import { SHANGHAI } from '../../../../test/fixtures/workshop.js';
import { snapshotAt1800 } from '../../lib/board-test-fixture.js';
import type { HubSocket } from '../../lib/hub-socket.js';
import { FakeHubSocket, MemoryStorage } from '../../lib/socket-test-fixture.js';
import { jobView, technicianView } from './terminal-test-fixture.js';
import { useTerminalStore } from './terminal-store.js';
import { HELLO_EVERY_MS, useTerminalFeed, type TerminalFeedOptions } from './terminalFeed.js';


/** The hub's side of the terminal's socket: every hello and subscription is taken. */
class FakeSocket extends FakeHubSocket {
  hellos: unknown[] = [];
  subscribes: string[] = [];

  override answer(event: string, payload: unknown): [null, unknown] {
    if (event === 'terminal:hello') {
      this.hellos.push(payload);
      return [null, { ok: true }];
    }
    if (event === 'subscribe') {
      this.subscribes.push(payload as string);
      return [null, { ok: true, snapshot: snapshotAt1800({ seq: 10 }) }];
    }
    throw new Error(`unexpected emit ${event}`);
  }
}

let socket: FakeSocket;
let storage: MemoryStorage;
let clock: number;
let hubUp: boolean;
let sent: PitwallEvent[][];
let lists: { jobs: JobView[]; technicians: TechnicianView[] };
const T0 = Date.parse('2026-11-21T02:00:00Z');

function start(overrides: Partial<TerminalFeedOptions> = {}, bay: string | null = 'B1') {
  const loadLists = vi.fn(async () => {
    if (!hubUp) throw new TypeError('Failed to fetch');
    return structuredClone(lists);
  });
  const send = vi.fn(async (_ws: string, _token: string, _terminal: string, events: PitwallEvent[]): Promise<EventResult[]> => {
    if (!hubUp) throw new TypeError('Failed to fetch');
    sent.push(events);
    return events.map((e) => ({ id: e.id, status: 'accepted' }));
  });
  const scope = effectScope();
  const feed = scope.run(() =>
    useTerminalFeed('sh-test', 'terminal-token', 'technician', bay, {
      connect: () => socket as unknown as HubSocket,
      loadWorkshop: async () => SHANGHAI,
      loadLists,
      send,
      storage,
      now: () => clock,
      refreshThrottleMs: 400,
      ...overrides,
    }),
  )!;
  return { feed, scope, loadLists, send, store: useTerminalStore() };
}

/** Lets promises settle under fake timers. */
async function flush() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('terminal feed', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
    socket = new FakeSocket();
    storage = new MemoryStorage();
    clock = T0;
    hubUp = true;
    sent = [];
    lists = { jobs: [jobView({ jobId: 'J1' })], technicians: [technicianView({ technicianId: 'T1', name: 'Zhang Wei' })] };
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says hello with its id and bay on connect and every 30 s, subscribes and loads the lists', async () => {
    const { feed, scope, store } = start();
    socket.fire('connect');
    await flush();
    expect(socket.hellos).toEqual([{ workshopId: 'sh-test', terminalId: feed.terminalId, bayId: 'B1' }]);
    expect(feed.terminalId).toMatch(/^tab-[A-Za-z0-9_-]{16}$/);
    expect(socket.subscribes).toEqual(['sh-test']);
    expect(store.connection).toBe('live');
    expect(store.workshop?.id).toBe('sh-test');
    expect(store.queue.map((j) => j.jobId)).toEqual(['J1']);

    vi.advanceTimersByTime(HELLO_EVERY_MS);
    expect(socket.hellos).toHaveLength(2);
    // Moving the tablet says so at once.
    feed.pickBay('B3');
    await flush();
    expect(socket.hellos.at(-1)).toMatchObject({ bayId: 'B3' });
    scope.stop();
    vi.advanceTimersByTime(HELLO_EVERY_MS);
    expect(socket.hellos).toHaveLength(3);
  });

  it('refetches the lists when a snapshot’s seq moved, throttled, and not when it did not', async () => {
    const { scope, loadLists } = start();
    socket.fire('connect');
    await flush();
    vi.advanceTimersByTime(1000);
    await flush();
    const base = loadLists.mock.calls.length;
    socket.fire('snapshot', snapshotAt1800({ seq: 10 }));
    vi.advanceTimersByTime(1000);
    await flush();
    expect(loadLists.mock.calls.length).toBe(base);
    for (let seq = 11; seq <= 15; seq++) {
      socket.fire('snapshot', snapshotAt1800({ seq }));
      clock += 20;
    }
    vi.advanceTimersByTime(1000);
    await flush();
    expect(loadLists.mock.calls.length).toBe(base + 1);
    // Another workshop's snapshot is none of its business.
    socket.fire('snapshot', { ...snapshotAt1800({ seq: 99 }), workshopId: 'bj-test' });
    vi.advanceTimersByTime(1000);
    await flush();
    expect(loadLists.mock.calls.length).toBe(base + 1);
    scope.stop();
  });

  it('queues taps while the hub is away, shows them pending, and sends them in order on reconnect', async () => {
    const { feed, scope, store } = start();
    socket.fire('connect');
    await flush();
    hubUp = false;
    socket.fire('disconnect', 'transport close');
    await flush();
    expect(store.connection).toBe('offline');
    feed.pickTechnician('T1');
    expect(feed.act('shift.clock_in', { technicianId: 'T1' })).toMatch(/^bay-/);
    expect(feed.act('job.started', { jobId: 'J1', bayId: 'B1', technicianId: 'T1' })).toMatch(/^bay-/);
    await flush();
    expect(store.waitingToSend).toBe(2);
    expect(store.myJobs.map((j) => [j.jobId, j.state, j.pending])).toEqual([['J1', 'in_progress', 'job.started']]);
    expect(sent).toEqual([]);

    hubUp = true;
    lists = {
      jobs: [jobView({ jobId: 'J1', state: 'in_progress', bayId: 'B1', technicianId: 'T1' })],
      technicians: [technicianView({ technicianId: 'T1', name: 'Zhang Wei', status: 'on_shift' })],
    };
    socket.fire('connect');
    await flush();
    vi.advanceTimersByTime(1000);
    await flush();
    expect(sent.map((batch) => batch.map((e) => e.type))).toEqual([['shift.clock_in', 'job.started']]);
    expect(sent[0]!.every((e) => e.at === new Date(T0).toISOString())).toBe(true);
    expect(store.waitingToSend).toBe(0);
    // The hub's state now, unmarked.
    expect(store.myJobs.map((j) => [j.jobId, j.state, j.pending])).toEqual([['J1', 'in_progress', null]]);
    expect(store.me).toMatchObject({ status: 'on_shift', pending: null });
    scope.stop();
  });

  it('after a reload without network: the same technician, bay, queue and waiting taps', async () => {
    const first = start();
    socket.fire('connect');
    await flush();
    first.feed.pickTechnician('T1');
    hubUp = false;
    first.feed.act('shift.clock_in', { technicianId: 'T1' });
    await flush();
    first.scope.stop();

    setActivePinia(createPinia());
    socket = new FakeSocket();
    const second = start({}, null);
    await flush();
    expect(second.store.technicianId).toBe('T1');
    expect(second.store.bayId).toBe('B1');
    expect(second.store.workshop?.name).toBe('Shanghai test');
    expect(second.store.queue.map((j) => j.jobId)).toEqual(['J1']);
    expect(second.store.waitingToSend).toBe(1);
    expect(second.feed.terminalId).toBe(first.feed.terminalId);
    // Offline a few seconds after opening, not "connecting" forever.
    vi.advanceTimersByTime(3000);
    expect(second.store.connection).toBe('offline');
    second.scope.stop();
  });
});
