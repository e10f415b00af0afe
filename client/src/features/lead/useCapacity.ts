import { onScopeDispose, ref, shallowRef } from 'vue';
import { capacityView, type CapacityView } from '../../../../shared/appointments.js';
import { apiGet, workshopPath } from '../../lib/api.js';

/** The capacity view changes with bookings, slowly: refetched this often while the console is open. */
export const CAPACITY_REFRESH_MS = 5 * 60_000;

/** The lead's capacity view (`GET …/capacity`, issue 15), parsed with the shared schema. */
export function useCapacity(workshopId: string, token: string | null) {
  const view = shallowRef<CapacityView | null>(null);
  const error = ref<string | null>(null);
  async function load(): Promise<void> {
    if (!token) return;
    try {
      view.value = capacityView.parse(await apiGet(workshopPath(workshopId, '/capacity'), token));
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }
  void load();
  const timer = setInterval(() => void load(), CAPACITY_REFRESH_MS);
  onScopeDispose(() => clearInterval(timer));
  return { view, error, load };
}
