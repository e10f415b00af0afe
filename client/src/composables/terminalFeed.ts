import { getCurrentScope, onScopeDispose, watch } from 'vue';
import type { EventOf, EventResult, EventType, PitwallEvent } from '../../../shared/events.js';
import type { JobView } from '../../../shared/jobs.js';
import type { TechnicianView } from '../../../shared/technicians.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { ApiRequestError, apiGet, apiPost, workshopPath } from '../lib/api.js';
import { connectHub, ownedTimers, reconnectForever, type HubSocket } from '../lib/hub-socket.js';
import { newEventId, Outbox, outboxKey, type KeyValueStorage, type SendBatch } from '../lib/outbox.js';
import { rateLimitedWaitMs } from '../lib/retry-after.js';
import { DeviceSettings, terminalId as deviceTerminalId } from '../lib/terminal-device.js';
import { stampEvent } from '../lib/terminal-projection.js';
import { fetchWorkshop } from '../lib/workshop.js';
import { useTerminalStore } from '../stores/terminal.js';

/**
 * Runs a bay terminal or an advisor desk: one socket that says `terminal:hello` on connect
 * and every 30 s (the board's terminal health), subscribes to the workshop and refetches the
 * jobs and technicians whenever a snapshot's `seq` moved (throttled); the outbox, sent over
 * HTTP in order, retried with backoff and kicked on every reconnect; the device's settings
 * and a cache of the last lists for a reload without network. Stops with the calling scope.
 */
export interface TerminalFeedOptions {
  connect?: (token: string) => HubSocket;
  loadWorkshop?: (workshopId: string, token: string) => Promise<WorkshopConfig>;
  loadLists?: (workshopId: string, token: string) => Promise<{ jobs: JobView[]; technicians: TechnicianView[] }>;
  send?: (workshopId: string, token: string, terminalId: string, events: PitwallEvent[]) => Promise<EventResult[]>;
  storage?: KeyValueStorage;
  now?: () => number;
  /** Heartbeat period of `terminal:hello`. */
  helloEveryMs?: number;
  /** At most one refetch of the lists per this many ms. */
  refreshThrottleMs?: number;
  retryMs?: number;
  /** How long a first connection may take before the page says "offline". */
  connectGraceMs?: number;
}

export interface TerminalFeed {
  /**
   * Records a tap: stamped now, queued, sent when the hub answers. Returns the event's id (to
   * follow it through the outbox: accepted, refused), null when it could not be kept.
   */
  act<T extends EventType>(type: T, fields: Omit<EventOf<T>, 'id' | 'at' | 'type'>): string | null;
  dismiss(eventId: string): void;
  /** Send now, without waiting for the backoff. */
  retryNow(): void;
  pickTechnician(id: string | null): void;
  pickBay(id: string | null): void;
  refresh(): Promise<void>;
  readonly terminalId: string;
  stop(): void;
}

export const HELLO_EVERY_MS = 30_000;

const loadListsOverHttp = async (workshopId: string, token: string) => {
  const [jobs, technicians] = await Promise.all([
    apiGet<{ jobs: JobView[] }>(workshopPath(workshopId, '/jobs'), token),
    apiGet<{ technicians: TechnicianView[] }>(workshopPath(workshopId, '/technicians'), token),
  ]);
  return { jobs: jobs.jobs, technicians: technicians.technicians };
};

const sendOverHttp = async (workshopId: string, token: string, terminalId: string, events: PitwallEvent[]) => {
  // The header keeps the tablet "alive" on the board even while its socket is down.
  const { results } = await apiPost<{ results: EventResult[] }>(workshopPath(workshopId, '/events'), token, { events }, { 'X-Pitwall-Terminal': terminalId });
  return results;
};

export function useTerminalFeed(workshopId: string, token: string | null, mode: 'technician' | 'advisor', bayFromLink: string | null, options: TerminalFeedOptions = {}): TerminalFeed {
  const feed = startTerminalFeed(workshopId, token, mode, bayFromLink, options);
  if (getCurrentScope()) onScopeDispose(feed.stop);
  return feed;
}

