import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope, nextTick } from 'vue';
import type { DaySeries } from '../../../../shared/series.js';
import type { SubscribeAck } from '../../../../shared/socket.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { ApiRequestError } from '../../lib/api.js';
import { seriesAt1800, snapshotAt1800, WORKSHOP } from '../../lib/board-test-fixture.js';
import type { HubSocket } from '../../lib/hub-socket.js';
import { FakeHubSocket } from '../../lib/socket-test-fixture.js';
import { useBoardStore } from './board-store.js';
import { SERIES_EVERY_MS, useBoardFeed, type BoardFeedOptions } from './useBoardFeed.js';

/** The hub's side of the board's socket: it answers `subscribe` with `reply`. */
class FakeSocket extends FakeHubSocket {
  subscribes: string[] = [];
  reply: SubscribeAck | 'no-answer' = { ok: true, snapshot: snapshotAt1800() };

  override answer(event: string, workshopId: unknown): [Error] | [null, unknown] {
    expect(event).toBe('subscribe');
    this.subscribes.push(workshopId as string);
    return this.reply === 'no-answer' ? [new Error('operation has timed out')] : [null, this.reply];
  }
}

let socket: FakeSocket;
let clock: number;
const T0 = 1_800_000_000_000;

function start(overrides: Partial<BoardFeedOptions> = {}, token: string | null = 'board-token') {
  const loadWorkshop = vi.fn<(ws: string, token: string) => Promise<WorkshopConfig>>(async () => WORKSHOP);
  const loadSeries = vi.fn<(ws: string, token: string) => Promise<DaySeries>>(async () => seriesAt1800());
  const scope = effectScope();
  const feed = scope.run(() =>
    useBoardFeed('sh-test', token, {
      connect: () => socket as unknown as HubSocket,
      loadWorkshop,
      loadSeries,
      now: () => clock,
      ...overrides,
    }),
  )!;
  return { feed, scope, loadWorkshop, loadSeries, store: useBoardStore() };
}

