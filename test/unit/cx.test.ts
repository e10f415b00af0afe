import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import { addSurvey, cxFigures, emptyCx } from '../../shared/cx.js';
import type { EventOf, PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { DEFAULT_THRESHOLDS } from '../../shared/lights.js';
import { workshopConfig } from '../../shared/workshop.js';
import { L, SHANGHAI, ev, scriptedDay } from '../fixtures/workshop.js';

type Survey = EventOf<'survey.submitted'>;
const survey = (fields: Partial<Survey>): Survey => ({ id: 'survey-000001', type: 'survey.submitted', at: L('12:00'), jobId: 'J', score: 5, ...fields });

describe('the CX article’s figures', () => {
  it('NPS is promoters minus detractors in points: 50 %, 30 %, 20 % → +30 (the article’s example)', () => {
    const s = emptyCx();
    for (let i = 0; i < 100; i++) addSurvey(s, survey({ nps: i < 50 ? 9 + (i % 2) : i < 80 ? 7 + (i % 2) : i % 7 }));
    const f = cxFigures(s, DEFAULT_THRESHOLDS, undefined);
    expect(f.nps).toEqual({ value: 30, light: 'yellow', sample: 100 });
  });

  it('the journey index weighs the touchpoints as the article does (7.55), and names the two that pull it down', () => {
    const s = addSurvey(emptyCx(), survey({ touchpoints: { appointment: 9, reception: 7, advisor: 8, waiting: 5, repair: 9, delivery: 6, followUp: 8 } }));
    const f = cxFigures(s, DEFAULT_THRESHOLDS, undefined);
    expect(f.cji.value).toBe(7.55);
    expect(f.cji.light).toBe('yellow');
    expect(f.weakest).toEqual([
      { touchpoint: 'waiting', average: 5 },
      { touchpoint: 'delivery', average: 6 },
    ]);
  });

  it('renormalises the weights over the touchpoints answered, and takes the workshop’s own', () => {
    const s = addSurvey(emptyCx(), survey({ touchpoints: { waiting: 4, repair: 10 } }));
    // 0.15·4 + 0.25·10 over 0.4 = 7.75; with equal weights 7.
    expect(cxFigures(s, DEFAULT_THRESHOLDS, undefined).cji.value).toBe(7.75);
    expect(cxFigures(s, DEFAULT_THRESHOLDS, { waiting: 1, repair: 1 }).cji.value).toBe(7);
  });

  it('CES is the mean effort, lower is better (target under 2); CSAT and complaints from the 1–5 score', () => {
    const s = emptyCx();
    for (const [ces, score] of [[1, 5], [2, 4], [3, 2]] as const) addSurvey(s, survey({ ces, score }));
    const f = cxFigures(s, DEFAULT_THRESHOLDS, undefined);
    expect(f.ces).toEqual({ value: 2, light: 'green', sample: 3 });
    expect(f.csat.value).toBe(0.6667);
    expect(f.complaintRate).toEqual({ value: 0.3333, light: 'red', sample: 3 });
    expect(cxFigures(emptyCx(), DEFAULT_THRESHOLDS, undefined).nps).toEqual({ value: null, light: 'none', sample: 0 });
  });
});

describe('CX in the daily report and in history', () => {
  const day = (): PitwallEvent[] => [
    ...scriptedDay(),
    ev('job.resumed', L('17:20'), { jobId: 'J5' }),
    ev('job.completed', L('17:30'), { jobId: 'J5', firstTimeFix: true }),
    ev('survey.submitted', L('17:40'), { jobId: 'J5', score: 2, nps: 3, ces: 6, touchpoints: { waiting: 2, repair: 8 } }),
  ];
  const NOW = Date.parse(L('18:00'));

  it('gives the day and the week, and the day’s average service time with its light', () => {
    const r = dailyReport(day(), SHANGHAI, '2026-11-21', NOW);
    // Surveys that day: J2 5, J4 3, J1 4, J5 2 (the only one with NPS, CES and touchpoints).
    expect(r.cx.day.csat).toEqual({ value: 0.5, light: 'red', sample: 4 });
    expect(r.cx.day.nps).toEqual({ value: -100, light: 'red', sample: 1 });
    expect(r.cx.day.ces.value).toBe(6);
    expect(r.cx.day.weakest).toEqual([{ touchpoint: 'waiting', average: 2 }]);
    expect(r.cx.week.csat.sample).toBe(4);
    // J2 85 min, J4 140 min from check-in to delivery.
    expect(r.averageServiceTime).toEqual({ value: 112.5, light: 'green', sample: 2 });
  });

  it('adds NPS, CES and the journey index to every history row', () => {
    const p = new Projection(SHANGHAI);
    p.apply(day());
    expect(p.skippedOnReplay).toBe(0);
    const row = historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-21', to: '2026-11-21', by: 'technician' }), 'sh-test', NOW).rows.find((x) => x.key === 'T1')!;
    expect(row.figures.nps).toEqual({ value: -100, light: 'red' });
    // (0.15·2 + 0.25·8) ÷ 0.4
    expect(row.figures.cji.value).toBe(5.75);
    expect(row.sums.cx.touchpoints.waiting).toEqual([2, 1]);
  });

  it('refuses journey weights that weigh nothing or name no touchpoint', () => {
    expect(workshopConfig.safeParse({ ...SHANGHAI, cjiWeights: { waiting: 0 } }).error?.issues[0]?.message).toBe('needs at least one weight above 0');
    expect(workshopConfig.safeParse({ ...SHANGHAI, cjiWeights: { parking: 1 } }).success).toBe(false);
  });
});
