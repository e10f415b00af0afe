import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { DaySeries } from '../../../../shared/series.js';
import { liveSnapshotState } from '../../lib/live-snapshot-state.js';

/**
 * The TV board's state. A board runs for days, so nothing here grows: one snapshot, one
 * series, one config, replaced whole (lib/live-snapshot-state.ts holds the snapshot's part).
 */
export const useBoardStore = defineStore('board', () => {
  const live = liveSnapshotState();
  const series = shallowRef<DaySeries | null>(null);

  /** Keeps the same object when nothing changed, so the charts are not told to update for nothing. */
  function setSeries(next: DaySeries) {
    const current = series.value;
    if (current && sameSeries(current, next)) return;
    series.value = next;
  }

  return { ...live, series, setSeries };
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
