import { getCurrentScope, onScopeDispose, watch } from 'vue';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { ApiRequestError, apiGet, workshopPath } from '../lib/api.js';
import { connectHub, ownedTimers, reconnectForever, type HubSocket } from '../lib/hub-socket.js';
import { leadApi, type LeadApi } from '../lib/lead-api.js';
import { rateLimitedWaitMs } from '../lib/retry-after.js';
import { useLeadStore } from '../stores/lead.js';

/**
 * Keeps the lead console fed. The socket gives the live snapshot (lights, bays, terminals)
 * exactly as the board gets it; the lead's own answers (technicians, forecast, queue, staffing)
 * are HTTP and are fetched again whenever the snapshot's `seq` moves (at most once per
 * `throttleMs`: a burst of events is one refetch) and every `everyMs` even when nothing
 * happens, because waits grow with time alone. Stops with the calling scope.
 */
export interface LeadFeedOptions {
  /** The hub's origin ('' in the browser: the page's own). */
  origin?: string;
  connect?: (token: string) => HubSocket;
  now?: () => number;
  throttleMs?: number;
  everyMs?: number;
  tickMs?: number;
  /** Wait before reconnecting a socket the hub itself closed (socket.io does not retry those). */
  retryMs?: number;
  subscribeTimeoutMs?: number;
  staffingHours?: number;
}

export const LEAD_REFETCH_EVERY_MS = 30_000;
export const LEAD_THROTTLE_MS = 1000;

export interface LeadFeed {
  api: LeadApi | null;
  /** Fetches the lead's answers now (an action just changed them), or as soon as the one in flight ends. */
  refresh(): Promise<void>;
  stop(): void;
}

export function useLeadFeed(workshopId: string, token: string | null, options: LeadFeedOptions = {}): LeadFeed {
  const feed = startLeadFeed(workshopId, token, options);
  if (getCurrentScope()) onScopeDispose(feed.stop);
  return feed;
}

export function startLeadFeed(workshopId: string, token: string | null, options: LeadFeedOptions = {}): LeadFeed {
  const store = useLeadStore();
  const now = options.now ?? Date.now;
  const origin = options.origin ?? '';
  const connect = options.connect ?? ((t: string) => (origin ? connectHub(t, origin) : connectHub(t)));
  const throttleMs = options.throttleMs ?? LEAD_THROTTLE_MS;
  const retryMs = options.retryMs ?? 3000;
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 10_000;

  if (!token) {
    store.markUnauthorized();
    return { api: null, refresh: async () => {}, stop: () => {} };
  }
  const api = leadApi(workshopId, token, origin);
  const pageToken = token;

  const timers = ownedTimers();
  const later = timers.later;
  const refused = (err: unknown) => err instanceof ApiRequestError && (err.status === 401 || err.status === 403);

  async function ensureWorkshop() {
    if (store.workshop) return;
    try {
      const { workshop } = await apiGet<{ workshop: WorkshopConfig }>(origin + workshopPath(workshopId), pageToken);
      if (!timers.stopped) store.setWorkshop(workshop);
    } catch (err) {
      if (refused(err)) store.markUnauthorized();
      // Otherwise the next connect tries again; names fall back to ids meanwhile.
      else console.warn('lead: workshop config not loaded', err);
    }
  }

  // One fetch at a time; a request for another while one runs is remembered, not stacked.
  let inFlight: Promise<void> | null = null;
  let again = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let trailing = false;

  // The staffing plan reads weeks of the log and changes by the hour: asked on connect and
  // with the clock, not on every change of the floor, so a busy hub is not made to re-read it.
  let staffingAt = Number.NEGATIVE_INFINITY;
  const everyMs = options.everyMs ?? LEAD_REFETCH_EVERY_MS;

  async function fetchAll(): Promise<void> {
    lastStart = now();
    const kept = store.staffing !== null && now() - staffingAt < everyMs ? store.staffing : null;
    const wantStaffing = kept === null;
    try {
      const [technicians, forecast, waiting, answered] = await Promise.all([
        api.technicians(),
        api.forecast(),
        api.waitingJobs(),
        kept === null ? api.staffing(options.staffingHours ?? 4) : Promise.resolve(kept),
      ]);
      // A kept plan computed for another number on shift would print "wait with 4 on shift"
      // beside a list of 2: ask again as soon as the shift changes, not at the next hour.
      let staffing = answered;
      const onShiftNow = technicians.filter((t) => t.status === 'on_shift').length;
      if (!wantStaffing && staffing.onShift !== onShiftNow) {
        staffing = await api.staffing(options.staffingHours ?? 4);
        staffingAt = lastStart;
      }
      if (wantStaffing) staffingAt = lastStart;
      if (!timers.stopped) store.setData({ technicians, forecast, waiting, staffing }, now());
    } catch (err) {
      if (refused(err)) store.markUnauthorized();
      // The lists keep their last answer; the header says the figures may be old.
      else if (!timers.stopped) store.setDataError(err instanceof Error ? err.message : String(err));
    }
  }

  function refresh(): Promise<void> {
    if (timers.stopped) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = fetchAll().finally(() => {
      inFlight = null;
      if (again && !timers.stopped) {
        again = false;
        void refresh();
      }
    });
    return inFlight;
  }

  /** At most one fetch per throttle window; the last change inside a window gets its fetch at the window's end. */
  function refreshSoon() {
    const wait = lastStart + throttleMs - now();
    if (wait <= 0) {
      void refresh();
      return;
    }
    if (trailing) return;
    trailing = true;
    later(wait, () => {
      trailing = false;
      void refresh();
    });
  }

  const socket = connect(pageToken);

  function subscribe() {
    socket.timeout(subscribeTimeoutMs).emit('subscribe', workshopId, (err, reply) => {
      if (timers.stopped) return;
      if (err) {
        if (socket.connected) subscribe();
        return;
      }
      if (reply.ok) store.applySnapshot(reply.snapshot, now(), true);
      else if (reply.error.code === 'unauthorized' || reply.error.code === 'forbidden') store.markUnauthorized();
      else {
        // The token's budget is spent for now: ask again when the hub says, on this connection.
        const wait = rateLimitedWaitMs(reply.error);
        if (wait !== null) later(wait, () => socket.connected && subscribe());
        else console.warn('lead: subscribe refused', reply.error);
      }
    });
  }

  socket.on('connect', () => {
    store.markConnected(now());
    // Another hub (or the same one restarted) may plan differently: ask for its staffing too.
    staffingAt = Number.NEGATIVE_INFINITY;
    subscribe();
    void ensureWorkshop();
    // A hub that came back may have another day behind it: ask at once, not at the next change.
    void refresh();
  });
  socket.on('snapshot', (s) => {
    if (s.workshopId === workshopId) store.applySnapshot(s, now());
  });
  reconnectForever(socket, store, { now, later, retryMs });

  const ticker = setInterval(() => store.tick(now()), options.tickMs ?? 1000);
  const poller = setInterval(() => {
    if (socket.connected) void refresh();
  }, everyMs);

  const stopWatch = watch(
    () => store.snapshot?.seq,
    (next, prev) => {
      if (prev !== undefined && next !== undefined && next !== prev) refreshSoon();
    },
  );

  function stop() {
    if (timers.stopped) return;
    timers.stop();
    clearInterval(ticker);
    clearInterval(poller);
    stopWatch();
    socket.removeAllListeners();
    socket.disconnect();
  }

  return { api, refresh, stop };
}
