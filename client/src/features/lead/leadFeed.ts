import { watch } from 'vue';
import { workshopResponse } from '../../../../shared/workshop.js';
import { apiGet, workshopPath } from '../../lib/api.js';
import { connectHub, type HubSocket } from '../../lib/hub-socket.js';
import { leadApi, type LeadApi } from './lead-api.js';
import { serialRefresh } from '../../lib/serial-refresh.js';
import { useLeadStore } from './lead-store.js';
import { startWorkshopSubscription, stopWithScope, type WorkshopSubscription } from '../../lib/useWorkshopSubscription.js';

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
  return stopWithScope(startLeadFeed(workshopId, token, options));
}

export function startLeadFeed(workshopId: string, token: string | null, options: LeadFeedOptions = {}): LeadFeed {
  const store = useLeadStore();
  const now = options.now ?? Date.now;
  const origin = options.origin ?? '';
  if (!token) {
    store.markUnauthorized();
    return { api: null, refresh: async () => {}, stop: () => {} };
  }
  const api = leadApi(workshopId, token, origin);
  const everyMs = options.everyMs ?? LEAD_REFETCH_EVERY_MS;
  // The staffing plan reads weeks of the log and changes by the hour: asked on connect and
  // with the clock, not on every change of the floor, so a busy hub is not made to re-read it.
  const staffing = { at: Number.NEGATIVE_INFINITY };

  const sub = startWorkshopSubscription({
    workshopId,
    token,
    label: 'lead',
    sink: store,
    connect: options.connect ?? ((t: string) => (origin ? connectHub(t, origin) : connectHub(t))),
    now,
    retryMs: options.retryMs ?? 3000,
    subscribeTimeoutMs: options.subscribeTimeoutMs ?? 10_000,
    loadWorkshop: async (id, t) => {
      // The config comes with the token's role: the console hides what the token may not do.
      const { workshop, role } = workshopResponse.parse(await apiGet<unknown>(origin + workshopPath(id), t));
      store.setRole(role);
      return workshop;
    },
    haveWorkshop: () => store.workshop !== null,
    onWorkshop: store.setWorkshop,
    onSnapshot: (s, fromSubscribe) => store.applySnapshot(s, now(), fromSubscribe),
    onConnect: () => {
      // Another hub (or the same one restarted) may plan differently: ask for its staffing too.
      staffing.at = Number.NEGATIVE_INFINITY;
      // A hub that came back may have another day behind it: ask at once, not at the next change.
      void refresher.run();
    },
  });
  const refresher = serialRefresh(() => fetchLeadAnswers(api, store, sub, staffing, { now, everyMs, staffingHours: options.staffingHours ?? 4 }), {
    throttleMs: options.throttleMs ?? LEAD_THROTTLE_MS,
    now,
    later: sub.later,
    stopped: () => sub.stopped,
  });

  sub.every(options.tickMs ?? 1000, () => store.tick(now()));
  sub.every(everyMs, () => {
    if (sub.socket.connected) void refresher.run();
  });
  sub.onStop(
    watch(
      () => store.snapshot?.seq,
      (next, prev) => {
        if (prev !== undefined && next !== undefined && next !== prev) refresher.soon();
      },
    ),
  );

  return { api, refresh: refresher.run, stop: sub.stop };
}

/** One fetch of the lead's answers; the staffing plan kept while it is younger than `everyMs` and its shift is the list's. */
async function fetchLeadAnswers(
  api: LeadApi,
  store: ReturnType<typeof useLeadStore>,
  sub: WorkshopSubscription,
  staffing: { at: number },
  o: { now: () => number; everyMs: number; staffingHours: number },
): Promise<void> {
  const startedAt = o.now();
  const kept = store.staffing !== null && startedAt - staffing.at < o.everyMs ? store.staffing : null;
  try {
    const [technicians, forecast, waiting, answered] = await Promise.all([
      api.technicians(),
      api.forecast(),
      api.waitingJobs(),
      kept === null ? api.staffing(o.staffingHours) : Promise.resolve(kept),
    ]);
    // A kept plan computed for another number on shift would print "wait with 4 on shift"
    // beside a list of 2: ask again as soon as the shift changes, not at the next hour.
    let plan = answered;
    const onShiftNow = technicians.filter((t) => t.status === 'on_shift').length;
    if (kept !== null && plan.onShift !== onShiftNow) plan = await api.staffing(o.staffingHours);
    if (kept === null || plan !== answered) staffing.at = startedAt;
    if (!sub.stopped) store.setData({ technicians, forecast, waiting, staffing: plan }, o.now());
  } catch (err) {
    if (sub.refused(err)) store.markUnauthorized();
    // The lists keep their last answer; the header says the figures may be old.
    else if (!sub.stopped) store.setDataError(err instanceof Error ? err.message : String(err));
  }
}
