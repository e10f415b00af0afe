import type { DailyReport } from '../../../shared/daily.js';
import { historyQuery, type HistoryResponse } from '../../../shared/history.js';
import { CALENDAR_DATE_RULE, isCalendarDate, localDate, startOfLocalDate } from '../../../shared/time.js';
import { historyOf } from '../../engine/history.js';
import { HOUR_RETENTION_MS } from '../../engine/rollups.js';
import { fail } from '../../errors.js';
import { issueDetails } from '../../../shared/issue-details.js';
import type { Workshop } from '../workshop.js';

/** What the reports view reads: one day's report, and the history over weeks (lead and admin). */

export async function daily(w: Workshop, date: string | undefined, now: number): Promise<DailyReport> {
  const day = date ?? localDate(now, w.config.timezone);
  if (!isCalendarDate(day)) throw fail.badRequest('invalid date', [{ path: 'date', message: CALENDAR_DATE_RULE }]);
  // Not from the projection alone: a past day needs events it has compacted away (day-reports.ts).
  return w.dayReports.report(day, await w.queue.settled(), now);
}

export async function history(w: Workshop, query: unknown, now: number): Promise<HistoryResponse> {
  const parsed = historyQuery.safeParse(query);
  if (!parsed.success) throw fail.badRequest('invalid history query', issueDetails(parsed.error, query));
  if (parsed.data.bucket === 'hour' && startOfLocalDate(parsed.data.from, w.config.timezone) < now - HOUR_RETENTION_MS) {
    throw fail.badRequest('invalid history query', [{ path: 'from', message: `hour buckets reach back ${HOUR_RETENTION_MS / 86_400_000} days; use bucket=day for older dates` }]);
  }
  const p = await w.queue.settled();
  return historyOf(p.rollups, p.state, p.ctx, parsed.data, w.config.id, now);
}
