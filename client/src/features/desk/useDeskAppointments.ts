import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue';
import type { AppointmentsResponse, AppointmentView } from '../../../../shared/appointments.js';
import { localDayRange } from '../../../../shared/time.js';
import { apiGet, workshopPath } from '../../lib/api.js';
import { useTerminalStore } from '../terminal/terminal-store.js';
import { expected, withPending } from './desk-appointments.js';

/** The desk refetches today's appointments this often besides whenever the workshop's log moves. */
export const APPOINTMENTS_REFRESH_MS = 30_000;

/**
 * Today's appointments for the desk (`GET …/appointments`), refetched every 30 s and when a
 * snapshot's `seq` moved (a booking or check-in from another desk), one request at a time,
 * with this desk's taps still in the outbox laid over them.
 */
export function useDeskAppointments(workshopId: string, token: string | null) {
  const store = useTerminalStore();
  const list = shallowRef<AppointmentView[]>([]);
  const error = ref<string | null>(null);
  let inFlight = false;
  let again = false;

  async function load(): Promise<void> {
    if (!token) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      list.value = (await apiGet<AppointmentsResponse>(workshopPath(workshopId, '/appointments'), token)).appointments;
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void load();
      }
    }
  }

  void load();
  const timer = setInterval(() => void load(), APPOINTMENTS_REFRESH_MS);
  onScopeDispose(() => clearInterval(timer));
  watch(() => store.seq, () => void load());

  const day = computed(() => {
    const { start, end } = localDayRange(store.now, store.timeZone);
    return { from: start, to: end };
  });
  const all = computed(() => withPending(list.value, store.pendingEvents, day.value));
  const arrived = computed(() => all.value.filter((a) => a.status === 'checked_in').length);
  return { all, expected: computed(() => expected(all.value)), arrived, error, load };
}
