import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { snapshotAt1800, WORKSHOP } from '../../lib/board-test-fixture.js';
import { forecastAt1800, staffingAt1800, techniciansAt1800, waitingAt1800 } from './lead-test-fixture.js';
import { useLeadStore } from './lead-store.js';

const AT_1800 = Date.parse('2026-11-21T10:00:00.000Z');

describe('the lead store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps the first moment it went offline, so "offline since" does not creep while it retries', () => {
    const store = useLeadStore();
    store.markConnected(1000);
    store.applySnapshot(snapshotAt1800(), 1000);
    store.markOffline(5000);
    store.markOffline(9000);
    expect(store.fresh).toEqual({ kind: 'offline', since: 5000, dataFrom: 1000 });
    store.markConnected(12_000);
    expect(store.fresh).toEqual({ kind: 'live' });
  });

  it('drops a push older than the board shown, but takes a new subscription’s reply', () => {
    const store = useLeadStore();
    store.applySnapshot(snapshotAt1800({ seq: 40 }), 1000);
    expect(store.applySnapshot(snapshotAt1800({ seq: 39 }), 2000)).toBe(false);
    expect(store.snapshot?.seq).toBe(40);
    expect(store.applySnapshot(snapshotAt1800({ seq: 3 }), 3000, true)).toBe(true);
    expect(store.snapshot?.seq).toBe(3);
  });

  it('counts time by the hub’s clock: its last board plus what passed since', () => {
    const store = useLeadStore();
    store.applySnapshot(snapshotAt1800(), 1000);
    store.tick(31_000);
    expect(store.hubClock).toBe(AT_1800 + 30_000);
  });

  it('stays unauthorized whatever the socket does next', () => {
    const store = useLeadStore();
    store.markUnauthorized();
    store.markConnected(1000);
    store.markOffline(2000);
    expect(store.fresh).toEqual({ kind: 'unauthorized' });
  });

  it('takes the hub’s answers whole, clears the last error, and uses the workshop’s zone and lights', () => {
    const store = useLeadStore();
    expect(store.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    store.setWorkshop({ ...WORKSHOP, thresholds: { averageWait: { green: 30, yellow: 60 } } });
    store.setDataError('hub unreachable');
    store.setData({ technicians: techniciansAt1800(), forecast: forecastAt1800(), waiting: waitingAt1800(), staffing: staffingAt1800() }, 5000);
    expect(store.dataError).toBeNull();
    expect(store.dataAt).toBe(5000);
    expect(store.technicians).toHaveLength(3);
    expect(store.timeZone).toBe('Asia/Shanghai');
    expect(store.thresholds.averageWait).toEqual({ green: 30, yellow: 60 });
    expect(store.thresholds.utilisation).toEqual({ green: 0.75, yellow: 0.65 });
  });
});
