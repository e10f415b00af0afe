import type { StaffingPlan, WorkshopForecast } from '../../../../shared/forecast.js';
import type { JobView } from '../../../../shared/jobs.js';
import type { TechnicianView } from '../../../../shared/technicians.js';

/**
 * For the lead console's tests only (nothing in the app imports it): what the hub answers the
 * lead on the scripted day of test/fixtures/workshop.ts at 18:00. leadFeed.test.ts
 * holds these to a real hub, so they cannot drift from what it says.
 */
export function techniciansAt1800(): TechnicianView[] {
  return [
    {
      technicianId: 'T1',
      name: 'Zhang Wei',
      team: 'quick',
      bayId: null,
      status: 'on_shift',
      currentJobId: null,
      pausedJobIds: [
        'J5'
      ],
      attendanceMin: 580,
      productiveMin: 195,
      utilisation: 0.3362,
      completedToday: 2
    },
    {
      technicianId: 'T2',
      name: 'Wang Fang',
      team: 'repair',
      bayId: null,
      status: 'on_shift',
      currentJobId: 'J3',
      pausedJobIds: [],
      attendanceMin: 570,
      productiveMin: 460,
      utilisation: 0.807,
      completedToday: 0
    },
    {
      technicianId: 'T3',
      name: 'Li Qiang',
      team: 'repair',
      bayId: null,
      status: 'off',
      currentJobId: null,
      pausedJobIds: [],
      attendanceMin: 60,
      productiveMin: 30,
      utilisation: 0.5,
      completedToday: 1
    }
  ];
}

export function forecastAt1800(): WorkshopForecast {
  return {
    workshopId: 'sh-test',
    asOf: '2026-11-21T10:00:00.000Z',
    onShift: 2,
    waitingCustomers: 2,
    queuedCars: 2,
    bookedArrivals: 0,
    p90WaitNowMin: 240,
    greenLineMin: 45,
    bestPossibleAverageWaitMin: 180,
    targetAverageWaitMin: 185,
    scenarios: [
      {
        extraTechnicians: 0,
        predictedAverageWaitMin: 180,
        predictedP90WaitMin: 180
      }
    ],
    extraTechniciansNeeded: 0,
    closest: null,
    promiseAdvice: { extraTechnicians: 0, atRiskNow: 1, atRiskAfter: 1 },
    predictionError: {
      samples: 6,
      medianAbsMin: 10,
      p90AbsMin: 120,
      medianSignedMin: 10
    },
    promisesAtRisk: [
      {
        jobId: 'J7',
        plate: '沪H77777',
        promisedAt: '2026-11-21T09:00:00.000Z',
        predictedDoneAt: '2026-11-21T11:30:00.000Z',
        lateMin: 150
      }
    ]
  };
}

export function waitingAt1800(): JobView[] {
  return [
    {
      jobId: 'J6',
      plate: '沪G66666',
      service: 'bodywork',
      state: 'waiting',
      standardMinutes: 60,
      customerWaiting: false,
      advisorId: null,
      comebackOf: null,
      highVoltage: false,
      damagedBattery: false,
      bayId: null,
      technicianId: null,
      pauseReason: null,
      checkedInAt: '2026-11-21T06:30:00.000Z',
      promisedAt: null,
      startedAt: null,
      completedAt: null,
      deliveredAt: null,
      cancelledAt: null,
      workedMin: 0,
      surveyed: false,
      firstTimeFix: null,
      predictedStartAt: '2026-11-21T10:00:00.000Z'
    },
    {
      jobId: 'J7',
      plate: '沪H77777',
      service: 'repair',
      state: 'waiting',
      standardMinutes: 90,
      customerWaiting: true,
      advisorId: null,
      comebackOf: null,
      highVoltage: false,
      damagedBattery: false,
      bayId: null,
      technicianId: null,
      pauseReason: null,
      checkedInAt: '2026-11-21T07:00:00.000Z',
      promisedAt: '2026-11-21T09:00:00.000Z',
      startedAt: null,
      completedAt: null,
      deliveredAt: null,
      cancelledAt: null,
      workedMin: 0,
      surveyed: false,
      firstTimeFix: null,
      predictedStartAt: '2026-11-21T10:00:00.000Z'
    }
  ];
}

/** What the hub answers at 18:00 of the scripted day: one day of history, so no hourly estimate. */
export function staffingAt1800(): StaffingPlan {
  return {
    workshopId: 'sh-test',
    asOf: '2026-11-21T10:00:00.000Z',
    onShift: 2,
    greenLineMin: 45,
    meanStandardMin: 61.9,
    weeksOfHistory: 0,
    historyDays: 1,
    weeksNeeded: 1,
    basis: 'arrivals',
    assumptions: 'Erlang C per hour: Poisson arrivals at the mean rate of the same weekday and hour over the past 4 weeks (none yet: it needs 1 full week), exponential job times with the mean standard time of all jobs, every technician takes every job, steady state; a waiting customer waits the queue plus the mean standard time of jobs whose customer waits.',
    hours: []
  };
}

/** The plan as four weeks of history with no car in these hours would give it (for the table's tests). */
export function staffingWithHistory(): StaffingPlan {
  return {
    ...staffingAt1800(),
    weeksOfHistory: 4,
    historyDays: 28,
    hours: [
      {
        from: '2026-11-21T11:00:00.000Z',
        expectedArrivals: 0,
        walkInArrivals: 0,
        bookedArrivals: 0,
        techniciansNeeded: 0,
        predictedAverageWaitMinWithOnShift: null
      },
      {
        from: '2026-11-21T12:00:00.000Z',
        expectedArrivals: 0,
        walkInArrivals: 0,
        bookedArrivals: 0,
        techniciansNeeded: 0,
        predictedAverageWaitMinWithOnShift: null
      },
      {
        from: '2026-11-21T13:00:00.000Z',
        expectedArrivals: 0,
        walkInArrivals: 0,
        bookedArrivals: 0,
        techniciansNeeded: 0,
        predictedAverageWaitMinWithOnShift: null
      },
      {
        from: '2026-11-21T14:00:00.000Z',
        expectedArrivals: 0,
        walkInArrivals: 0,
        bookedArrivals: 0,
        techniciansNeeded: 0,
        predictedAverageWaitMinWithOnShift: null
      }
    ],
  };
}
