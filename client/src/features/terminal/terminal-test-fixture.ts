import type { JobView } from '../../../../shared/jobs.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import type { FloorJob, FloorTechnician } from './terminal-projection.js';

/** For the terminal's tests only (nothing in the app imports it): jobs and technicians as the hub lists them. */
export function jobView(overrides: Partial<JobView> & { jobId: string }): JobView {
  return {
    plate: '沪A12345',
    service: 'maintenance',
    state: 'waiting',
    standardMinutes: 60,
    customerWaiting: true,
    advisorId: null,
    comebackOf: null,
    highVoltage: false,
    bayId: null,
    technicianId: null,
    pauseReason: null,
    checkedInAt: '2026-11-21T01:00:00.000Z',
    promisedAt: null,
    startedAt: null,
    completedAt: null,
    deliveredAt: null,
    cancelledAt: null,
    workedMin: 0,
    firstTimeFix: null,
    ...overrides,
  };
}

export function technicianView(overrides: Partial<TechnicianView> & { technicianId: string }): TechnicianView {
  return {
    name: overrides.technicianId,
    team: null,
    bayId: null,
    status: 'off',
    currentJobId: null,
    pausedJobIds: [],
    attendanceMin: 0,
    productiveMin: 0,
    utilisation: null,
    completedToday: 0,
    ...overrides,
  };
}

export const floorJob = (overrides: Partial<FloorJob> & { jobId: string }): FloorJob => ({ ...jobView(overrides), pending: overrides.pending ?? null });
export const floorTechnician = (overrides: Partial<FloorTechnician> & { technicianId: string }): FloorTechnician => ({ ...technicianView(overrides), pending: overrides.pending ?? null });
