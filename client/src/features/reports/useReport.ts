import { onMounted, ref, shallowRef, watch } from 'vue';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import { ApiRequestError } from '../../lib/api.js';
import { isolate } from '../../lib/display-text.js';
import { addDays, yesterdayOf } from './report-days.js';
import type { Translate } from './report-figures.js';
import { loadReport, type ReportData } from './reports-api.js';
import { fetchBoard, fetchWorkshop } from '../../lib/workshop.js';

/**
 * The manager's report of one day, as the other views have their feed: the workshop's config,
 * the hub's "today" (its clock may not be the browser's: the demo runs fast), the day shown
 * (yesterday by default) and its data, reloaded whenever the day changes. Only the answer for
 * the day asked last lands; a refusal is said in the reader's words.
 */
export function useReport(workshopId: string, token: string | null, firstDate: string | null, t: Translate) {
  const workshop = shallowRef<WorkshopConfig | null>(null);
  const hubToday = ref<string | null>(null);
  const date = ref<string | null>(firstDate);
  const data = shallowRef<ReportData | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  function explain(e: unknown): string {
    if (e instanceof ApiRequestError) {
      if (e.status === 401) return t('conn.unauthorized');
      if (e.status === 403) return t('reports.forbidden');
      return t('reports.failed', { message: isolate(e.error.message) });
    }
    return t('reports.failed', { message: isolate(e instanceof Error ? e.message : String(e)) });
  }

  let loadSeq = 0;
  async function load(day: string): Promise<void> {
    if (!token) return;
    const mine = ++loadSeq;
    loading.value = true;
    try {
      const next = await loadReport(workshopId, token, day);
      // A slower answer for a day the manager has already left must not overwrite the newer one.
      if (mine !== loadSeq) return;
      data.value = next;
      error.value = null;
    } catch (e) {
      if (mine === loadSeq) error.value = explain(e);
    } finally {
      if (mine === loadSeq) loading.value = false;
    }
  }

  onMounted(async () => {
    if (!token) {
      error.value = t('conn.unauthorized');
      return;
    }
    try {
      const [ws, board] = await Promise.all([fetchWorkshop(workshopId, token), fetchBoard(workshopId, token)]);
      workshop.value = ws;
      hubToday.value = addDays(yesterdayOf(board.asOf, ws.timezone), 1);
      if (date.value === null) date.value = yesterdayOf(board.asOf, ws.timezone);
      else await load(date.value);
    } catch (e) {
      error.value = explain(e);
    }
  });

  watch(date, (d) => {
    if (d !== null) void load(d);
  });

  /** A day before or after, never past the hub's today. */
  function go(days: number) {
    if (date.value === null) return;
    const next = addDays(date.value, days);
    if (hubToday.value !== null && next > hubToday.value) return;
    date.value = next;
  }

  return { workshop, hubToday, date, data, loading, error, go };
}
