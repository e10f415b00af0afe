/**
 * A page's refetch of what the socket does not push (the lead's answers, the terminal's
 * lists): one request at a time, a request made during it runs once more as soon as it ends
 * (the newest state wins), and `soon()` runs at most once per `throttleMs` (a burst of
 * snapshots costs one refetch, the last change of a window getting its fetch at the window's end).
 */
export interface SerialRefreshOptions {
  throttleMs: number;
  now: () => number;
  /** The feed's owned timeout (never fires after the feed stopped). */
  later: (ms: number, fn: () => void) => void;
  stopped: () => boolean;
}

export interface SerialRefresh {
  /** Now, or as soon as the one in flight ends. */
  run(): Promise<void>;
  /** Throttled. */
  soon(): void;
}

export function serialRefresh(fetch: () => Promise<void>, o: SerialRefreshOptions): SerialRefresh {
  let inFlight: Promise<void> | null = null;
  let again = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let queued = false;

  function run(): Promise<void> {
    if (o.stopped()) return Promise.resolve();
    if (inFlight) {
      again = true;
      return inFlight;
    }
    lastStart = o.now();
    inFlight = fetch().finally(() => {
      inFlight = null;
      if (again && !o.stopped()) {
        again = false;
        void run();
      }
    });
    return inFlight;
  }

  function soon() {
    const wait = lastStart + o.throttleMs - o.now();
    if (wait <= 0) {
      void run();
      return;
    }
    if (queued) return;
    queued = true;
    o.later(wait, () => {
      queued = false;
      void run();
    });
  }

  return { run, soon };
}
