import { localDate } from '../../shared/time.js';
import { writeBenchConfig } from './config.js';
import { daysBefore, firstRun, repeated, startTimes, timedGet, type FirstStart, type HistoryDeps, type StartTimes } from './history-http.js';
import { manyWorkshops, redisYear, type ManyWorkshopsResult, type RedisYearResult } from './history-scale.js';
import { preloadEmbedded } from './preload.js';
import { removeTempDir, tempDir, type HubHandle } from './processes.js';
import { BENCH_SHAPE, BUSY_SHAPE, DayTemplates, TIMEZONE, type WorkshopShape } from './traffic.js';
import { procSample, sleep, summarise, type Summary } from './util.js';

/**
 * `--only history`: what issue 14 promises, that the hub's cost does not grow with the length
 * of its history, measured on today's code so the same command shows the before and the after.
 * Part 1 here (one workshop, a short log vs a long one, each shape); parts 2 and 3 (1,000
 * workshops, Redis per workshop-year) in history-scale.ts; the table rows in history-report.ts.
 *
 * Every log is preloaded (days ending yesterday), the hub started once and stopped with
 * SIGTERM (a version with checkpoints and roll-ups on disk builds them then: "first start
 * after upgrade"), then started again and measured.
 */

/** Daily reports asked for: these many days back, those the log holds. */
const DAYS_BACK = [1, 7, 30, 100, 300];
/** 13 months of days, inside the 400 a day query may span (shared/history.ts). */
const HISTORY_SPAN_DAYS = 396;

export interface HistoryCase {
  shape: 'bench' | 'busy';
  shapeLabel: string;
  days: number;
  events: number;
  jobs: number;
  preloadSeconds: number;
  /** The first start on the preloaded log, and its SIGTERM → exit. */
  firstStart: FirstStart;
  /** The measured start. */
  start: StartTimes;
  /** After the first board and a moment for the heap to settle: the RSS target's figure. */
  rssAfterStartBytes: number | null;
  rssAfterQueriesBytes: number | null;
  daily: { daysBack: number; date: string; ms: Summary }[];
  dailyMs: Summary;
  staffingMs: Summary;
  historyMs: Summary;
  historyQuery: string;
  /** Routes that answered other than 200 (the run's errors say how): their figures are empty. */
  failed: Partial<Record<'daily' | 'staffing' | 'history', string>>;
}

export interface HistoryResult {
  cases: HistoryCase[];
  many: ManyWorkshopsResult | null;
  redis: RedisYearResult | null;
  notes: string[];
}

async function measureCase(deps: HistoryDeps, shape: HistoryCase['shape'], templates: DayTemplates, days: number, errors: string[]): Promise<HistoryCase> {
  const config = writeBenchConfig(deps.work, 1, templates.shape, `pitwall-history-${shape}.json`);
  const id = config.workshops[0]!.id;
  const shapeLabel = shapeName(templates.shape);
  const dataDir = tempDir('pitwall-bench-history-');
  try {
    const loaded = preloadEmbedded(dataDir, [id], templates, { days });
    deps.log(`history ${shape}, ${days} days: ${loaded.events.toLocaleString('en-US')} events (${loaded.jobs.toLocaleString('en-US')} jobs) preloaded in ${(loaded.ms / 1000).toFixed(1)} s`);
    const label = `history-${shape}-${days}d`;
    const firstStart = await firstRun(deps, `${label}-first`, config.file, { dataDir }, id, config.boardToken);
    const hub = await deps.startHub(label, config.file, { dataDir });
    try {
      const start = await startTimes(hub, id, config.boardToken);
      await sleep(deps.smoke ? 200 : 1000);
      const rssAfterStartBytes = procSample(hub.pid)?.rssBytes ?? null;
      const q = await queries(deps, hub, id, { admin: config.adminToken, board: config.boardToken }, days, errors, `${shape} ${days} days`);
      const result: HistoryCase = {
        shape,
        shapeLabel,
        days,
        events: loaded.events,
        jobs: loaded.jobs,
        preloadSeconds: loaded.ms / 1000,
        firstStart,
        start,
        rssAfterStartBytes,
        rssAfterQueriesBytes: procSample(hub.pid)?.rssBytes ?? null,
        ...q,
      };
      deps.log(
        `  first start ${result.firstStart.toHealthySeconds.toFixed(2)} s (stop ${firstStart.stopSeconds.toFixed(2)} s); then /healthz ${start.toHealthySeconds.toFixed(2)} s, board ${start.toBoardSeconds.toFixed(2)} s, ` +
          `RSS ${mb(rssAfterStartBytes)}; daily p50 ${ms(q.dailyMs.p50)}, staffing p50 ${ms(q.staffingMs.p50)}, history p50 ${ms(q.historyMs.p50)}`,
      );
      return result;
    } finally {
      await hub.stop('SIGTERM');
    }
  } finally {
    removeTempDir(dataDir);
  }
}

