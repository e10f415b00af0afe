import { appointmentReport, type AppointmentReport } from '../../../../shared/appointments.js';
import { apiGet, workshopPath } from '../../lib/api.js';
import { percent } from '../../lib/format.js';
import type { Translate } from './report-figures.js';
import { numberCell, textCell, textColumn, type ReportCell, type ReportTable } from './report-table.js';

/**
 * The reports' appointment tables (issue 15): per week, the share of check-ins that were
 * booked, the no-show rate and the weekday share of volume (the case's 削峰填谷 measure);
 * and weekday against weekend satisfaction and waiting-touchpoint score side by side.
 */

export async function fetchAppointmentReport(workshopId: string, token: string): Promise<AppointmentReport> {
  return appointmentReport.parse(await apiGet<unknown>(workshopPath(workshopId, '/appointments/report'), token));
}

const share = (x: number | null): ReportCell => ({ text: percent(x), csv: [x === null ? null : Math.round(x * 1000) / 10] });

export function appointmentWeeksTable(r: AppointmentReport, t: Translate): ReportTable {
  const k = (key: string) => t(`appointments.report.${key}`);
  return {
    id: 'appointment-weeks',
    columns: [
      textColumn('week', k('week')),
      textColumn('checkIns', k('checkIns'), true),
      { ...textColumn('appointmentShare', k('appointmentShare'), true), csvHeaders: [`${k('appointmentShare')} (%)`] },
      { ...textColumn('noShowRate', k('noShowRate'), true), csvHeaders: [`${k('noShowRate')} (%)`] },
      { ...textColumn('weekdayShare', k('weekdayShare'), true), csvHeaders: [`${k('weekdayShare')} (%)`] },
    ],
    rows: r.weeks.map((w) => ({
      key: w.weekStart,
      cells: [textCell(w.weekStart), numberCell(w.checkIns), share(w.appointmentShare), share(w.noShowRate), share(w.weekdayShare)],
    })),
  };
}

export function dayTypeScoresTable(r: AppointmentReport, t: Translate): ReportTable {
  const k = (key: string) => t(`appointments.report.${key}`);
  return {
    id: 'appointment-daytype-scores',
    columns: [
      textColumn('dayType', k('dayType')),
      textColumn('surveys', k('surveys'), true),
      textColumn('averageScore', k('averageScore'), true),
      { ...textColumn('csat', k('csat'), true), csvHeaders: [`${k('csat')} (%)`] },
      textColumn('waitingScore', k('waitingScore'), true),
    ],
    rows: (['weekday', 'weekend'] as const).map((d) => ({
      key: d,
      cells: [textCell(t(`reports.${d}`)), numberCell(r[d].surveys), numberCell(r[d].averageScore, 2), share(r[d].csat), numberCell(r[d].waitingScore, 1)],
    })),
  };
}
