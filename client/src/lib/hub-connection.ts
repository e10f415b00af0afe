import { ref } from 'vue';
import type { Connection } from './board-freshness.js';

/**
 * The state of a page's socket to the hub, for the setup stores of the board, the lead console
 * and the terminal (each spreads it into what it returns). "Offline since" keeps the first
 * moment, so it does not creep while the socket retries; an unknown token stays unauthorized
 * (retrying cannot fix it).
 */
export function hubConnection() {
  const connection = ref<Connection>('connecting');
  const offlineSince = ref<number | null>(null);
  /** The page's clock as last moved by the socket or a tick: what freshness is judged at. */
  const now = ref(Date.now());

  function markConnected(at: number) {
    if (connection.value === 'unauthorized') return;
    connection.value = 'live';
    offlineSince.value = null;
    now.value = at;
  }

  function markOffline(at: number) {
    if (connection.value === 'unauthorized') return;
    if (connection.value !== 'offline') offlineSince.value = at;
    connection.value = 'offline';
    now.value = at;
  }

  function markUnauthorized() {
    connection.value = 'unauthorized';
    offlineSince.value = null;
  }

  return { connection, offlineSince, now, markConnected, markOffline, markUnauthorized };
}