/** Lets the feed's promises (config, series) settle. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await nextTick();
};

describe('useBoardFeed', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
    socket = new FakeSocket();
    clock = T0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('subscribes on connect and shows the snapshot, config and series', async () => {
    const { store, loadWorkshop, loadSeries, scope } = start();
    socket.fire('connect');
    await settle();
    expect(socket.subscribes).toEqual(['sh-test']);
    expect(store.connection).toBe('live');
    expect(store.snapshot?.seq).toBe(35);
    expect(store.receivedAt).toBe(T0);
    expect(store.workshop?.name).toBe('Shanghai test');
    expect(store.series?.date).toBe('2026-11-21');
    expect(loadWorkshop).toHaveBeenCalledWith('sh-test', 'board-token');
    expect(loadSeries).toHaveBeenCalledTimes(1);
    scope.stop();
  });

  it('re-subscribes on every reconnect and says since when it was offline', async () => {
    const { store, loadWorkshop, scope } = start();
    socket.fire('connect');
    await settle();
    clock = T0 + 60_000;
    socket.fire('disconnect', 'transport close');
    expect(store.fresh).toMatchObject({ kind: 'offline', since: T0 + 60_000 });
    clock = T0 + 90_000;
    socket.fire('connect_error', new Error('xhr poll error'));
    expect(store.offlineSince).toBe(T0 + 60_000);
    clock = T0 + 120_000;
    socket.fire('connect');
    await settle();
    expect(socket.subscribes).toEqual(['sh-test', 'sh-test']);
    expect(store.fresh.kind).toBe('live');
    expect(store.receivedAt).toBe(T0 + 120_000);
    // The config is loaded once.
    expect(loadWorkshop).toHaveBeenCalledTimes(1);
    scope.stop();
  });

  it('reconnects by itself when the hub closed the socket on purpose', async () => {
    const { scope } = start({ retryMs: 3000 });
    socket.fire('connect');
    socket.fire('disconnect', 'io server disconnect');
    expect(socket.connects).toBe(0);
    await vi.advanceTimersByTimeAsync(3000);
    expect(socket.connects).toBe(1);
    scope.stop();
  });

  it('applies pushed snapshots of its own workshop only', async () => {
    const { store, scope } = start();
    socket.fire('connect');
    clock = T0 + 15_000;
    socket.fire('snapshot', snapshotAt1800({ seq: 36 }));
    socket.fire('snapshot', snapshotAt1800({ seq: 99, workshopId: 'bj-test' }));
    expect(store.snapshot?.seq).toBe(36);
    expect(store.receivedAt).toBe(T0 + 15_000);
    scope.stop();
  });

  it('goes stale after 40 s without a snapshot while connected, by the clock tick alone', async () => {
    const { store, scope } = start({ tickMs: 1000 });
    socket.fire('connect');
    clock = T0 + 41_000;
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.fresh).toEqual({ kind: 'stale', dataFrom: T0 });
    scope.stop();
  });

  it('refetches the series every minute and when completions change', async () => {
    const { loadSeries, scope } = start();
    socket.fire('connect');
    await settle();
    expect(loadSeries).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(SERIES_EVERY_MS);
    expect(loadSeries).toHaveBeenCalledTimes(2);
    const s = snapshotAt1800({ seq: 40 });
    socket.fire('snapshot', { ...s, jobs: { ...s.jobs, completedToday: 4 } });
    await settle();
    expect(loadSeries).toHaveBeenCalledTimes(3);
    // Same completions: no refetch.
    socket.fire('snapshot', { ...s, seq: 41, jobs: { ...s.jobs, completedToday: 4 } });
    await settle();
    expect(loadSeries).toHaveBeenCalledTimes(3);
    scope.stop();
  });

  it('does not poll the series while offline', async () => {
    const { loadSeries, scope } = start();
    socket.fire('connect');
    await settle();
    socket.fire('disconnect', 'transport close');
    await vi.advanceTimersByTimeAsync(3 * SERIES_EVERY_MS);
    expect(loadSeries).toHaveBeenCalledTimes(1);
    scope.stop();
  });

  it('asks again when the subscribe ack does not come', async () => {
    socket.reply = 'no-answer';
    let tries = 0;
    const original = socket.timeout.bind(socket);
    socket.timeout = (ms: number) => {
      tries += 1;
      if (tries === 2) socket.reply = { ok: true, snapshot: snapshotAt1800() };
      return original(ms);
    };
    const { store, scope } = start();
    socket.fire('connect');
    expect(tries).toBe(2);
    expect(store.snapshot?.seq).toBe(35);
    scope.stop();
  });

  it('asks again after the retryAfterSeconds of a rate_limited subscribe, not before, and not as unauthorized', async () => {
    socket.reply = { ok: false, error: { code: 'rate_limited', message: 'the budget is spent', retryAfterSeconds: 20 } };
    const { store, scope } = start();
    socket.fire('connect');
    await settle();
    expect(socket.subscribes).toHaveLength(1);
    socket.reply = { ok: true, snapshot: snapshotAt1800() };
    await vi.advanceTimersByTimeAsync(19_000);
    expect(socket.subscribes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.subscribes).toHaveLength(2);
    expect(store.snapshot?.seq).toBe(35);
    expect(store.fresh.kind).toBe('live');
    scope.stop();
  });

  it.each([
    ['a socket refused with "unauthorized"', (s: FakeSocket) => s.fire('connect_error', new Error('unauthorized'))],
    [
      'a subscribe refused as forbidden',
      (s: FakeSocket) => {
        s.reply = { ok: false, error: { code: 'forbidden', message: 'no' } };
        s.fire('connect');
      },
    ],
  ])('shows unauthorized for %s', async (_name, act) => {
    const { store, scope } = start();
    act(socket);
    await settle();
    expect(store.fresh).toEqual({ kind: 'unauthorized' });
    scope.stop();
  });

  it('shows unauthorized when the config request is refused', async () => {
    const { store, scope } = start({ loadWorkshop: async () => Promise.reject(new ApiRequestError(401, { code: 'unauthorized', message: 'no' })) });
    socket.fire('connect');
    await settle();
    expect(store.fresh).toEqual({ kind: 'unauthorized' });
    scope.stop();
  });

  it('shows unauthorized without a token and opens no socket', () => {
    const connect = vi.fn();
    const { store, scope } = start({ connect }, null);
    expect(connect).not.toHaveBeenCalled();
    expect(store.fresh).toEqual({ kind: 'unauthorized' });
    scope.stop();
  });

  it('keeps only the newest series answer', async () => {
    const answers: ((s: DaySeries) => void)[] = [];
    const { store, feed, scope } = start({ loadSeries: () => new Promise<DaySeries>((resolve) => answers.push(resolve)) });
    void feed.refreshSeries();
    void feed.refreshSeries();
    answers[1]!({ ...seriesAt1800(), date: 'newer' });
    answers[0]!({ ...seriesAt1800(), date: 'older' });
    await settle();
    expect(store.series?.date).toBe('newer');
    scope.stop();
  });

  it('stops everything with its scope: socket closed, no timers left', async () => {
    const { scope, loadSeries } = start();
    socket.fire('connect');
    await settle();
    scope.stop();
    expect(socket.disconnected).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5 * SERIES_EVERY_MS);
    expect(loadSeries).toHaveBeenCalledTimes(1);
  });
});
