import { describe, expect, it } from 'vitest';
import { staffReassignedEvent } from '../../../../shared/events.js';
import type { WorkshopForecast } from '../../../../shared/forecast.js';
import { DEFAULT_THRESHOLDS } from '../../../../shared/lights.js';
import { snapshotAt1800, WORKSHOP } from '../../lib/board-test-fixture.js';
import { forecastAt1800, staffingWithHistory, techniciansAt1800, waitingAt1800 } from './lead-test-fixture.js';
import { hubNow, lightRows, moveDiff, moveRequest, promiseAdvice, queueFigures, queueRows, reassignEvent, staffingAdvice, staffingHours, teamsOf, technicianRows } from './lead-view.js';

const AT_1800 = Date.parse('2026-11-21T10:00:00.000Z');

describe('queueRows', () => {
  it('lists every waiting car in serving order with its wait, promise, predicted start and the promise at risk', () => {
    const rows = queueRows(waitingAt1800(), forecastAt1800(), AT_1800);
    // Both start at 18:00; the earlier check-in first.
    expect(rows.map((r) => [r.jobId, r.waitMin, r.predictedStartAt, r.lateMin])).toEqual([
      ['J6', 210, '2026-11-21T10:00:00.000Z', null],
      ['J7', 180, '2026-11-21T10:00:00.000Z', 150],
    ]);
    expect(rows[1]).toMatchObject({ plate: '沪H77777', customerWaiting: true, promisedAt: '2026-11-21T09:00:00.000Z' });
  });

  it('puts a car nobody can start yet last, and never shows a negative wait', () => {
    const [j6, j7] = waitingAt1800();
    const rows = queueRows([{ ...j6!, predictedStartAt: null }, j7!], null, Date.parse(j7!.checkedInAt) - 60_000);
    expect(rows.map((r) => r.jobId)).toEqual(['J7', 'J6']);
    expect(rows[0]!.waitMin).toBe(0);
    expect(rows[0]!.lateMin).toBeNull();
  });
});

describe('queueFigures', () => {
  it('gives the waits now, the forecast for the queue with its light, the promises at risk and the forecast error', () => {
    const f = queueFigures(snapshotAt1800(), forecastAt1800(), DEFAULT_THRESHOLDS);
    expect(f).toEqual({
      bookedArrivals: 0,
      averageNowMin: 210,
      p90NowMin: 240,
      averageNowLight: 'red',
      predictedAverageMin: 180,
      predictedP90Min: 180,
      predictedLight: 'red',
      promisesAtRisk: 1,
      error: { samples: 6, medianAbsMin: 10, p90AbsMin: 120, medianSignedMin: 10 },
    });
  });

  it('says nothing before the hub has answered', () => {
    expect(queueFigures(null, null, DEFAULT_THRESHOLDS)).toMatchObject({ averageNowMin: null, predictedLight: 'none', promisesAtRisk: 0, error: null });
  });
});

