import type { HistorySizes } from './options.js';
import type { HubHandle } from './processes.js';
import { procSample, wallMs } from './util.js';

/**
 * The pieces the history section (issue 14) shares between its parts: a timed GET that fails
 * the run on anything but 200, repeated requests within a time budget, a hub's start-up times
 * and its SIGTERM, and the workshop's calendar days counted back from today.
 */

/** What the section needs from the harness: sizes, a log line, a work dir, and hubs started as run.ts starts them. */
export interface HistoryDeps {
  sizes: HistorySizes;
  smoke: boolean;
  log: (message: string) => void;
  work: string;
  startHub: (label: string, configPath: string, store: { dataDir: string; redisUrl?: string }) => Promise<HubHandle>;
}

/** One GET with the token; the time from sending to the last byte of the body. A non-200 is an error naming the route and the answer. */
export async function timedGet(baseUrl: string, route: string, token: string): Promise<{ ms: number; at: number; text: string }> {
  const t0 = wallMs();
  const res = await fetch(`${baseUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const at = wallMs();
  if (res.status !== 200) throw new Error(`GET ${route}: ${res.status} ${text.slice(0, 300)}`);
  return { ms: at - t0, at, text };
}

/**
 * Each route in turn, round after round, `sizes.repeats` rounds, or fewer once the routes
 * together have used `sizes.routeBudgetSeconds` (and at least 3 answers are in): today's code
 * takes seconds per daily report of a long log, and the default run must stay a few minutes.
 * The times per route, in milliseconds.
 */
export async function repeated(sizes: HistorySizes, routes: readonly string[], get: (route: string) => Promise<number>): Promise<number[][]> {
  const samples = routes.map((): number[] => []);
  const started = wallMs();
  for (let round = 0; round < sizes.repeats; round++) {
    for (let i = 0; i < routes.length; i++) samples[i]!.push(await get(routes[i]!));
    if ((round + 1) * routes.length >= 3 && wallMs() - started > sizes.routeBudgetSeconds * 1000) break;
  }
  return samples;
}

export interface StartTimes {
  toHealthySeconds: number;
  toBoardSeconds: number;
  /** The first board's request alone (a hub that opens workshops on demand does the work here). */
  firstBoardMs: number;
  rssAtHealthyBytes: number | null;
}

export type FirstStart = StartTimes & { stopSeconds: number; stoppedCleanly: boolean };

const boardRoute = (id: string) => `/api/v1/workshops/${id}/board`;

/** Spawn → /healthz 200 (startHub waits for it), then the first board: both from the spawn. */
export async function startTimes(hub: HubHandle, id: string, token: string): Promise<StartTimes> {
  const rss = procSample(hub.pid)?.rssBytes ?? null;
  const board = await timedGet(hub.url, boardRoute(id), token);
  return { toHealthySeconds: (hub.readyAt - hub.spawnedAt) / 1000, toBoardSeconds: (board.at - hub.spawnedAt) / 1000, firstBoardMs: board.ms, rssAtHealthyBytes: rss };
}

/** SIGTERM and the wait for the exit; clean when the hub logged its "stopped" (server/main.ts) rather than being killed. */
export async function stopTimed(hub: HubHandle): Promise<{ stopSeconds: number; stoppedCleanly: boolean }> {
  const t0 = wallMs();
  await hub.stop('SIGTERM');
  return { stopSeconds: (wallMs() - t0) / 1000, stoppedCleanly: hub.output().includes('"msg":"stopped"') };
}

/** The first start on a preloaded log: its times, then SIGTERM and the wait for the exit. */
export async function firstRun(deps: HistoryDeps, label: string, configPath: string, store: { dataDir: string; redisUrl?: string }, id: string, token: string): Promise<FirstStart> {
  const hub = await deps.startHub(label, configPath, store);
  try {
    const times = await startTimes(hub, id, token);
    return { ...times, ...(await stopTimed(hub)) };
  } finally {
    // Already gone, unless the board failed: then it goes now.
    await hub.stop('SIGTERM');
  }
}

const DAY_MS = 86_400_000;

/** The calendar date `back` days before `today` ("2026-12-07", 1 → "2026-12-06"). */
export function daysBefore(today: string, back: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - back * DAY_MS).toISOString().slice(0, 10);
}
