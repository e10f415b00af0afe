import { computed, ref, shallowRef } from 'vue';
import { resolveThresholds } from '../../../shared/lights.js';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { freshness } from './board-freshness.js';
import { hubConnection } from './hub-connection.js';

/**
 * The live snapshot as the board and the lead console hold it (each setup store spreads it
 * into what it returns): the socket's state, the last snapshot and when it came, the
 * workshop's config, and what follows from them. Replaced whole (shallow refs: a snapshot is
 * read, never mutated). Times are the browser's clock in ms; `now` is ticked by the feed so
 * staleness is computed, not timed.
 */
export function liveSnapshotState() {
  const connection = hubConnection();
  const { offlineSince, now } = connection;
  const snapshot = shallowRef<BoardSnapshot | null>(null);
  const receivedAt = ref<number | null>(null);
  const workshop = shallowRef<WorkshopConfig | null>(null);

  const fresh = computed(() => freshness({ connection: connection.connection.value, offlineSince: offlineSince.value, receivedAt: receivedAt.value, now: now.value }));
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

  function setWorkshop(next: WorkshopConfig) {
    workshop.value = next;
  }

  function tick(at: number) {
    now.value = at;
  }

  return { ...connection, snapshot, receivedAt, workshop, fresh, thresholds, timeZone, applySnapshot, setWorkshop, tick };
}
