import { dailyReport, type DailyReport } from '../../../../shared/daily.js';
import { historyResponse, type HistoryBucket, type HistoryDimension, type HistoryFold, type HistoryResponse } from '../../../../shared/history.js';
import { apiGet, workshopPath } from '../../lib/api.js';
import { addDays } from './report-days.js';

/**
 * The manager's reads, each answer checked against the shared schema: a hub of another
 * version fails loudly here rather than drawing half a table.
 */
export async function fetchDaily(workshopId: string, token: string, date: string): Promise<DailyReport> {
  return dailyReport.parse(await apiGet<unknown>(workshopPath(workshopId, `/daily?date=${encodeURIComponent(date)}`), token));
}

export interface HistoryRequest {
  from: string;
  to: string;
  bucket?: HistoryBucket;
  by?: HistoryDimension;
  fold?: HistoryFold;
}

export async function fetchHistory(workshopId: string, token: string, q: HistoryRequest): Promise<HistoryResponse> {
  const params = new URLSearchParams({ from: q.from, to: q.to });
  if (q.bucket) params.set('bucket', q.bucket);
  if (q.by) params.set('by', q.by);
  if (q.fold) params.set('fold', q.fold);
  return historyResponse.parse(await apiGet<unknown>(workshopPath(workshopId, `/history?${params}`), token));
}

/** Everything the report of one day draws: the day itself and the month of history up to it. */
export interface ReportData {
  daily: DailyReport;
  /** Day rows, the 30 days to the report's day. */
  month: HistoryResponse | null;
  /** Day rows of the 30 days before those: the month-on-month comparison (环比). */
  previousMonth: HistoryResponse | null;
  /** Day-of-week fold of the 4 weeks to the day. */
  dayOfWeek: HistoryResponse | null;
  /** Hour-of-day fold of the same 4 weeks (hours reach back 35 days only: null beyond). */
  hourOfDay: HistoryResponse | null;
  byDaytype: HistoryResponse | null;
  byAdvisor: HistoryResponse | null;
  byService: HistoryResponse | null;
  byCustomer: HistoryResponse | null;
}

export const MONTH_DAYS = 30;
export const FOLD_DAYS = 28;

type Range = { from: string; to: string };
export function reportRanges(date: string): { month: Range; previousMonth: Range; fold: Range } {
  return {
    month: { from: addDays(date, -(MONTH_DAYS - 1)), to: date },
    previousMonth: { from: addDays(date, -(2 * MONTH_DAYS - 1)), to: addDays(date, -MONTH_DAYS) },
    fold: { from: addDays(date, -(FOLD_DAYS - 1)), to: date },
  };
}

/**
 * The day must load; each history part may fail on its own (an hour fold too far back is a
 * 400 by design) and then shows as "no data" instead of taking the whole report down.
 */
export async function loadReport(workshopId: string, token: string, date: string): Promise<ReportData> {
  const { month, previousMonth, fold } = reportRanges(date);
  const h = (q: HistoryRequest) => fetchHistory(workshopId, token, q).catch((e: unknown) => (e instanceof Error && 'status' in e && e.status === 400 ? null : Promise.reject(e)));
  const [daily, m, pm, dow, hod, daytype, advisor, service, customer] = await Promise.all([
    fetchDaily(workshopId, token, date),
    h(month),
    h(previousMonth),
    h({ ...fold, fold: 'dayOfWeek' }),
    h({ ...fold, bucket: 'hour', fold: 'hourOfDay' }),
    h({ ...month, by: 'daytype' }),
    h({ ...month, by: 'advisor' }),
    h({ ...month, by: 'service' }),
    h({ ...month, by: 'customer' }),
  ]);
  return { daily, month: m, previousMonth: pm, dayOfWeek: dow, hourOfDay: hod, byDaytype: daytype, byAdvisor: advisor, byService: service, byCustomer: customer };
}
