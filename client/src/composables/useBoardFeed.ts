import { getCurrentScope, onScopeDispose, watch } from 'vue';
import type { DaySeries } from '../../../shared/series.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { ApiRequestError, apiGet, workshopPath } from '../lib/api.js';
import { connectHub, ownedTimers, reconnectForever, type HubSocket } from '../lib/hub-socket.js';
import { rateLimitedWaitMs } from '../lib/retry-after.js';
import { fetchWorkshop } from '../lib/workshop.js';
import { useBoardStore } from '../stores/board.js';

/**
 * Keeps the board's store fed: one socket that reconnects forever and re-subscribes on every
 * connect (a new connection has no rooms), the workshop's config once, the day's series on
 * connect, whenever the completions change and every minute, and a clock tick so staleness
 * shows without any event. Everything stops when the calling scope (the view) is disposed.
 */
export interface BoardFeedOptions {
  connect?: (token: string) => HubSocket;
  loadWorkshop?: (workshopId: string, token: string) => Promise<WorkshopConfig>;
  loadSeries?: (workshopId: string, token: string) => Promise<DaySeries>;
  now?: () => number;
  /** How often the series is refetched without a change in completions. */
  seriesEveryMs?: number;
  /** How often the staleness clock ticks. */
  tickMs?: number;
  /** Wait before reconnecting a socket the hub itself closed (socket.io does not retry those). */
  retryMs?: number;
  /** Ack timeout of `subscribe`. */
  subscribeTimeoutMs?: number;
}

export const SERIES_EVERY_MS = 60_000;

const loadSeriesOverHttp = (workshopId: string, token: string) => apiGet<DaySeries>(workshopPath(workshopId, '/series'), token);

export interface BoardFeed {
  /** Refetches the series now (also what the timers and watchers call). */
  refreshSeries(): Promise<void>;
  stop(): void;
}

export function useBoardFeed(workshopId: string, token: string | null, options: BoardFeedOptions = {}): BoardFeed {
  const feed = startBoardFeed(workshopId, token, options);
  if (getCurrentScope()) onScopeDispose(feed.stop);
  return feed;
}

export function startBoardFeed(workshopId: string, token: string | null, options: BoardFeedOptions = {}): BoardFeed {
  const store = useBoardStore();
  const now = options.now ?? Date.now;
  const connect = options.connect ?? connectHub;
  const loadWorkshop = options.loadWorkshop ?? fetchWorkshop;
  const loadSeries = options.loadSeries ?? loadSeriesOverHttp;
  const retryMs = options.retryMs ?? 3000;
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 10_000;

  if (!token) {
    store.markUnauthorized();
    return { refreshSeries: async () => {}, stop: () => {} };
  }
  const pageToken = token;

  const timers = ownedTimers();
  const later = timers.later;

  const refused = (err: unknown) => err instanceof ApiRequestError && (err.status === 401 || err.status === 403);

  let loadingWorkshop = false;
  async function ensureWorkshop() {
    if (store.workshop || loadingWorkshop) return;
    loadingWorkshop = true;
    try {
      store.setWorkshop(await loadWorkshop(workshopId, pageToken));
    } catch (err) {
      if (refused(err)) store.markUnauthorized();
      // Otherwise the next connect tries again; names fall back to ids meanwhile.
      else console.warn('board: workshop config not loaded', err);
    } finally {
      loadingWorkshop = false;
    }
  }

  // Only the newest request may land: a slow answer must not overwrite a fresher one.
  let seriesRequest = 0;
  async function refreshSeries() {
    if (timers.stopped) return;
    const mine = ++seriesRequest;
    try {
      const s = await loadSeries(workshopId, pageToken);
      if (mine === seriesRequest && !timers.stopped) store.setSeries(s);
    } catch (err) {
      if (refused(err)) store.markUnauthorized();
      // The charts keep the last series; the connection pill says what is wrong.
      else console.warn('board: series not loaded', err);
    }
  }

  const socket = connect(pageToken);

  function subscribe() {
    socket.timeout(subscribeTimeoutMs).emit('subscribe', workshopId, (err, reply) => {
      if (timers.stopped) return;
      if (err) {
        // No answer in time: ask again while this connection lasts.
        if (socket.connected) subscribe();
        return;
      }
      if (reply.ok) store.applySnapshot(reply.snapshot, now(), true);
      else if (reply.error.code === 'unauthorized' || reply.error.code === 'forbidden') store.markUnauthorized();
      else {
        // The token's budget is spent for now: ask again when the hub says, on this connection.
        const wait = rateLimitedWaitMs(reply.error);
        if (wait !== null) later(wait, () => socket.connected && subscribe());
        else console.warn('board: subscribe refused', reply.error);
      }
    });
  }

  socket.on('connect', () => {
    store.markConnected(now());
    subscribe();
    void ensureWorkshop();
    void refreshSeries();
  });
  socket.on('snapshot', (s) => {
    if (s.workshopId === workshopId) store.applySnapshot(s, now());
  });
  reconnectForever(socket, store, { now, later, retryMs });

  const tickMs = options.tickMs ?? 1000;
  const ticker = setInterval(() => store.tick(now()), tickMs);
  const seriesTimer = setInterval(() => {
    if (socket.connected) void refreshSeries();
  }, options.seriesEveryMs ?? SERIES_EVERY_MS);

  const stopWatch = watch(
    () => store.snapshot?.jobs.completedToday,
    (next, prev) => {
      if (prev !== undefined && next !== undefined && next !== prev) void refreshSeries();
    },
  );

  function stop() {
    if (timers.stopped) return;
    timers.stop();
    clearInterval(ticker);
    clearInterval(seriesTimer);
    stopWatch();
    socket.removeAllListeners();
    socket.disconnect();
  }

  return { refreshSeries, stop };
}
