import type { HistoryCase, HistoryResult } from './history-phase.js';
import { fmtMb, fmtMs, fmtS, type Table } from './report.js';
import { MB } from './util.js';

/**
 * The history section's rows (history-phase.ts), with issue 14's targets beside the figures.
 * A short and a long log of the same shape share a row where the target compares them.
 */

const le = (v: number | null | undefined, max: number): boolean | null => (v === null || v === undefined ? null : v <= max);
const both = (a: boolean | null, b: boolean | null): boolean | null => (a === null || b === null ? null : a && b);

function pairRows(t: Table, short: HistoryCase, long: HistoryCase): void {
  const what = `${short.shapeLabel}, ${short.days} → ${long.days} days of log`;
  const grow = short.rssAfterStartBytes !== null && long.rssAfterStartBytes !== null ? long.rssAfterStartBytes - short.rssAfterStartBytes : null;
  t.add('history', `hub RSS after start-up and first board (${what})`, `${fmtMb(short.rssAfterStartBytes)} → ${fmtMb(long.rssAfterStartBytes)}`, {
    baseline: `${grow !== null && grow >= 0 ? '+' : ''}${fmtMb(grow)}`,
    target: `${long.days} − ${short.days} ≤ 20 MB`,
    ok: le(grow, 20 * MB),
  });
  t.add('history', `first start after upgrade → /healthz 200, board; SIGTERM → exit (${what})`, `${fmtS(short.firstStart.toHealthySeconds)} → ${fmtS(long.firstStart.toHealthySeconds)}, ${fmtS(short.firstStart.toBoardSeconds)} → ${fmtS(long.firstStart.toBoardSeconds)}`, {
    baseline: `stop ${fmtS(short.firstStart.stopSeconds)} → ${fmtS(long.firstStart.stopSeconds)}`,
  });
  t.add('history', `start-up → /healthz 200 (${what})`, `${fmtS(short.start.toHealthySeconds)} → ${fmtS(long.start.toHealthySeconds)}`);
  t.add('history', `start-up → first board answered (${what})`, `${fmtS(short.start.toBoardSeconds)} → ${fmtS(long.start.toBoardSeconds)}`, {
    baseline: `the request itself ${fmtMs(short.start.firstBoardMs)} → ${fmtMs(long.start.firstBoardMs)}`,
    target: '≤ 1 s',
    ok: both(le(short.start.toBoardSeconds, 1), le(long.start.toBoardSeconds, 1)),
  });
}

/** A figure, or what the route answered instead (the run's errors hold the hub's own line). */
const or = (c: HistoryCase, route: keyof HistoryCase['failed'], text: string) => (c.failed[route] === undefined ? text : `failed (${c.failed[route]})`);

function queryRows(t: Table, c: HistoryCase): void {
  const what = `${c.shapeLabel}, ${c.days} days`;
  const days = c.daily.map((d) => d.daysBack).join(', ');
  t.add('history', `daily?date= p50 / p95 (${what}; days back: ${days}; ${c.dailyMs.count} requests)`, or(c, 'daily', `${fmtMs(c.dailyMs.p50)} / ${fmtMs(c.dailyMs.p95)}`), {
    baseline: `max ${fmtMs(c.dailyMs.max)}`,
    target: 'p50 ≤ 50 ms',
    ok: c.failed.daily ? false : le(c.dailyMs.p50, 50),
  });
  t.add('history', `staffing p50 (${what}; ${c.staffingMs.count} requests)`, or(c, 'staffing', fmtMs(c.staffingMs.p50)), { baseline: `p95 ${fmtMs(c.staffingMs.p95)}`, target: '≤ 50 ms', ok: c.failed.staffing ? false : le(c.staffingMs.p50, 50) });
  t.add('history', `history, 13 months by day, p50 (${what}; ${c.historyMs.count} requests)`, or(c, 'history', fmtMs(c.historyMs.p50)), { baseline: `p95 ${fmtMs(c.historyMs.p95)}`, target: '≤ 100 ms', ok: c.failed.history ? false : le(c.historyMs.p50, 100) });
}

export function historyRows(t: Table, r: HistoryResult): void {
  for (const shape of ['bench', 'busy'] as const) {
    const cases = r.cases.filter((c) => c.shape === shape).sort((a, b) => a.days - b.days);
    if (cases.length === 2) pairRows(t, cases[0]!, cases[1]!);
    for (const c of cases) queryRows(t, c);
  }
  const m = r.many;
  if (m) {
    const what = `${m.workshops.toLocaleString('en-US')} workshops, ${m.daysEach} day(s) of log each`;
    t.add('history', `restart → /healthz 200 (${what})`, fmtS(m.toHealthySeconds), { baseline: `first start ${fmtS(m.firstStart.toHealthySeconds)}`, target: '≤ 2 s', ok: le(m.toHealthySeconds, 2) });
    t.add('history', `restart → every event log checked, in the background after /healthz (${what})`, m.logsCheckedSeconds === null ? 'not logged' : fmtS(m.logsCheckedSeconds), {
      baseline: m.logsCheckMs === null ? 'the hub did not log it (a version that checks before /healthz)' : `the check itself ${fmtS(m.logsCheckMs / 1000)}`,
    });
    t.add('history', `hub RSS before any use, every log loaded (${what})`, fmtMb(m.rssBeforeUseBytes), { baseline: `${fmtMb(m.rssAfterBoardsBytes)} after the boards below`, target: '≤ 200 MB', ok: le(m.rssBeforeUseBytes, 200 * MB) });
    t.add('history', `first board of ${m.coldWorkshops.length} cold workshops, one after another: p95`, fmtMs(m.coldBoardMs.p95), {
      baseline: `p50 ${fmtMs(m.coldBoardMs.p50)}, max ${fmtMs(m.coldBoardMs.max)}`,
      target: '≤ 200 ms',
      ok: le(m.coldBoardMs.p95, 200),
    });
  }
  const x = r.redis;
  if (x) {
    t.add('history', `Redis used_memory per workshop-year (${x.days} days${x.days < 365 ? ', scaled to 365' : ''})`, fmtMb(x.perWorkshopYearBytes), {
      baseline: `${fmtMb(x.usedMemoryBeforeBytes)} → ${fmtMb(x.usedMemoryAfterPreloadBytes)} preloaded → ${fmtMb(x.usedMemoryAfterHubBytes)} after a hub`,
      target: '≤ 30 MB',
      ok: le(x.perWorkshopYearBytes, 30 * MB),
    });
  }
}