describe('technicianRows', () => {
  it('puts those on shift first, with bay, job, paused jobs, idle and the utilisation light', () => {
    const rows = technicianRows(techniciansAt1800(), snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS);
    expect(rows.map((r) => [r.technicianId, r.status, r.bayName, r.plate, r.pausedPlates, r.idle, r.openJobs, r.utilisationLight])).toEqual([
      // Zhang Wei runs nothing: his paused car on Bay 1 is where he is.
      ['T1', 'on_shift', 'Bay 1', '', ['沪F55555'], true, 1, 'red'],
      ['T2', 'on_shift', 'Bay 2', '沪D33333', [], false, 1, 'green'],
      ['T3', 'off', '', '', [], false, 0, 'red'],
    ]);
  });

  // Issue 12, item 14: 0.6 % a minute after clock-in is not red.
  it('gives no utilisation light on less than the minimum sample (an hour of attendance), and says so', () => {
    const techs = techniciansAt1800().map((t) => (t.technicianId === 'T2' ? { ...t, attendanceMin: 1, productiveMin: 0.006, utilisation: 0.006 } : t));
    const rows = technicianRows(techs, snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS);
    expect(rows.find((r) => r.technicianId === 'T2')).toMatchObject({ utilisationLight: 'none', utilisationEnough: false });
    expect(rows.find((r) => r.technicianId === 'T1')).toMatchObject({ utilisationLight: 'red', utilisationEnough: true });
    // A workshop's own minSample raises the floor.
    const strict = { ...WORKSHOP, lightPolicy: { utilisation: { minSample: 10_000 } } };
    expect(technicianRows(techniciansAt1800(), snapshotAt1800(), strict, DEFAULT_THRESHOLDS).every((r) => r.utilisationLight === 'none')).toBe(true);
  });

  it('prefers the bay the lead assigned, and marks it when its terminal is silent', () => {
    const techs = techniciansAt1800().map((t) => (t.technicianId === 'T3' ? { ...t, bayId: 'B3' } : t));
    const t3 = technicianRows(techs, snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS).find((r) => r.technicianId === 'T3')!;
    expect(t3).toMatchObject({ bayId: 'B3', bayName: 'Bay 3', baySilentSince: '2026-11-21T09:42:00.000Z' });
  });

  it("names each technician's team as the config does, else by its id", () => {
    const named = { ...WORKSHOP, teams: [{ id: 'quick', name: 'Quick service' }] };
    const rows = technicianRows(techniciansAt1800(), snapshotAt1800(), named, DEFAULT_THRESHOLDS);
    expect(rows.map((r) => [r.technicianId, r.team])).toEqual([
      ['T1', 'Quick service'],
      ['T2', 'repair'],
      ['T3', 'repair'],
    ]);
  });

  it('orders by status whatever order the hub sends', () => {
    const rows = technicianRows([...techniciansAt1800()].reverse(), null, null, DEFAULT_THRESHOLDS);
    expect(rows.map((r) => r.technicianId)).toEqual(['T2', 'T1', 'T3']);
    expect(rows[1]!.bayName).toBe('');
  });
});

describe('lightRows', () => {
  const rows = lightRows(snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS);

  it('lists every KPI off green and every bay alert, worst first, the oldest alert first', () => {
    expect(rows.map((r) => [r.metric, r.light])).toEqual([
      ['utilisation', 'red'],
      ['bay:B2', 'red'],
      ['firstTimeFix', 'red'],
      ['comebackRate', 'red'],
      ['csat', 'red'],
      ['averageWait', 'red'],
      ['laborAchievement', 'yellow'],
    ]);
  });

  it('carries the figure and its rule, and whether the alert can still be acknowledged', () => {
    const wait = rows.find((r) => r.metric === 'averageWait')!;
    expect(wait).toMatchObject({ value: '210', unit: 'min', green: '≤ 45', yellow: '≤ 90', alertActive: false, acknowledgedAt: null });
    expect(rows.find((r) => r.metric === 'utilisation')).toMatchObject({ value: '57 %', green: '≥ 75 %', alertActive: true, acknowledgedAt: '2026-11-21T02:00:00.000Z' });
    expect(rows.find((r) => r.metric === 'laborAchievement')).toMatchObject({ green: '90 %–110 %', band: true, alertActive: true, acknowledgedAt: null });
    expect(rows.find((r) => r.metric === 'bay:B2')).toMatchObject({
      value: '383 %',
      subject: { kind: 'bay', bayId: 'B2', bayName: 'Bay 2', plate: '沪D33333', elapsedMin: 460, standardMin: 120 },
      green: '≤ 110 %',
    });
  });

  it('is empty when every light is green', () => {
    const green = snapshotAt1800();
    for (const k of Object.values(green.kpis)) k.light = 'green';
    expect(lightRows({ ...green, alerts: [] }, WORKSHOP, DEFAULT_THRESHOLDS)).toEqual([]);
  });
});

