import { getCurrentScope, onScopeDispose } from 'vue';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import type { SubscribeAck } from '../../../shared/socket.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { ApiRequestError } from './api.js';
import { ownedTimers, reconnectForever, type ConnectionSink, type HubSocket } from './hub-socket.js';
import { rateLimitedWaitMs } from './retry-after.js';

/**
 * One page's live subscription to a workshop, shared by the board, the lead console and the
 * terminal: one socket that reconnects forever and re-subscribes on every connect (a new
 * connection has no rooms), the workshop's config, the hub's refusals said to the store, and
 * everything (socket, timers, intervals, watchers) stopped at once. What a page does with a
 * snapshot, and what else it asks on connect, are its own.
 */
export interface SubscriptionSink extends ConnectionSink {
  markConnected(at: number): void;
}

export interface WorkshopSubscriptionOptions {
  workshopId: string;
  token: string;
  /** Names the page in the console's warnings ("board: …"). */
  label: string;
  sink: SubscriptionSink;
  connect: (token: string) => HubSocket;
  now: () => number;
  /** Wait before reconnecting a socket the hub itself closed (socket.io does not retry those). */
  retryMs: number;
  /** Ack timeout of `subscribe`. */
  subscribeTimeoutMs: number;
  /** The config, asked on every connect unless `haveWorkshop` says the page has it already. */
  loadWorkshop: (workshopId: string, token: string) => Promise<WorkshopConfig>;
  haveWorkshop?: () => boolean;
  onWorkshop(workshop: WorkshopConfig): void;
  /** The reply to a new subscription (`fromSubscribe`: the truth even with a lower seq) or a push for this workshop. */
  onSnapshot(snapshot: BoardSnapshot, fromSubscribe: boolean): void;
  /** What else the page asks when the socket (re)connects; runs before the subscription is sent. */
  onConnect?(): void;
}

export interface WorkshopSubscription {
  readonly socket: HubSocket;
  readonly stopped: boolean;
  /** A timeout that never fires after `stop()`. */
  later(ms: number, fn: () => void): void;
  /** An interval cleared by `stop()`. */
  every(ms: number, fn: () => void): void;
  /** Something else to undo on `stop()` (a watcher, a listener). */
  onStop(fn: () => void): void;
  /** Whether an HTTP failure is the hub refusing the token (the page then says "unauthorized"). */
  refused(err: unknown): boolean;
  stop(): void;
}

export const isRefusal = (err: unknown) => err instanceof ApiRequestError && (err.status === 401 || err.status === 403);

export function startWorkshopSubscription(o: WorkshopSubscriptionOptions): WorkshopSubscription {
  const timers = ownedTimers();
  const undo: (() => void)[] = [];
  const socket = o.connect(o.token);

  let loadingWorkshop = false;
  async function ensureWorkshop() {
    if (o.haveWorkshop?.() || loadingWorkshop) return;
    loadingWorkshop = true;
    try {
      const workshop = await o.loadWorkshop(o.workshopId, o.token);
      if (!timers.stopped) o.onWorkshop(workshop);
    } catch (err) {
      if (isRefusal(err)) o.sink.markUnauthorized();
      // Otherwise the next connect tries again; names fall back to ids meanwhile.
      else console.warn(`${o.label}: workshop config not loaded`, err);
    } finally {
      loadingWorkshop = false;
    }
  }

  function subscribe() {
    socket.timeout(o.subscribeTimeoutMs).emit('subscribe', o.workshopId, (err, reply) => {
      if (timers.stopped) return;
      // No answer in time: ask again while this connection lasts.
      if (err) {
        if (socket.connected) subscribe();
        return;
      }
      onSubscribeReply(reply);
    });
  }

  /** The one place that reads the subscribe ack's shape. */
  function onSubscribeReply(reply: SubscribeAck) {
    if (reply.ok) return o.onSnapshot(reply.snapshot, true);
    if (reply.error.code === 'unauthorized' || reply.error.code === 'forbidden') return o.sink.markUnauthorized();
    // The token's budget is spent for now: ask again when the hub says, on this connection.
    const wait = rateLimitedWaitMs(reply.error);
    if (wait !== null) timers.later(wait, () => socket.connected && subscribe());
    else console.warn(`${o.label}: subscribe refused`, reply.error);
  }

  socket.on('connect', () => {
    o.sink.markConnected(o.now());
    o.onConnect?.();
    subscribe();
    void ensureWorkshop();
  });
  socket.on('snapshot', (s) => {
    if (s.workshopId === o.workshopId) o.onSnapshot(s, false);
  });
  reconnectForever(socket, o.sink, { now: o.now, later: timers.later, retryMs: o.retryMs });

  return {
    socket,
    get stopped() {
      return timers.stopped;
    },
    later: timers.later,
    every(ms, fn) {
      const t = setInterval(fn, ms);
      undo.push(() => clearInterval(t));
    },
    onStop(fn) {
      undo.push(fn);
    },
    refused: isRefusal,
    stop() {
      if (timers.stopped) return;
      timers.stop();
      for (const fn of undo) fn();
      socket.removeAllListeners();
      socket.disconnect();
    },
  };
}

/** The subscription, stopped with the calling scope (the view). */
export function useWorkshopSubscription(options: WorkshopSubscriptionOptions): WorkshopSubscription {
  return stopWithScope(startWorkshopSubscription(options));
}

/** A page feed is let go of with the scope that started it (a view unmounted, a test's scope). */
export function stopWithScope<T extends { stop(): void }>(feed: T): T {
  if (getCurrentScope()) onScopeDispose(feed.stop);
  return feed;
}