export function startTerminalFeed(workshopId: string, token: string | null, mode: 'technician' | 'advisor', bayFromLink: string | null, options: TerminalFeedOptions = {}): TerminalFeed {
  const store = useTerminalStore();
  const storage = options.storage ?? localStorage;
  const now = options.now ?? Date.now;
  const connect = options.connect ?? connectHub;
  const loadWorkshop = options.loadWorkshop ?? fetchWorkshop;
  const loadLists = options.loadLists ?? loadListsOverHttp;
  const sendEvents = options.send ?? sendOverHttp;
  const throttleMs = options.refreshThrottleMs ?? 400;
  const retryMs = options.retryMs ?? 3000;

  const device = new DeviceSettings(storage, workshopId);
  const myId = deviceTerminalId(storage);
  // A link's `?bay=` is the tablet's mounting: it wins and is remembered.
  if (bayFromLink) device.bayId = bayFromLink;
  store.technicianId = device.technicianId;
  store.bayId = mode === 'technician' ? device.bayId : null;
  const cache = device.loadCache();
  if (cache) store.restoreCache(cache);

  const timers = ownedTimers();
  const later = timers.later;

  const refused = (err: unknown) => err instanceof ApiRequestError && (err.status === 401 || err.status === 403);

  const send: SendBatch = async (events) => {
    if (!token) throw new Error('no token');
    try {
      return await sendEvents(workshopId, token, myId, events);
    } catch (err) {
      if (refused(err)) store.markUnauthorized();
      // fetch's own failure (no route, no Wi-Fi) says nothing a technician can use; the hub's
      // refusals (503 store unavailable, 401) carry its words and stay as they are.
      if (err instanceof TypeError) throw new Error('network');
      throw err;
    }
  };

  const outbox = new Outbox(storage, outboxKey(workshopId), {
    send,
    now,
    onChange: () => store.syncOutbox(outbox.entries(), outbox.status()),
    onDelivered: (events) => {
      store.confirm(events);
      requestRefresh();
    },
  });
  store.syncOutbox(outbox.entries(), outbox.status());

  // Another tab of this device (the desk beside the terminal) wrote the same outbox.
  const onStorage = (e: StorageEvent) => {
    if (e.key === outboxKey(workshopId)) store.syncOutbox(outbox.entries(), outbox.status());
  };
  if (typeof window !== 'undefined') window.addEventListener('storage', onStorage);

  function act<T extends EventType>(type: T, fields: Omit<EventOf<T>, 'id' | 'at' | 'type'>): string | null {
    const event = stampEvent(type, fields, newEventId(mode === 'advisor' ? 'desk' : 'bay'), now());
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

  if (!token) {
    store.markUnauthorized();
    return { act, dismiss: (id) => outbox.dismiss(id), retryNow: () => {}, pickTechnician, pickBay, refresh: async () => {}, terminalId: myId, stop: () => outbox.stop() };
  }
  const pageToken = token;

  async function ensureWorkshop() {
    try {
      const ws = await loadWorkshop(workshopId, pageToken);
      if (timers.stopped) return;
      store.setWorkshop(ws);
      // A link naming a bay the workshop does not have (a typo, a bay removed) would make every
      // hello a 400: the tablet forgets it and asks.
      if (store.bayId && !ws.bays.some((b) => b.id === store.bayId)) {
        console.warn(`terminal: bay ${store.bayId} is not a bay of ${workshopId}; forgotten`);
        pickBay(null);
      }
      saveCache();
    } catch (err) {
      if (refused(err)) store.markUnauthorized();
      else console.warn('terminal: workshop config not loaded', err);
    }
  }

  // One refetch at a time; a request during it runs once more after it (the newest state wins).
  let refreshing: Promise<void> | null = null;
  let again = false;
  let lastRefreshAt = 0;
  async function refresh(): Promise<void> {
    if (timers.stopped) return;
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      const confirmedBefore = store.confirmed.length;
      lastRefreshAt = now();
      try {
        const lists = await loadLists(workshopId, pageToken);
        if (!timers.stopped) {
          store.setLists(lists, now(), confirmedBefore);
          saveCache();
        }
      } catch (err) {
        if (refused(err)) store.markUnauthorized();
        // The last lists stay on screen, dated; the connection pill says what is wrong.
        else console.warn('terminal: lists not loaded', err);
      }
    })().finally(() => {
      refreshing = null;
      if (again && !timers.stopped) {
        again = false;
        requestRefresh();
      }
    });
    return refreshing;
  }

  let refreshQueued = false;
  /** Throttled: a burst of snapshots (4 a second at most) costs one refetch of each list. */
  function requestRefresh() {
    if (refreshQueued || timers.stopped) return;
    const wait = Math.max(0, lastRefreshAt + throttleMs - now());
    refreshQueued = true;
    later(wait, () => {
      refreshQueued = false;
      void refresh();
    });
  }

  function saveCache() {
    device.saveCache({ workshop: store.workshop, jobs: store.jobs, technicians: store.technicians, fetchedAt: store.fetchedAt });
  }

  const socket = connect(pageToken);

  function hello() {
    if (!socket.connected) return;
    socket.timeout(10_000).emit('terminal:hello', { workshopId, terminalId: myId, bayId: store.bayId }, (err, reply) => {
      if (!err && !reply.ok) console.warn('terminal: hello refused', reply.error);
    });
  }

  function subscribe() {
    socket.timeout(10_000).emit('subscribe', workshopId, (err, reply) => {
      if (timers.stopped) return;
      if (err) {
        if (socket.connected) subscribe();
        return;
      }
      if (reply.ok) {
        store.noteSnapshot(reply.snapshot.seq, reply.snapshot.asOf);
        void refresh();
      } else if (reply.error.code === 'unauthorized' || reply.error.code === 'forbidden') store.markUnauthorized();
      else {
        // The token's budget is spent for now: ask again when the hub says, on this connection.
        const wait = rateLimitedWaitMs(reply.error);
        if (wait !== null) later(wait, () => socket.connected && subscribe());
        else console.warn('terminal: subscribe refused', reply.error);
      }
    });
  }

  socket.on('connect', () => {
    store.markConnected(now());
    hello();
    subscribe();
    void ensureWorkshop();
    // Back online: what waited goes now, not at the end of its backoff.
    outbox.kick();
  });
  socket.on('snapshot', (s) => {
    if (s.workshopId !== workshopId) return;
    if (store.noteSnapshot(s.seq, s.asOf)) requestRefresh();
  });
  reconnectForever(socket, store, { now, later, retryMs });

  // A connection that opens and drops before the handshake (a captive Wi-Fi, a proxy) gives
  // no connect_error; every new attempt still means "not connected".
  socket.io.on('reconnect_attempt', () => store.markOffline(now()));

  // No answer within a few seconds of opening the page is offline, not "connecting" (a
  // socket that never opens can take its whole 10 s timeout to say so).
  const openedAt = now();
  later(options.connectGraceMs ?? 3000, () => {
    if (!socket.connected) store.markOffline(openedAt);
  });

  const heartbeat = setInterval(hello, options.helloEveryMs ?? HELLO_EVERY_MS);
  const ticker = setInterval(() => (store.now = now()), 15_000);
  // A tablet moved to another bay says so at once, not at the next heartbeat.
  const stopBayWatch = watch(
    () => store.bayId,
    () => hello(),
  );

  function pickTechnician(id: string | null) {
    device.technicianId = id;
    store.technicianId = id;
  }
  function pickBay(id: string | null) {
    device.bayId = id;
    store.bayId = id;
  }

  function stop() {
    if (timers.stopped) return;
    timers.stop();
    clearInterval(heartbeat);
    clearInterval(ticker);
    stopBayWatch();
    outbox.stop();
    if (typeof window !== 'undefined') window.removeEventListener('storage', onStorage);
    socket.removeAllListeners();
    socket.io.off('reconnect_attempt');
    socket.disconnect();
  }

  // Whatever waited from before a reload goes as soon as the hub answers.
  outbox.kick();

  return { act, dismiss: (id) => outbox.dismiss(id), retryNow: () => outbox.kick(), pickTechnician, pickBay, refresh, terminalId: myId, stop };
}
