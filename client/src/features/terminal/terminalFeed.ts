import { watch } from 'vue';
import type { EventOf, EventType } from '../../../../shared/events.js';
import type { JobView } from '../../../../shared/jobs.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { apiGet, workshopPath } from '../../lib/api.js';
import { connectHub, type HubSocket } from '../../lib/hub-socket.js';
import type { KeyValueStorage } from './outbox.js';
import { serialRefresh, type SerialRefresh } from '../../lib/serial-refresh.js';
import { DeviceSettings, terminalId as deviceTerminalId } from './terminal-device.js';
import { fetchWorkshop } from '../../lib/workshop.js';
import { useTerminalStore } from './terminal-store.js';
import { sendOverHttp, startTerminalOutbox, type SendEvents } from './terminalOutbox.js';
import { startWorkshopSubscription, stopWithScope, type WorkshopSubscription } from '../../lib/useWorkshopSubscription.js';

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
  send?: SendEvents;
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

export function useTerminalFeed(workshopId: string, token: string | null, mode: 'technician' | 'advisor', bayFromLink: string | null, options: TerminalFeedOptions = {}): TerminalFeed {
  return stopWithScope(startTerminalFeed(workshopId, token, mode, bayFromLink, options));
}

export function startTerminalFeed(workshopId: string, token: string | null, mode: 'technician' | 'advisor', bayFromLink: string | null, options: TerminalFeedOptions = {}): TerminalFeed {
  const store = useTerminalStore();
  const storage = options.storage ?? localStorage;
  const now = options.now ?? Date.now;
  const { myId, pickTechnician, pickBay, saveCache } = thisDevice(store, storage, workshopId, bayFromLink, mode);

  const taps = startTerminalOutbox({ store, workshopId, token, terminalId: myId, mode, sendEvents: options.send ?? sendOverHttp, storage, now, onDelivered: () => refresher?.soon() });
  // Built once the subscription is (a delivery can only come after).
  let refresher: SerialRefresh | undefined;
  const common = { act: taps.act, dismiss: (id: string) => taps.outbox.dismiss(id), pickTechnician, pickBay, terminalId: myId };
  if (!token) {
    store.markUnauthorized();
    return { ...common, retryNow: () => {}, refresh: async () => {}, stop: taps.stop };
  }

  const sub = startWorkshopSubscription({
    workshopId,
    token,
    label: 'terminal',
    sink: store,
    connect: options.connect ?? connectHub,
    now,
    retryMs: options.retryMs ?? 3000,
    subscribeTimeoutMs: 10_000,
    loadWorkshop: options.loadWorkshop ?? fetchWorkshop,
    onWorkshop: (ws) => {
      store.setWorkshop(ws);
      // A link naming a bay the workshop does not have (a typo, a bay removed) would make every
      // hello a 400: the tablet forgets it and asks.
      if (store.bayId && !ws.bays.some((b) => b.id === store.bayId)) {
        console.warn(`terminal: bay ${store.bayId} is not a bay of ${workshopId}; forgotten`);
        pickBay(null);
      }
      saveCache();
    },
    onSnapshot: (s, fromSubscribe) => {
      const moved = store.noteSnapshot(s.seq, s.asOf);
      if (fromSubscribe) void refresher?.run();
      else if (moved) refresher?.soon();
    },
    // Back online: what waited goes now, not at the end of its backoff.
    onConnect: () => {
      hello();
      taps.outbox.kick();
    },
  });

  const loadLists = options.loadLists ?? loadListsOverHttp;
  const lists = serialRefresh(
    async () => {
      const confirmedBefore = store.confirmed.length;
      try {
        const answer = await loadLists(workshopId, token);
        if (sub.stopped) return;
        store.setLists(answer, now(), confirmedBefore);
        saveCache();
      } catch (err) {
        if (sub.refused(err)) store.markUnauthorized();
        // The last lists stay on screen, dated; the connection pill says what is wrong.
        else console.warn('terminal: lists not loaded', err);
      }
    },
    { throttleMs: options.refreshThrottleMs ?? 400, now, later: sub.later, stopped: () => sub.stopped },
  );

  refresher = lists;
  const hello = terminalHello(sub, store, { workshopId, terminalId: myId, everyMs: options.helloEveryMs ?? HELLO_EVERY_MS });
  watchConnectionAttempts(sub, store, now, options.connectGraceMs ?? 3000);
  sub.every(15_000, () => (store.now = now()));
  sub.onStop(taps.stop);

  // Whatever waited from before a reload goes as soon as the hub answers.
  taps.outbox.kick();

  return { ...common, retryNow: () => taps.outbox.kick(), refresh: lists.run, stop: sub.stop };
}

/** `terminal:hello` (the board's terminal health) every `everyMs` and whenever the tablet moves to another bay. */
function terminalHello(sub: WorkshopSubscription, store: ReturnType<typeof useTerminalStore>, o: { workshopId: string; terminalId: string; everyMs: number }): () => void {
  const { socket } = sub;
  function hello() {
    if (!socket.connected) return;
    socket.timeout(10_000).emit('terminal:hello', { workshopId: o.workshopId, terminalId: o.terminalId, bayId: store.bayId }, (err, reply) => {
      if (!err && !reply.ok) console.warn('terminal: hello refused', reply.error);
    });
  }
  sub.every(o.everyMs, hello);
  // A tablet moved to another bay says so at once, not at the next heartbeat.
  sub.onStop(
    watch(
      () => store.bayId,
      () => hello(),
    ),
  );
  return hello;
}

/**
 * "Offline" as soon as it is true: a connection that opens and drops before the handshake (a
 * captive Wi-Fi, a proxy) gives no connect_error, yet every new attempt means "not connected";
 * and no answer within a few seconds of opening the page is offline, not "connecting" (a
 * socket that never opens can take its whole 10 s timeout to say so).
 */
function watchConnectionAttempts(sub: WorkshopSubscription, store: ReturnType<typeof useTerminalStore>, now: () => number, graceMs: number) {
  const { socket } = sub;
  socket.io.on('reconnect_attempt', () => store.markOffline(now()));
  sub.onStop(() => socket.io.off('reconnect_attempt'));
  const openedAt = now();
  sub.later(graceMs, () => {
    if (!socket.connected) store.markOffline(openedAt);
  });
}

/**
 * Who and where this device is, as its storage remembers: its terminal id, the technician who
 * picked himself, the bay it hangs at (technician mode only; a link's `?bay=` is the tablet's
 * mounting: it wins and is remembered), and the last lists for a reload without network.
 */
function thisDevice(store: ReturnType<typeof useTerminalStore>, storage: KeyValueStorage, workshopId: string, bayFromLink: string | null, mode: 'technician' | 'advisor') {
  const device = new DeviceSettings(storage, workshopId);
  if (bayFromLink) device.bayId = bayFromLink;
  store.technicianId = device.technicianId;
  store.bayId = mode === 'technician' ? device.bayId : null;
  const cache = device.loadCache();
  if (cache) store.restoreCache(cache);
  return {
    myId: deviceTerminalId(storage),
    pickTechnician(id: string | null) {
      device.technicianId = id;
      store.technicianId = id;
    },
    pickBay(id: string | null) {
      device.bayId = id;
      store.bayId = id;
    },
    saveCache: () => device.saveCache({ workshop: store.workshop, jobs: store.jobs, technicians: store.technicians, fetchedAt: store.fetchedAt }),
  };
}
