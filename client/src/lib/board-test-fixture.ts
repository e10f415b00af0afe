import type { DaySeries } from '../../../shared/series.js';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';

/**
 * For the board's tests only (nothing in the app imports it): the scripted day of
 * test/fixtures/workshop.ts at 18:00, as the hub sends it, with its alerts and a terminal.
 */
export const WORKSHOP: WorkshopConfig = {
  id: 'sh-test',
  name: 'Shanghai test',
  timezone: 'Asia/Shanghai',
  bays: [
    { id: 'B1', name: 'Bay 1', team: 'quick' },
    { id: 'B2', name: 'Bay 2', team: 'repair' },
    { id: 'B3', name: 'Bay 3', team: 'repair' },
  ],
  technicians: [
    { id: 'T1', name: 'Zhang Wei', team: 'quick' },
    { id: 'T2', name: 'Wang Fang', team: 'repair' },
    { id: 'T3', name: 'Li Qiang', team: 'repair' },
  ],
  advisors: [{ id: 'A1', name: 'Li Na' }],
};

export function snapshotAt1800(overrides: Partial<BoardSnapshot> = {}): BoardSnapshot {
  return {
    workshopId: 'sh-test',
    seq: 35,
    asOf: '2026-11-21T10:00:00.000Z',
    technicians: { onShift: 2, busy: 1, idle: 1, onBreak: 0 },
    jobs: { waiting: 2, inProgress: 1, paused: 1, completedToday: 3, deliveredToday: 2 },
    waitingCustomers: { count: 2, averageWaitMin: 210, longestWaitMin: 240 },
    kpis: {
      utilisation: { value: 0.5661, light: 'red' },
      laborAchievement: { value: 0.8182, light: 'yellow' },
      firstTimeFix: { value: 0.6667, light: 'red' },
      comebackRate: { value: 0.3333, light: 'red' },
      csat: { value: 0.6667, light: 'red' },
      averageWait: { value: 210, light: 'red' },
    },
    bays: [
      { bayId: 'B1', jobId: 'J5', technicianId: 'T1', state: 'paused', elapsedMin: 60, standardMin: 30, light: 'red', plate: '沪F55555', pauseReason: 'approval' },
      { bayId: 'B2', jobId: 'J3', technicianId: 'T2', state: 'in_progress', elapsedMin: 490, standardMin: 120, light: 'red', plate: '沪D33333', pauseReason: null },
      { bayId: 'B3', jobId: null, technicianId: null, state: 'idle', elapsedMin: null, standardMin: null, light: 'none', plate: null, pauseReason: null },
    ],
    alerts: [
      { metric: 'laborAchievement', light: 'yellow', message: 'Labour-time achievement 81.8 % is yellow', since: '2026-11-21T09:00:00.000Z', acknowledgedAt: null },
      { metric: 'bay:B2', light: 'red', message: 'Bay B2 (沪D33333, 490 of 120 min) elapsed ÷ standard 408.3 % is red', since: '2026-11-21T06:00:00.000Z', acknowledgedAt: null },
      { metric: 'utilisation', light: 'red', message: 'Utilisation 56.6 % is red', since: '2026-11-21T01:00:00.000Z', acknowledgedAt: '2026-11-21T02:00:00.000Z' },
    ],
    flags: [
      {
        kind: 'overrun',
        jobId: 'J3',
        technicianId: 'T2',
        bayId: 'B2',
        since: '2026-11-21T05:50:00.000Z',
        message: '沪D33333: 490 min worked against a standard of 120 min; still running, or not marked complete?',
      },
    ],
    terminals: [{ terminalId: 'tablet-bay-3', bayId: 'B3', lastSeenAt: '2026-11-21T09:42:00.000Z', silent: true }],
    ...overrides,
  };
}

export function seriesAt1800(): DaySeries {
  return {
    workshopId: 'sh-test',
    asOf: '2026-11-21T10:00:00.000Z',
    date: '2026-11-21',
    stepMin: 15,
    completionsPerHour: [
      { hour: 8, count: 0 },
      { hour: 9, count: 1 },
      { hour: 10, count: 0 },
      { hour: 11, count: 0 },
      { hour: 12, count: 1 },
    ],
    waiting: [
      { at: '2026-11-21T00:00:00.000Z', count: 0, averageWaitMin: null },
      { at: '2026-11-21T00:15:00.000Z', count: 1, averageWaitMin: 10 },
      { at: '2026-11-21T00:30:00.000Z', count: 1, averageWaitMin: 25.4 },
    ],
  };
}
