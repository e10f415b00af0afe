import type { DailyReport } from '../../shared/daily.js';
import type { PitwallEvent } from '../../shared/events.js';
import { lightFor } from '../../shared/lights.js';
import { DAY_MS, MINUTE_MS } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { addSurvey, cxFigures, emptyCx } from '../../shared/cx.js';
import type { DayWindow } from './daily-window.js';
import { LIGHT_SCORE, rank, weighted } from './daily-scores.js';
import { personFigure } from './person-figure.js';
import { minutes, ratio } from './measure.js';
import type { Projection } from './projection.js';

/**
 * The customers' side of the daily report (daily.ts): each advisor's reception and
 * satisfaction with the article's weighted score (6.1), the average service time, and the CX
 * article's figures for the day and the week.
 */

/** The article's advisor reception target: 8 cars a day. */
const RECEPTION_TARGET = 8;

/** The day's surveys by job (a job has one). */
export function surveysOfDay(p: Projection, day: DayWindow): Map<string, { score: number }> {
  return new Map(p.state.surveys.filter((v) => day.inDay(v.at)).map((v) => [v.jobId, v]));
}

export function advisorFigures(p: Projection, config: WorkshopConfig, surveysByJob: ReadonlyMap<string, { score: number }>, day: DayWindow): DailyReport['advisors'] {
  const th = p.ctx.thresholds;
  const jobs = [...p.state.jobs.values()];
  const advisors = config.advisors.map((a) => {
    const received = jobs.filter((j) => j.advisorId === a.id && day.inDay(j.checkedInAt)).length;
    const scores = jobs.filter((j) => j.advisorId === a.id).flatMap((j) => (surveysByJob.has(j.id) ? [surveysByJob.get(j.id)!.score] : []));
    const csatValue = scores.length ? ratio(scores.filter((x) => x >= 4).length, scores.length) : null;
    // A score of 1 or 2 counts as a complaint (the contract carries no better signal yet).
    const complaintValue = scores.length ? ratio(scores.filter((x) => x <= 2).length, scores.length) : null;
    const csat = personFigure('csat', csatValue, scores.length, th, config.lightPolicy);
    const complaintRate = personFigure('complaintRate', complaintValue, scores.length, th, config.lightPolicy);
    const score = weighted([
      [Math.min(120, (received / RECEPTION_TARGET) * 100), 20],
      [LIGHT_SCORE[csat.light], 30],
      [LIGHT_SCORE[complaintRate.light], 15],
    ]);
    return { advisorId: a.id, name: a.name, received, csat, complaintRate, score };
  });
  rank(advisors.map((a) => a.csat), 'higher');
  rank(advisors.map((a) => a.complaintRate), 'lower');
  return advisors;
}

/** Check-in to delivery, on average, of the cars delivered that day. */
export function averageServiceTime(p: Projection, day: DayWindow): DailyReport['averageServiceTime'] {
  const delivered = [...p.state.jobs.values()].filter((j) => day.inDay(j.deliveredAt));
  const serviceMin = delivered.length ? minutes(delivered.reduce((a, j) => a + (j.deliveredAt! - j.checkedInAt), 0) / delivered.length / MINUTE_MS) : null;
  return { value: serviceMin, light: lightFor('averageServiceTime', serviceMin, p.ctx.thresholds), sample: delivered.length };
}

/**
 * The CX article's figures from the surveys themselves (NPS, CES and touchpoints are not in the projection).
 * Each survey counts at its time in the projection, clamped to its job's last change (evolve):
 * one dated before its job's completion counts on the completion's day, as on the board and in
 * history; one this day's replay refused (its job completed later) does not count at all.
 */
export function cxOfDayAndWeek(log: readonly PitwallEvent[], p: Projection, config: WorkshopConfig, day: DayWindow): DailyReport['cx'] {
  const cxIn = (from: number) => {
    const sums = emptyCx();
    const surveyAt = new Map(p.state.surveys.map((v) => [v.jobId, v.at]));
    for (const e of log) {
      if (e.type !== 'survey.submitted') continue;
      const at = surveyAt.get(e.jobId);
      surveyAt.delete(e.jobId);
      if (at !== undefined && at >= from && at < day.until) addSurvey(sums, e);
    }
    return cxFigures(sums, p.ctx.thresholds, config.cjiWeights);
  };
  return { day: cxIn(day.dayStart), week: cxIn(day.until - 7 * DAY_MS) };
}
