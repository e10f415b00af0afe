import { watch } from 'vue';
import type { DaySeries } from '../../../../shared/series.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { apiGet, workshopPath } from '../../lib/api.js';
import { connectHub, type HubSocket } from '../../lib/hub-socket.js';
import { fetchWorkshop } from '../../lib/workshop.js';
import { useBoardStore } from './board-store.js';
import { startWorkshopSubscription, stopWithScope } from '../../lib/useWorkshopSubscription.js';

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
  return stopWithScope(startBoardFeed(workshopId, token, options));
}

export function startBoardFeed(workshopId: string, token: string | null, options: BoardFeedOptions = {}): BoardFeed {
  const store = useBoardStore();
  const now = options.now ?? Date.now;
  const loadSeries = options.loadSeries ?? loadSeriesOverHttp;

  if (!token) {
    store.markUnauthorized();
    return { refreshSeries: async () => {}, stop: () => {} };
  }
  const pageToken = token;

  const sub = startWorkshopSubscription({
    workshopId,
    token: pageToken,
    label: 'board',
    sink: store,
    connect: options.connect ?? connectHub,
    now,
    retryMs: options.retryMs ?? 3000,
    subscribeTimeoutMs: options.subscribeTimeoutMs ?? 10_000,
    loadWorkshop: options.loadWorkshop ?? fetchWorkshop,
    haveWorkshop: () => store.workshop !== null,
    onWorkshop: store.setWorkshop,
    onSnapshot: (s, fromSubscribe) => store.applySnapshot(s, now(), fromSubscribe),
    onConnect: () => void refreshSeries(),
  });

  // Only the newest request may land: a slow answer must not overwrite a fresher one.
  let seriesRequest = 0;
  async function refreshSeries() {
    if (sub.stopped) return;
    const mine = ++seriesRequest;
    try {
      const s = await loadSeries(workshopId, pageToken);
      if (mine === seriesRequest && !sub.stopped) store.setSeries(s);
    } catch (err) {
      if (sub.refused(err)) store.markUnauthorized();
      // The charts keep the last series; the connection pill says what is wrong.
      else console.warn('board: series not loaded', err);
    }
  }

  sub.every(options.tickMs ?? 1000, () => store.tick(now()));
  sub.every(options.seriesEveryMs ?? SERIES_EVERY_MS, () => {
    if (sub.socket.connected) void refreshSeries();
  });
  sub.onStop(
    watch(
      () => store.snapshot?.jobs.completedToday,
      (next, prev) => {
        if (prev !== undefined && next !== undefined && next !== prev) void refreshSeries();
      },
    ),
  );

  return { refreshSeries, stop: sub.stop };
}
