import { describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { workshopConfig } from '../../shared/workshop.js';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/** Maintenance is the quick team's (T1); T2 and T3 are on repair. */
const SHOP = workshopConfig.parse({ ...SHANGHAI, serviceTeams: { maintenance: 'quick' } });
const NOW = Date.parse(L('09:00'));

function morning() {
  const p = new Projection(SHOP);
  p.apply([
    ...['T1', 'T2', 'T3'].map((technicianId) => ev('shift.clock_in', L('08:00'), { technicianId })),
    ev('job.checked_in', L('08:00'), { jobId: 'M0', plate: '沪A0', service: 'maintenance', standardMinutes: 120, customerWaiting: false }),
    ev('job.started', L('08:00'), { jobId: 'M0', bayId: 'B1', technicianId: 'T1' }),
    ...['M1', 'M2', 'M3'].map((jobId) => ev('job.checked_in', L('09:00'), { jobId, plate: `沪A${jobId}`, service: 'maintenance', standardMinutes: 30, customerWaiting: true })),
  ]);
  expect(p.skippedOnReplay).toBe(0);
  return p;
}

describe('previewing a move', () => {
  it('shows the waits coming down when a technician joins the team that does the queued service', () => {
    const p = morning();
    // Only T1 may do maintenance, free at 10:00: started 10:00, 10:30, 11:00 → waits 60, 90, 120.
    const before = workshopForecast(p.state, p.ctx, NOW);
    expect(before.scenarios[0]!.predictedAverageWaitMin).toBe(90);
    const move: PitwallEvent = { id: 'preview-move-0000', type: 'staff.reassigned', at: L('09:00'), technicianId: 'T2', team: 'quick' };
    const after = p.whatIf([move], () => workshopForecast(p.state, p.ctx, NOW));
    // T2 starts M1 now and M2 at 09:30; M3 at 10:00 (T1 or T2, both free then): waits 0, 30, 60.
    expect(after.ok && after.value.scenarios[0]!.predictedAverageWaitMin).toBe(30);
    // Nothing was changed.
    expect(p.state.technicians.get('T2')!.team).toBe('repair');
    expect(workshopForecast(p.state, p.ctx, NOW)).toEqual(before);
  });

  it('refuses a move the rules refuse, saying why', () => {
    const p = morning();
    const r = p.whatIf([{ id: 'preview-move-0000', type: 'staff.reassigned', at: L('09:00'), technicianId: 'T2', team: 'paint' }], () => 0);
    expect(r).toMatchObject({ ok: false, rejection: { path: 'team' } });
  });
});
