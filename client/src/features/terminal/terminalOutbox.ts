import type { EventOf, EventResult, EventType, PitwallEvent } from '../../../../shared/events.js';
import { apiPost, workshopPath } from '../../lib/api.js';
import { newEventId, Outbox, outboxKey, type KeyValueStorage, type SendBatch } from './outbox.js';
import { stampEvent } from './terminal-projection.js';
import type { useTerminalStore } from './terminal-store.js';
import { isRefusal } from '../../lib/useWorkshopSubscription.js';

/**
 * The terminal's taps on their way to the hub: stamped, kept in the outbox (in storage, so a
 * reload loses nothing), sent over HTTP in order, and mirrored into the store, including what
 * another tab of this device (the desk beside the terminal) wrote to the same outbox.
 */
export type SendEvents = (workshopId: string, token: string, terminalId: string, events: PitwallEvent[]) => Promise<EventResult[]>;

export const sendOverHttp: SendEvents = async (workshopId, token, terminalId, events) => {
  // The header keeps the tablet "alive" on the board even while its socket is down.
  const { results } = await apiPost<{ results: EventResult[] }>(workshopPath(workshopId, '/events'), token, { events }, { 'X-Pitwall-Terminal': terminalId });
  return results;
};

export interface TerminalOutboxOptions {
  store: ReturnType<typeof useTerminalStore>;
  workshopId: string;
  token: string | null;
  terminalId: string;
  mode: 'technician' | 'advisor';
  sendEvents: SendEvents;
  storage: KeyValueStorage;
  now: () => number;
  /** The hub took a batch: the lists are out of date. */
  onDelivered: () => void;
}

export interface TerminalOutbox {
  readonly outbox: Outbox;
  act<T extends EventType>(type: T, fields: Omit<EventOf<T>, 'id' | 'at' | 'type'>): string | null;
  stop(): void;
}

export function startTerminalOutbox(o: TerminalOutboxOptions): TerminalOutbox {
  const { store } = o;
  const send: SendBatch = async (events) => {
    if (!o.token) throw new Error('no token');
    try {
      return await o.sendEvents(o.workshopId, o.token, o.terminalId, events);
    } catch (err) {
      if (isRefusal(err)) store.markUnauthorized();
      // fetch's own failure (no route, no Wi-Fi) says nothing a technician can use; the hub's
      // refusals (503 store unavailable, 401) carry its words and stay as they are.
      if (err instanceof TypeError) throw new Error('network');
      throw err;
    }
  };

  const outbox = new Outbox(o.storage, outboxKey(o.workshopId), {
    send,
    now: o.now,
    onChange: () => store.syncOutbox(outbox.entries(), outbox.status()),
    onDelivered: (events) => {
      store.confirm(events);
      o.onDelivered();
    },
  });
  store.syncOutbox(outbox.entries(), outbox.status());

  // Another tab of this device wrote the same outbox.
  const onStorage = (e: StorageEvent) => {
    if (e.key === outboxKey(o.workshopId)) store.syncOutbox(outbox.entries(), outbox.status());
  };
  if (typeof window !== 'undefined') window.addEventListener('storage', onStorage);

  function act<T extends EventType>(type: T, fields: Omit<EventOf<T>, 'id' | 'at' | 'type'>): string | null {
    const event = stampEvent(type, fields, newEventId(o.mode === 'advisor' ? 'desk' : 'bay'), o.now());
    try {
      outbox.add(event);
      store.localError = null;
      return event.id;
    } catch (err) {
      console.error('terminal: tap not recorded', err);
      store.localError = err instanceof Error ? err.message : String(err);
      return null;
    }
  }

  function stop() {
    outbox.stop();
    if (typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
  }

  return { outbox, act, stop };
}
