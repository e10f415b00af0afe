import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { STALE_AFTER_MS } from '../../lib/board-freshness.js';
import { seriesAt1800, snapshotAt1800, WORKSHOP } from '../../lib/board-test-fixture.js';
import { useBoardStore } from './board-store.js';

const T = 1_800_000_000_000;

describe('board store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('starts connecting, with nothing to show', () => {
    const store = useBoardStore();
    expect(store.connection).toBe('connecting');
    expect(store.snapshot).toBeNull();
    expect(store.fresh).toEqual({ kind: 'connecting' });
  });

  it('keeps only the latest snapshot and when it arrived', () => {
    const store = useBoardStore();
    store.markConnected(T);
    expect(store.applySnapshot(snapshotAt1800({ seq: 10 }), T)).toBe(true);
    expect(store.applySnapshot(snapshotAt1800({ seq: 11 }), T + 1000)).toBe(true);
    expect(store.snapshot?.seq).toBe(11);
    expect(store.receivedAt).toBe(T + 1000);
    expect(store.fresh).toEqual({ kind: 'live' });
  });

  it('ignores a pushed snapshot older than the one shown, but takes a subscribe reply whatever its seq', () => {
    const store = useBoardStore();
    store.applySnapshot(snapshotAt1800({ seq: 20 }), T);
    expect(store.applySnapshot(snapshotAt1800({ seq: 19 }), T + 1)).toBe(false);
    expect(store.snapshot?.seq).toBe(20);
    expect(store.applySnapshot(snapshotAt1800({ seq: 3 }), T + 2, true)).toBe(true);
    expect(store.snapshot?.seq).toBe(3);
  });

  it('goes stale when no snapshot arrived for too long, judged by receipt time', () => {
    const store = useBoardStore();
    store.markConnected(T);
    // asOf is the hub's (possibly accelerated) clock: it plays no part.
    store.applySnapshot(snapshotAt1800({ asOf: '2020-01-01T00:00:00.000Z' }), T);
    store.tick(T + STALE_AFTER_MS);
    expect(store.fresh.kind).toBe('live');
    store.tick(T + STALE_AFTER_MS + 1);
    expect(store.fresh).toEqual({ kind: 'stale', dataFrom: T });
    store.applySnapshot(snapshotAt1800({ seq: 36 }), T + STALE_AFTER_MS + 2);
    expect(store.fresh.kind).toBe('live');
  });

  it('remembers the first moment it went offline, and clears it on reconnect', () => {
    const store = useBoardStore();
    store.markConnected(T);
    store.markOffline(T + 1000);
    store.markOffline(T + 5000); // a failed reconnect attempt
    expect(store.fresh).toEqual({ kind: 'offline', since: T + 1000, dataFrom: null });
    store.markConnected(T + 9000);
    expect(store.offlineSince).toBeNull();
    expect(store.connection).toBe('live');
  });

  it('stays unauthorized: a refused token is not fixed by reconnecting', () => {
    const store = useBoardStore();
    store.markUnauthorized();
    store.markConnected(T);
    store.markOffline(T);
    expect(store.fresh).toEqual({ kind: 'unauthorized' });
  });

  it('replaces the series only when it changed, so charts are not updated for nothing', () => {
    const store = useBoardStore();
    const first = seriesAt1800();
    store.setSeries(first);
    store.setSeries(seriesAt1800());
    expect(store.series).toBe(first);
    const changed = { ...seriesAt1800(), completionsPerHour: [{ hour: 13, count: 2 }] };
    store.setSeries(changed);
    expect(store.series).toBe(changed);
  });

  it("takes thresholds and time zone from the workshop's config", () => {
    const store = useBoardStore();
    expect(store.thresholds.averageWait).toEqual({ green: 45, yellow: 90 });
    store.setWorkshop({ ...WORKSHOP, timezone: 'Europe/Berlin', thresholds: { averageWait: { green: 30, yellow: 60 } } });
    expect(store.thresholds.averageWait).toEqual({ green: 30, yellow: 60 });
    expect(store.thresholds.utilisation).toEqual({ green: 0.75, yellow: 0.65 });
    expect(store.timeZone).toBe('Europe/Berlin');
  });
});
