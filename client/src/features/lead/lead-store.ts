import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { StaffingPlan, WorkshopForecast } from '../../../../shared/forecast.js';
import type { Role } from '../../../../shared/auth.js';
import type { JobView } from '../../../../shared/jobs.js';
import { can, type Action } from '../../../../shared/permissions.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import { liveSnapshotState } from '../../lib/live-snapshot-state.js';
import { hubNow } from './lead-view.js';

/**
 * The shift lead's state: the live snapshot (from the socket, as the board has it) and the
 * lead's own answers (technicians, forecast, queue, staffing), each replaced whole. `seq` of
 * the snapshot the answers were fetched after is kept, so the feed knows when to ask again.
 */
export const useLeadStore = defineStore('lead', () => {
  const live = liveSnapshotState();
  const { snapshot, receivedAt, now } = live;
  const technicians = shallowRef<TechnicianView[] | null>(null);
  const forecast = shallowRef<WorkshopForecast | null>(null);
  const waiting = shallowRef<JobView[] | null>(null);
  const staffing = shallowRef<StaffingPlan | null>(null);
  /** When the lead's answers last came in (browser clock), and what went wrong with the last try. */
  const dataAt = ref<number | null>(null);
  const dataError = ref<string | null>(null);
  /** The token's role, as the hub said with the config; null until it has. */
  const role = ref<Role | null>(null);
  /** May this console's token do it? Nothing lead-only is offered before the hub has said. */
  const may = (action: Action) => role.value !== null && can(role.value, action);

  /** The hub's clock (waits so far are counted by it, as the hub counts them). */
  const hubClock = computed(() => (snapshot.value && receivedAt.value !== null ? hubNow(snapshot.value.asOf, receivedAt.value, now.value) : now.value));

  function setData(next: { technicians: TechnicianView[]; forecast: WorkshopForecast; waiting: JobView[]; staffing: StaffingPlan }, at: number) {
    technicians.value = next.technicians;
    forecast.value = next.forecast;
    waiting.value = next.waiting;
    staffing.value = next.staffing;
    dataAt.value = at;
    dataError.value = null;
  }

  function setRole(next: Role) {
    role.value = next;
  }

  function setDataError(message: string) {
    dataError.value = message;
  }

  return { ...live, technicians, forecast, waiting, staffing, dataAt, dataError, role, may, hubClock, setData, setRole, setDataError };
});
