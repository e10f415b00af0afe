import type { DailyReport } from '../../shared/daily.js';
import type { PitwallEvent } from '../../shared/events.js';
import { toIso } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { advisorFigures, averageServiceTime, cxOfDayAndWeek, surveysOfDay } from './daily-customers.js';
import { problems } from './daily-problems.js';
import { staffFigures } from './daily-staff.js';
import { dayWindow, type DayWindow } from './daily-window.js';
import { Projection } from './projection.js';

/**
 * One local day of a workshop, from its log: the state is rebuilt from the events dated before
 * the day's end (or `now`, for today), so the report of a past day never changes. The parts:
 * technicians and teams (daily-staff.ts), advisors, service time and CX (daily-customers.ts),
 * problem work orders (daily-problems.ts), all cut by one window (daily-window.ts).
 */
export function dailyReport(log: readonly PitwallEvent[], config: WorkshopConfig, date: string, now: number): DailyReport {
  const day = dayWindow(date, config.timezone, now);
  const p = new Projection(config);
  p.apply(log.filter((e) => day.before(Date.parse(e.at))));
  return dailyReportOf(p, log, config, date, day);
}

/**
 * The report from a projection that holds every event of the log dated inside the report
 * (`day.before`) and nothing else, and `log`: at least every survey event of the report's week
 * (day-reports.ts starts such a projection from a checkpoint older than the week).
 */
export function dailyReportOf(p: Projection, log: readonly PitwallEvent[], config: WorkshopConfig, date: string, day: DayWindow): DailyReport {
  const surveysByJob = surveysOfDay(p, day);
  const { technicians, teams } = staffFigures(p, config, day);

  return {
    workshopId: config.id,
    date,
    timezone: config.timezone,
    naming: config.naming ?? 'seed',
    asOf: toIso(day.until),
    technicians,
    teams,
    advisors: advisorFigures(p, config, surveysByJob, day),
    problems: problems(p.state, surveysByJob, day),
    averageServiceTime: averageServiceTime(p, day),
    cx: cxOfDayAndWeek(log, p, config, day),
  };
}