describe('staffingAdvice', () => {
  const base = forecastAt1800();
  const scenarios = (waits: number[]) => waits.map((w, i) => ({ extraTechnicians: i, predictedAverageWaitMin: w, predictedP90WaitMin: w }));
  const cases: { name: string; forecast: WorkshopForecast; advice: ReturnType<typeof staffingAdvice> }[] = [
    { name: 'the staff on shift hold the target', forecast: base, advice: { kind: 'holds', waitMin: 180, targetMin: 185 } },
    {
      name: 'two more bring it to the target',
      forecast: { ...base, targetAverageWaitMin: 45, extraTechniciansNeeded: 2, scenarios: scenarios([110, 70, 38]) },
      advice: { kind: 'call', extra: 2, fromMin: 110, toMin: 38, targetMin: 45 },
    },
    {
      name: 'the target out of reach: the fewest that get closest, not "even six would not" (issue 12, item 4)',
      forecast: { ...base, targetAverageWaitMin: 45, extraTechniciansNeeded: null, scenarios: scenarios([145, 115, 100, 94, 94, 94, 94]), closest: { extraTechnicians: 3, predictedAverageWaitMin: 94 } },
      advice: { kind: 'closest', extra: 3, fromMin: 145, toMin: 94, targetMin: 45 },
    },
    {
      name: 'nobody on shift, two more reach the target: no "from" figure to print',
      forecast: { ...base, onShift: 0, targetAverageWaitMin: 45, extraTechniciansNeeded: 2, scenarios: [{ extraTechnicians: 0, predictedAverageWaitMin: null, predictedP90WaitMin: null }, ...scenarios([0, 70, 38]).slice(1)] },
      advice: { kind: 'call', extra: 2, fromMin: null, toMin: 38, targetMin: 45 },
    },
    {
      name: 'no number gives every queued car a start',
      forecast: { ...base, targetAverageWaitMin: 45, extraTechniciansNeeded: null, closest: null, scenarios: [0, 1, 2].map((i) => ({ extraTechnicians: i, predictedAverageWaitMin: null, predictedP90WaitMin: null })) },
      advice: { kind: 'beyond', extra: 2, targetMin: 45 },
    },
    { name: 'nothing queues', forecast: { ...base, bestPossibleAverageWaitMin: null, extraTechniciansNeeded: null, queuedCars: 0, promiseAdvice: null }, advice: { kind: 'nothing-queues' } },
    {
      name: 'twelve drop-off cars queue with promises at risk: not "nothing to add"',
      forecast: { ...base, bestPossibleAverageWaitMin: null, extraTechniciansNeeded: null, queuedCars: 12, promiseAdvice: { extraTechnicians: 2, atRiskNow: 9, atRiskAfter: 3 } },
      advice: { kind: 'no-customer-queues', cars: 12 },
    },
    {
      name: 'nobody on shift and no way to tell',
      forecast: { ...base, onShift: 0, extraTechniciansNeeded: null, scenarios: [{ extraTechnicians: 0, predictedAverageWaitMin: null, predictedP90WaitMin: null }] },
      advice: { kind: 'nobody-on-shift' },
    },
  ];
  for (const c of cases) it(c.name, () => expect(staffingAdvice(c.forecast)).toEqual(c.advice));
});

describe('promiseAdvice', () => {
  const base = forecastAt1800();
  const cases: { name: string; p: WorkshopForecast['promiseAdvice']; advice: ReturnType<typeof promiseAdvice> }[] = [
    { name: 'none at risk', p: null, advice: null },
    { name: 'two more keep them all', p: { extraTechnicians: 2, atRiskNow: 2, atRiskAfter: 0 }, advice: { kind: 'keep-all', extra: 2, atRisk: 2 } },
    { name: 'two more keep most', p: { extraTechnicians: 2, atRiskNow: 9, atRiskAfter: 3 }, advice: { kind: 'fewer', extra: 2, fromCount: 9, toCount: 3 } },
    { name: 'more staff saves none', p: { extraTechnicians: 0, atRiskNow: 1, atRiskAfter: 1 }, advice: { kind: 'lost', atRisk: 1 } },
  ];
  for (const c of cases) it(c.name, () => expect(promiseAdvice({ ...base, promiseAdvice: c.p })).toEqual(c.advice));
});