/**
 * The daily reports of past days spread over the log, staffing, and 13 months of history by
 * day. A route that fails is an error of the run (with the hub's own log line about it) and an
 * empty figure; the other routes are still measured.
 */
async function queries(deps: HistoryDeps, hub: HubHandle, id: string, tokens: { admin: string; board: string }, days: number, errors: string[], what: string) {
  const today = localDate(Date.now(), TIMEZONE);
  const back = DAYS_BACK.filter((d) => d <= days);
  const historyQuery = `from=${daysBefore(today, HISTORY_SPAN_DAYS)}&to=${daysBefore(today, 1)}&bucket=day`;
  const failed: HistoryCase['failed'] = {};
  const measure = async (name: keyof HistoryCase['failed'], routes: string[], token: string): Promise<number[][]> => {
    try {
      return await repeated(deps.sizes, routes, async (route) => (await timedGet(hub.url, route, token)).ms);
    } catch (err) {
      const logged = hubErrors(hub);
      failed[name] = /: (\d{3}) /.exec(err instanceof Error ? err.message : '')?.[1] ?? 'error';
      errors.push(`history ${what}: ${err instanceof Error ? err.message : String(err)}${logged ? `; the hub logged: ${logged}` : ''}`);
      deps.log(`ERROR ${errors.at(-1)!.slice(0, 300)}`);
      return routes.map(() => []);
    }
  };
  const base = `/api/v1/workshops/${id}`;
  const dailySamples = await measure('daily', back.map((d) => `${base}/daily?date=${daysBefore(today, d)}`), tokens.admin);
  const [staffing] = await measure('staffing', [`${base}/staffing`], tokens.board);
  const [history] = await measure('history', [`${base}/history?${historyQuery}`], tokens.admin);
  return {
    daily: back.map((d, i) => ({ daysBack: d, date: daysBefore(today, d), ms: summarise(dailySamples[i]!) })),
    dailyMs: summarise(dailySamples.flat()),
    staffingMs: summarise(staffing!),
    historyMs: summarise(history!),
    historyQuery,
    failed,
  };
}

/** The hub's last error lines (pino level 50 and up), for an error of the run that a hub's 500 caused. */
function hubErrors(hub: HubHandle): string {
  const lines = hub.output().split('\n').filter((l) => /"level":(50|60)/.test(l));
  return lines.slice(-2).map((l) => l.slice(0, 1500)).join(' | ');
}

export function shapeName(shape: WorkshopShape): string {
  return `${shape.groups * shape.baysPerGroup} bays, ${shape.groups * shape.techniciansPerGroup} technicians`;
}

const mb = (b: number | null) => (b === null ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`);
const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)} ms`);

/** The whole section; a part that fails is recorded in `errors` and the others still run. */
export async function runHistory(deps: HistoryDeps, withRedis: boolean, errors: string[]): Promise<HistoryResult> {
  const { sizes } = deps;
  const result: HistoryResult = { cases: [], many: null, redis: null, notes: [] };
  const part = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (err) {
      errors.push(`history ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      deps.log(`ERROR in history ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const bench = new DayTemplates(BENCH_SHAPE);
  const busy = new DayTemplates(BUSY_SHAPE);
  if (sizes.busyLongDays < sizes.longDays) result.notes.push(`the busy workshop's long log is ${sizes.busyLongDays} days, the 8-bay one's ${sizes.longDays}`);
  for (const note of result.notes) deps.log(`history: ${note}`);
  for (const [shape, templates, days] of [
    ['bench', bench, [sizes.shortDays, sizes.longDays]],
    ['busy', busy, [sizes.busyShortDays, sizes.busyLongDays]],
  ] as const) {
    for (const d of days) await part(`${shape} ${d} days`, async () => void result.cases.push(await measureCase(deps, shape, templates, d, errors)));
  }
  await part('many workshops', async () => void (result.many = await manyWorkshops(deps, bench)));
  if (withRedis) await part('redis', async () => void (result.redis = await redisYear(deps, bench)));
  else result.notes.push('Redis per workshop-year not measured: --store embedded');
  // A first start that had to be killed wrote nothing a later version would build at shutdown: the restart's figures would not be the issue's.
  const firsts: [string, FirstStart | undefined][] = [...result.cases.map((c): [string, FirstStart] => [`${c.shape} ${c.days} days`, c.firstStart]), ['many workshops', result.many?.firstStart], ['redis', result.redis?.firstStart]];
  for (const [name, f] of firsts) if (f && !f.stoppedCleanly) errors.push(`history ${name}: the first start did not stop cleanly on SIGTERM (no "stopped" in its log after ${f.stopSeconds.toFixed(1)} s)`);
  return result;
}
