import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import type { DailyReport } from '../../shared/daily.js';
import { DAY_MS, localDate, localDayRange, startOfLocalDate } from '../../shared/time.js';
import { dailyReportOf } from '../engine/daily.js';
import { dayEndOf, dayWindow } from '../engine/daily-window.js';
import { FUTURE_TOLERANCE_MS } from '../engine/projection.js';
import { ROLLUP_RETENTION_MS } from '../engine/rollups.js';
import { readHistory } from './log-history.js';
import type { Workshop } from './workshop.js';

/**
 * A workshop opened with no checkpoint (the first start after an upgrade, or a checkpoint
 * refused) replays its whole log once. On the way, each past day's report is taken as the
 * replay crosses the day's end, and the recent days' checkpoints are written, so no later
 * request has to replay the whole log again for a day (day-reports.ts).
 *
 * When the replay meets the first event dated after day D, the projection holds exactly the
 * events before it in the log, all dated inside D or earlier: D's report by definition, unless
 * an event dated before D's end comes later in the log (an offline terminal's). So a day's
 * report is kept only once the log has moved past the time such an event could still be
 * accepted, and dropped if one comes: that day is built on demand instead.
 */

/** Survey events kept for the week's CX of the report being taken (engine/daily-customers.ts). */
const SURVEY_WINDOW_MS = 9 * DAY_MS;

interface Pending {
  end: number;
  report: DailyReport;
}

export async function firstReplay(w: Workshop, now: number): Promise<{ reports: number; dayCheckpoints: number }> {
  const p = w.queue.projection;
  const { config } = w;
  const { store, archiveDir, maxEventAgeMs } = w.dayReports.deps;
  const tz = config.timezone;
  const pending = new Map<string, Pending>();
  let surveys: PitwallEvent[] = [];
  let day: { date: string; end: number } | null = null;
  let saved = 0;
  let checkpoints = 0;
  const oldest = localDate(now - ROLLUP_RETENTION_MS, tz);

  const take = (date: string) => pending.set(date, { end: dayEndOf(date, tz), report: dailyReportOf(p, surveys, config, date, dayWindow(date, tz, now)) });
  const settle = async (e: StoredEvent) => {
    const at = Date.parse(e.event.at);
    const receivedAt = Date.parse(e.receivedAt);
    for (const [date, d] of pending) {
      if (at < d.end) pending.delete(date);
      else if (receivedAt - maxEventAgeMs - FUTURE_TOLERANCE_MS > d.end) {
        pending.delete(date);
        if (w.dayReports.final(date, now)) {
          await w.dayReports.saveFinal(date, d.report);
          saved++;
        }
      }
    }
  };

  // The whole log, from the archive where the store no longer holds it (log-history.ts).
  await readHistory(store, archiveDir, config.id, 0, async (page) => {
    for (const e of page) {
      await settle(e);
      const at = Date.parse(e.event.at);
      if (day === null || at >= day.end) {
        // Crossing into a later day: every day ended since is complete in the projection now.
        // Only the days a report may still be asked of with any use (the history's window): an old
        // log's event dated 1970 must not make the replay walk fifty years of empty days.
        if (day !== null) for (let d = laterDate(day.date, oldest); dayEndOf(d, tz) <= at; d = nextDate(d)) take(d);
        day = { date: localDate(at, tz), end: localDayRange(at, tz).end };
        if (startOfLocalDate(day.date, tz) >= now - w.dayReports.dayCheckpointsReachMs) {
          await w.dayReports.saveDayCheckpoint(day.date, p);
          checkpoints++;
        }
      }
      p.apply([e.event]);
      if (e.event.type === 'survey.submitted') surveys.push(e.event);
    }
    surveys = surveys.filter((s) => Date.parse(s.at) >= (day?.end ?? now) - DAY_MS - SURVEY_WINDOW_MS);
    p.compact(now);
  });
  return { reports: saved, dayCheckpoints: checkpoints };
}

function laterDate(a: string, b: string): string {
  return a > b ? a : b;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
