import type { DaySeries } from '../../../shared/series.js';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { SCRIPTED_DAY_AT_1800, SHANGHAI } from '../../../test/fixtures/workshop.js';

/**
 * For the board's tests only (nothing in the app imports it): the scripted day of
 * test/fixtures/workshop.ts at 18:00, as the hub sends it, with its alerts and a terminal.
 */
export const WORKSHOP: WorkshopConfig = SHANGHAI;

export function snapshotAt1800(overrides: Partial<BoardSnapshot> = {}): BoardSnapshot {
  return {
    ...(structuredClone(SCRIPTED_DAY_AT_1800) as unknown as Omit<BoardSnapshot, 'alerts' | 'terminals'>),
    alerts: [
      { metric: 'laborAchievement', light: 'yellow', message: 'Labour-time achievement 81.8 % is yellow', since: '2026-11-21T09:00:00.000Z', acknowledgedAt: null },
      { metric: 'bay:B2', light: 'red', message: 'Bay B2 (沪D33333, 460 of 120 min) elapsed ÷ standard 383.3 % is red', since: '2026-11-21T06:00:00.000Z', acknowledgedAt: null },
      { metric: 'utilisation', light: 'red', message: 'Utilisation 56.6 % is red', since: '2026-11-21T01:00:00.000Z', acknowledgedAt: '2026-11-21T02:00:00.000Z' },
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
