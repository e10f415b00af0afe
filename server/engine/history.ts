import { addSums, emptySums, historyFigures, type HistoryQuery, type HistoryResponse, type HistoryRow, type HistorySums } from '../../shared/history.js';
import { localDate, localDayRange, localParts, startOfLocalDate, toIso } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { cachedLocalDayRange, localWeekday, offsetText } from './local-hours.js';
import { parseCell, type Rollups } from './rollups.js';
import type { WorkshopState } from './state.js';

/**
 * Answers a history query from the roll-ups: the stored hours of the range plus what is still
 * open at `now`, grouped by bucket (or folded onto hour of day / day of week) and cross-cut.
 * Pure: `now` comes in.
 */
export function historyOf(rollups: Rollups, s: WorkshopState, ctx: WorkshopContext, q: HistoryQuery, workshopId: string, now: number): HistoryResponse {
  const tz = ctx.config.timezone;
  const from = startOfLocalDate(q.from, tz);
  const until = localDayRange(startOfLocalDate(q.to, tz), tz).end;
  const groups = new Map<string, { start: number | null; label: string; order: number; key: string; sums: HistorySums }>();

  const groupOf = (hour: number): { id: string; start: number | null; label: string; order: number } => {
    if (q.fold === 'hourOfDay') {
      const h = localParts(hour, tz).hour;
      return { id: `h${h}`, start: null, label: String(h), order: h };
    }
    if (q.fold === 'dayOfWeek') {
      const d = localWeekday(hour, tz);
      return { id: `d${d}`, start: null, label: String(d), order: d };
    }
    if (q.bucket === 'day') {
      const start = cachedLocalDayRange(hour, tz).start;
      return { id: `t${start}`, start, label: localDate(start, tz), order: start };
    }
    const p = localParts(hour, tz);
    return { id: `t${hour}`, start: hour, label: `${localDate(hour, tz)} ${String(p.hour).padStart(2, '0')}:00${offsetText(hour, tz)}`, order: hour };
  };
  const keyOf = (hour: number, c: string): string | null => {
    const { dim, key } = parseCell(c);
    if (q.by === undefined) return dim === 'all' ? 'all' : null;
    if (q.by === 'daytype') return dim === 'all' ? (localWeekday(hour, tz) >= 6 ? 'weekend' : 'weekday') : null;
    return dim === q.by ? key : null;
  };
  const fold = (hour: number, cells: Map<string, HistorySums>) => {
    const g = groupOf(hour);
    for (const [c, sums] of cells) {
      const key = keyOf(hour, c);
      if (key === null) continue;
      const id = `${g.id}\u0000${key}`;
      const target = groups.get(id) ?? groups.set(id, { start: g.start, label: g.label, order: g.order, key, sums: emptySums() }).get(id)!;
      addSums(target.sums, sums);
    }
  };

  // The one stored dimension `keyOf` reads: frozen buckets thaw only that (bucket-sums.ts).
  const dim = q.by === undefined || q.by === 'daytype' ? 'all' : q.by;
  for (const [hour, cells] of rollups.hours.between(from, until, dim)) fold(hour, cells);
  // Days folded from old hours count for day buckets (and day-of-week folds); hours are gone.
  if (q.bucket === 'day') for (const [day, cells] of rollups.days.between(from, until, dim)) fold(day, cells);
  for (const [hour, cells] of rollups.timeSince(s, now)) if (hour >= from && hour < until) fold(hour, cells);

  // Without a cross-cut, every bucket of the range has its row: a chart's axis has no holes.
  if (q.by === undefined && q.fold === undefined) {
    for (let day = from; day < until; day = cachedLocalDayRange(day, tz).end) {
      if (q.bucket === 'day') ensure(groups, groupOf(day));
      else for (let h = day, end = cachedLocalDayRange(day, tz).end; h < end; h += 3_600_000) ensure(groups, groupOf(h));
    }
  }

  const rows: HistoryRow[] = [...groups.values()]
    .sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((g) => ({
      start: g.start === null ? null : toIso(g.start),
      label: g.label,
      key: g.key,
      sums: roundSums(g.sums),
      figures: historyFigures(g.sums, ctx.thresholds, ctx.config.cjiWeights),
    }));
  return {
    workshopId,
    timezone: tz,
    from: q.from,
    to: q.to,
    bucket: q.bucket,
    by: q.by ?? null,
    fold: q.fold ?? null,
    asOf: toIso(now),
    rows,
  };
}

function ensure(groups: Map<string, { start: number | null; label: string; order: number; key: string; sums: HistorySums }>, g: { id: string; start: number | null; label: string; order: number }): void {
  const id = `${g.id}\u0000all`;
  if (!groups.has(id)) groups.set(id, { start: g.start, label: g.label, order: g.order, key: 'all', sums: emptySums() });
}

/** Minutes to 0.01, so floating-point dust of many small intervals never shows in a report. */
function roundSums(s: HistorySums): HistorySums {
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    ...s,
    standardMin: r(s.standardMin),
    workedMin: r(s.workedMin),
    serviceMin: r(s.serviceMin),
    productiveMin: r(s.productiveMin),
    attendanceMin: r(s.attendanceMin),
    waits: s.waits.map(r).sort((a, b) => a - b),
  };
}
