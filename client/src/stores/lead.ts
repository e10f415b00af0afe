import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { StaffingPlan, WorkshopForecast } from '../../../shared/forecast.js';
import type { JobView } from '../../../shared/jobs.js';
import { resolveThresholds } from '../../../shared/lights.js';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import type { TechnicianView } from '../../../shared/technicians.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { freshness } from '../lib/board-freshness.js';
import { hubConnection } from '../lib/hub-connection.js';
import { hubNow } from '../lib/lead-view.js';

/**
 * The shift lead's state: the live snapshot (from the socket, as the board has it) and the
 * lead's own answers (technicians, forecast, queue, staffing), each replaced whole. `seq` of
 * the snapshot the answers were fetched after is kept, so the feed knows when to ask again.
 */
export const useLeadStore = defineStore('lead', () => {
  const { connection, offlineSince, now, markConnected, markOffline, markUnauthorized } = hubConnection();
  const snapshot = shallowRef<BoardSnapshot | null>(null);
  const receivedAt = ref<number | null>(null);
  const workshop = shallowRef<WorkshopConfig | null>(null);
  const technicians = shallowRef<TechnicianView[] | null>(null);
  const forecast = shallowRef<WorkshopForecast | null>(null);
  const waiting = shallowRef<JobView[] | null>(null);
  const staffing = shallowRef<StaffingPlan | null>(null);
  /** When the lead's answers last came in (browser clock), and what went wrong with the last try. */
  const dataAt = ref<number | null>(null);
  const dataError = ref<string | null>(null);

  const fresh = computed(() => freshness({ connection: connection.value, offlineSince: offlineSince.value, receivedAt: receivedAt.value, now: now.value }));
  const thresholds = computed(() => resolveThresholds(workshop.value?.thresholds));
  const timeZone = computed(() => workshop.value?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  /** The hub's clock (waits so far are counted by it, as the hub counts them). */
  const hubClock = computed(() => (snapshot.value && receivedAt.value !== null ? hubNow(snapshot.value.asOf, receivedAt.value, now.value) : now.value));

  /** A push older than the board shown is dropped; the reply to a new subscription is the truth. */
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

  function setData(next: { technicians: TechnicianView[]; forecast: WorkshopForecast; waiting: JobView[]; staffing: StaffingPlan }, at: number) {
    technicians.value = next.technicians;
    forecast.value = next.forecast;
    waiting.value = next.waiting;
    staffing.value = next.staffing;
    dataAt.value = at;
    dataError.value = null;
  }

  function setDataError(message: string) {
    dataError.value = message;
  }

  function tick(at: number) {
    now.value = at;
  }

  return {
    connection,
    offlineSince,
    snapshot,
    receivedAt,
    workshop,
    technicians,
    forecast,
    waiting,
    staffing,
    dataAt,
    dataError,
    now,
    fresh,
    thresholds,
    timeZone,
    hubClock,
    markConnected,
    markOffline,
    markUnauthorized,
    applySnapshot,
    setWorkshop,
    setData,
    setDataError,
    tick,
  };
});