describe('staffingHours', () => {
  it('says how many more each hour needs, and when the staff on shift cannot keep up', () => {
    const plan = staffingWithHistory();
    plan.hours[0] = { ...plan.hours[0]!, expectedArrivals: 6, techniciansNeeded: 5, predictedAverageWaitMinWithOnShift: null };
    plan.hours[1] = { ...plan.hours[1]!, expectedArrivals: 1, techniciansNeeded: 1, predictedAverageWaitMinWithOnShift: 40 };
    const rows = staffingHours(plan);
    expect(rows.map((r) => [r.short, r.overwhelmed, r.waitWithOnShiftMin])).toEqual([
      [3, true, null],
      [0, false, 40],
      [0, false, null],
      [0, false, null],
    ]);
  });
});

describe('moves', () => {
  const [t1, t2] = techniciansAt1800();

  it('asks only for what changes', () => {
    expect(moveRequest(undefined, 'quick', '')).toBeNull();
    expect(moveRequest(t2, 'repair', '')).toBeNull();
    expect(moveRequest(t2, 'quick', '')).toEqual({ technicianId: 'T2', team: 'quick' });
    expect(moveRequest(t1, 'quick', 'B3')).toEqual({ technicianId: 'T1', bayId: 'B3' });
  });

  it('commits a staff.reassigned event the hub’s own schema accepts', () => {
    const e = reassignEvent({ technicianId: 'T2', team: 'quick', bayId: 'B3' }, 'lead-0123456789ab', AT_1800);
    expect(staffReassignedEvent.parse(e)).toEqual({ id: 'lead-0123456789ab', type: 'staff.reassigned', at: '2026-11-21T10:00:00.000Z', technicianId: 'T2', team: 'quick', bayId: 'B3' });
    expect(reassignEvent({ technicianId: 'T2', bayId: 'B3' }, 'lead-0123456789ab', AT_1800)).not.toHaveProperty('team');
  });

  it('shows the forecast before → after and each promise that changes', () => {
    const before = forecastAt1800();
    const after: WorkshopForecast = {
      ...before,
      scenarios: [{ extraTechnicians: 0, predictedAverageWaitMin: 120, predictedP90WaitMin: 130 }],
      promisesAtRisk: [{ ...before.promisesAtRisk[0]!, lateMin: 90 }, { jobId: 'J6', plate: '沪G66666', promisedAt: before.asOf, predictedDoneAt: before.asOf, lateMin: 10 }],
    };
    expect(moveDiff({ before, after })).toEqual({
      averageWait: { before: 180, after: 120 },
      p90Wait: { before: 180, after: 130 },
      extraNeeded: { before: 0, after: 0 },
      promisesAtRisk: { before: 1, after: 2 },
      promises: [
        { jobId: 'J7', plate: '沪H77777', beforeLateMin: 150, afterLateMin: 90 },
        { jobId: 'J6', plate: '沪G66666', beforeLateMin: null, afterLateMin: 10 },
      ],
    });
  });

  it('offers every team of the config', () => {
    expect(teamsOf(WORKSHOP)).toEqual(['quick', 'repair']);
    expect(teamsOf(null)).toEqual([]);
  });
});

describe('hubNow', () => {
  it('is the hub’s last time plus what passed since, at most a minute', () => {
    expect(hubNow('2026-11-21T10:00:00.000Z', 1000, 6000)).toBe(AT_1800 + 5000);
    expect(hubNow('2026-11-21T10:00:00.000Z', 1000, 1000 + 10 * 60_000)).toBe(AT_1800 + 60_000);
    // A browser clock that stepped back never dates an event before the hub's.
    expect(hubNow('2026-11-21T10:00:00.000Z', 5000, 1000)).toBe(AT_1800);
  });
});
