import { dailyReport, type DailyReport } from '../../../../shared/daily.js';
import { TOUCHPOINTS } from '../../../../shared/events.js';

/** A small daily report for unit and component tests, checked against the shared schema so it cannot drift from the hub's. */
const kpi = (value: number | null, light: 'green' | 'yellow' | 'red' | 'none', rank: number | null, sample: number) => ({ value, light, rank, sample, enough: true });

export function reportFixture(overrides: Partial<DailyReport> = {}): DailyReport {
  const touch = (avg: Record<string, number | null>) =>
    TOUCHPOINTS.map((t) => ({ touchpoint: t, average: avg[t] ?? null, answers: avg[t] === undefined ? 0 : 4, weight: { appointment: 0.1, reception: 0.15, advisor: 0.2, waiting: 0.15, repair: 0.25, delivery: 0.1, followUp: 0.05 }[t] }));
  return dailyReport.parse({
    workshopId: 'sh-test',
    date: '2026-11-21',
    timezone: 'Asia/Shanghai',
    naming: 'seed',
    asOf: '2026-11-21T16:00:00.000Z',
    technicians: [
      {
        technicianId: 'T1',
        name: 'Zhang Wei',
        team: 'quick',
        utilisation: kpi(0.8123, 'green', 1, 480),
        laborAchievement: kpi(1.25, 'red', 2, 4),
        firstTimeFix: kpi(0.75, 'red', 2, 4),
        comebackRate: kpi(0.04, 'yellow', 2, 25),
        proficiency: kpi(0.7, 'none', 1, 480),
        jobsCompleted: 4,
        productiveHours: 6.5,
        attendanceHours: 8,
        score: 72.5,
      },
      {
        technicianId: 'T2',
        name: 'Wang Fang',
        team: 'repair',
        utilisation: kpi(0.7, 'yellow', 2, 450),
        laborAchievement: kpi(1.02, 'green', 1, 3),
        firstTimeFix: kpi(1, 'green', 1, 3),
        comebackRate: kpi(0, 'green', 1, 20),
        proficiency: kpi(0.5, 'none', 2, 450),
        jobsCompleted: 3,
        productiveHours: 5.25,
        attendanceHours: 7.5,
        score: 94,
      },
      {
        technicianId: 'T3',
        name: 'Li Qiang',
        team: 'repair',
        utilisation: kpi(null, 'none', null, 0),
        laborAchievement: kpi(null, 'none', null, 0),
        firstTimeFix: kpi(null, 'none', null, 0),
        comebackRate: kpi(null, 'none', null, 0),
        proficiency: kpi(null, 'none', null, 0),
        jobsCompleted: 0,
        productiveHours: 0,
        attendanceHours: 0,
        score: null,
      },
    ],
    teams: [],
    advisors: [{ advisorId: 'A1', name: 'Li Na', received: 9, csat: kpi(0.9, 'green', 1, 10), complaintRate: kpi(0.1, 'red', 1, 10), score: 88 }],
    problems: [
      { kind: 'low_score', jobId: 'J4', plate: '沪E44444', technicianId: 'T1', state: 'delivered', detail: 'customer scored 2 of 5' },
      { kind: 'paused_long', jobId: 'J3', plate: '沪D33333', technicianId: 'T2', state: 'paused', detail: 'waited 95 min for parts (still waiting)' },
      { kind: 'comeback', jobId: 'J4', plate: '沪E44444', technicianId: 'T1', state: 'delivered', detail: 'comeback of J0 (worked by T2)' },
      { kind: 'over_standard', jobId: 'J1', plate: '沪B11111', technicianId: 'T1', state: 'completed', detail: '45 min worked against a standard of 30 min' },
    ],
    averageServiceTime: { value: 132.4, light: 'yellow', sample: 7 },
    cx: {
      day: {
        nps: { value: 30, light: 'yellow', sample: 10 },
        csat: { value: 0.8, light: 'red', sample: 10 },
        ces: { value: 2.4, light: 'yellow', sample: 8 },
        cji: { value: 7.55, light: 'yellow', sample: 28 },
        complaintRate: { value: 0.1, light: 'red', sample: 10 },
        touchpoints: touch({ appointment: 9, reception: 7, advisor: 8, waiting: 5, repair: 9, delivery: 6, followUp: 8 }),
        weakest: [
          { touchpoint: 'waiting', average: 5 },
          { touchpoint: 'delivery', average: 6 },
        ],
      },
      week: {
        nps: { value: 45.5, light: 'green', sample: 50 },
        csat: { value: 0.9, light: 'green', sample: 50 },
        ces: { value: 1.9, light: 'green', sample: 40 },
        cji: { value: null, light: 'none', sample: 0 },
        complaintRate: { value: 0.02, light: 'green', sample: 50 },
        touchpoints: touch({}),
        weakest: [],
      },
    },
    ...overrides,
  });
}
