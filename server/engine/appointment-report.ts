import { APPOINTMENT_REPORT_WEEKS, type AppointmentReport } from '../../shared/appointments.js';
import { emptySums, historyQuery, type HistorySums } from '../../shared/history.js';
import { DAY_MS, localDate } from '../../shared/time.js';
import type { WorkshopContext } from './context.js';
import { appointmentStatus, noShowAfterMs } from './evolve-appointments.js';
import { historyOf } from './history.js';
import type { Rollups } from './rollups.js';
import type { WorkshopState } from './state.js';

/**
 * The reports' appointment figures (issue 15, docs/api.md "Appointment report"): per local
 * week of the last APPOINTMENT_REPORT_WEEKS and this one, the share of check-ins that were
 * booked, the no-show rate, and the weekday share of check-ins (the case's 削峰填谷 measure:
 * appointments moving volume from the weekend); and weekend against weekday satisfaction and
 * waiting-touchpoint score over the same weeks. Check-ins and surveys come from the history's
 * day sums (history.ts), appointments from the state, which keeps them as long as this looks back.
 */

/** The Monday (YYYY-MM-DD) of a local date's week: calendar arithmetic on the date itself. */
export function weekStartOf(date: string): string {
  const d = Date.parse(`${date}T00:00:00Z`);
  const back = (new Date(d).getUTCDay() + 6) % 7;
  return new Date(d - back * DAY_MS).toISOString().slice(0, 10);
}

export function appointmentReport(rollups: Rollups, s: WorkshopState, ctx: WorkshopContext, now: number): AppointmentReport {
  const tz = ctx.timezone;
  const to = localDate(now, tz);
  const from = new Date(Date.parse(`${weekStartOf(to)}T00:00:00Z`) - APPOINTMENT_REPORT_WEEKS * 7 * DAY_MS).toISOString().slice(0, 10);
  const history = historyOf(rollups, s, ctx, historyQuery.parse({ from, to, bucket: 'day', by: 'daytype' }), ctx.config.id, now);
  type Week = AppointmentReport['weeks'][number] & { weekdayCheckIns: number };
  const weeks = new Map<string, Week>();
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 7 * DAY_MS) {
    const weekStart = new Date(d).toISOString().slice(0, 10);
    weeks.set(weekStart, { weekStart, checkIns: 0, appointmentCheckIns: 0, appointmentShare: null, due: 0, noShows: 0, noShowRate: null, weekdayShare: null, weekdayCheckIns: 0 });
  }
  const byType = { weekday: emptySums(), weekend: emptySums() } as Record<'weekday' | 'weekend', HistorySums>;
  for (const row of history.rows) {
    const week = weeks.get(weekStartOf(row.label.slice(0, 10)));
    if (week) {
      week.checkIns += row.sums.checkedIn;
      if (row.key === 'weekday') week.weekdayCheckIns += row.sums.checkedIn;
    }
    if (row.key === 'weekday' || row.key === 'weekend') addScores(byType[row.key], row.sums);
  }
  const grace = noShowAfterMs(ctx);
  for (const a of s.appointments.values()) {
    if (a.checkedInAt !== null) {
      const week = weeks.get(weekStartOf(localDate(a.checkedInAt, tz)));
      if (week) week.appointmentCheckIns++;
    }
    const status = appointmentStatus(a, now, grace);
    const week = weeks.get(weekStartOf(localDate(a.slotAt, tz)));
    if (!week || (status !== 'checked_in' && status !== 'no_show')) continue;
    week.due++;
    if (status === 'no_show') week.noShows++;
  }
  return {
    workshopId: ctx.config.id,
    from,
    to,
    weeks: [...weeks.values()].map(({ weekdayCheckIns, ...w }) => ({
      ...w,
      appointmentShare: share(w.appointmentCheckIns, w.checkIns),
      noShowRate: share(w.noShows, w.due),
      weekdayShare: share(weekdayCheckIns, w.checkIns),
    })),
    weekday: scores(byType.weekday),
    weekend: scores(byType.weekend),
  };
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

function addScores(into: HistorySums, s: HistorySums): void {
  into.surveys += s.surveys;
  into.satisfied += s.satisfied;
  into.scoreSum += s.scoreSum;
  const [sum, n] = s.cx.touchpoints.waiting;
  into.cx.touchpoints.waiting = [into.cx.touchpoints.waiting[0] + sum, into.cx.touchpoints.waiting[1] + n];
}

function scores(s: HistorySums): AppointmentReport['weekday'] {
  const [sum, n] = s.cx.touchpoints.waiting;
  return {
    surveys: s.surveys,
    averageScore: s.surveys > 0 ? Math.round((s.scoreSum / s.surveys) * 100) / 100 : null,
    csat: share(s.satisfied, s.surveys),
    waitingScore: n > 0 ? Math.round((sum / n) * 10) / 10 : null,
    waitingAnswers: n,
  };
}
