import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { resolveThresholds } from '../../../shared/lights.js';
import type { DaySeries } from '../../../shared/series.js';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { freshness } from '../lib/board-freshness.js';
import { hubConnection } from '../lib/hub-connection.js';

/**
 * The TV board's state. A board runs for days, so nothing here grows: one snapshot, one
 * series, one config, replaced whole (shallow refs: a snapshot is read, never mutated).
 * Times are the browser's clock in ms; `now` is ticked by the feed so staleness is computed,
 * not timed.
 */
export const useBoardStore = defineStore('board', () => {
  const { connection, offlineSince, now, markConnected, markOffline, markUnauthorized } = hubConnection();
  const snapshot = shallowRef<BoardSnapshot | null>(null);
  const receivedAt = ref<number | null>(null);
  const series = shallowRef<DaySeries | null>(null);
  const workshop = shallowRef<WorkshopConfig | null>(null);

  const fresh = computed(() => freshness({ connection: connection.value, offlineSince: offlineSince.value, receivedAt: receivedAt.value, now: now.value }));
  const thresholds = computed(() => resolveThresholds(workshop.value?.thresholds));
  /** The workshop's zone for every time shown; the browser's until the config has loaded. */
  const timeZone = computed(() => workshop.value?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

  /**
   * Takes a snapshot unless it is older than the one shown (`seq` never decreases on one hub;
   * a late push after a re-subscribe must not step back). `fromSubscribe`: the reply to a new
   * subscription is the truth even with a lower seq (another hub, a restored store).
   */
  function applySnapshot(next: BoardSnapshot, at: number, fromSubscribe = false): boolean {
    const current = snapshot.value;
    if (!fromSubscribe && current && current.workshopId === next.workshopId && next.seq < current.seq) return false;
    snapshot.value = next;
    receivedAt.value = at;
    now.value = Math.max(now.value, at);
    return true;
  }

  /** Keeps the same object when nothing changed, so the charts are not told to update for nothing. */
  function setSeries(next: DaySeries) {
    const current = series.value;
    if (current && sameSeries(current, next)) return;
    series.value = next;
  }

  function setWorkshop(next: WorkshopConfig) {
    workshop.value = next;
  }

  function tick(at: number) {
    now.value = at;
  }

  return { connection, offlineSince, snapshot, receivedAt, series, workshop, now, fresh, thresholds, timeZone, markConnected, markOffline, markUnauthorized, applySnapshot, setSeries, setWorkshop, tick };
});

function sameSeries(a: DaySeries, b: DaySeries): boolean {
  return (
    a.workshopId === b.workshopId &&
    a.date === b.date &&
    a.stepMin === b.stepMin &&
    JSON.stringify(a.completionsPerHour) === JSON.stringify(b.completionsPerHour) &&
    JSON.stringify(a.waiting) === JSON.stringify(b.waiting)
  );
}
