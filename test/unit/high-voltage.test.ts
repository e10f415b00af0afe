import { describe, expect, it } from 'vitest';
import { workshopConfig } from '../../shared/workshop.js';
import { Projection } from '../../server/engine/projection.js';
import { parseEvent } from '../../server/workshops/parse.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/** Bay B3 is equipped for high-voltage work; only T2 is qualified. */
const EV_SHOP = workshopConfig.parse({
  ...SHANGHAI,
  bays: SHANGHAI.bays.map((b) => (b.id === 'B3' ? { ...b, highVoltage: true } : b)),
  technicians: SHANGHAI.technicians.map((t) => (t.id === 'T2' ? { ...t, highVoltageQualified: true } : t)),
});

function shop() {
  const p = new Projection(EV_SHOP);
  p.apply([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
    ev('job.checked_in', L('08:10'), { jobId: 'R1', plate: '沪AD1234', service: 'repair', standardMinutes: 60, customerWaiting: false }),
    ev('job.started', L('08:15'), { jobId: 'R1', bayId: 'B1', technicianId: 'T2' }),
    ev('job.checked_in', L('08:20'), { jobId: 'HV1', plate: '沪AD5678', service: 'warranty', standardMinutes: 90, customerWaiting: true, highVoltage: true }),
  ]);
  expect(p.skippedOnReplay).toBe(0);
  return p;
}
const judge = (p: Projection, e: unknown) => p.judge([parseEvent(e)], Date.parse(L('09:00')))[0]!;

describe('high-voltage work', () => {
  it('refuses an unqualified technician, naming the field and why', () => {
    const v = judge(shop(), ev('job.started', L('08:30'), { jobId: 'HV1', bayId: 'B3', technicianId: 'T1' }));
    expect(v.status === 'rejected' && v.result.error).toMatchObject({
      code: 'unqualified',
      details: [{ path: 'technicianId', message: 'job HV1 is high-voltage work and technician T1 is not qualified for it' }],
    });
  });

  it('refuses a bay not equipped for it', () => {
    const v = judge(shop(), ev('job.started', L('08:30'), { jobId: 'HV1', bayId: 'B2', technicianId: 'T2' }));
    expect(v.status === 'rejected' && v.result.error?.details?.[0]?.path).toBe('bayId');
  });

  it('accepts a qualified technician on an equipped bay; ordinary jobs go anywhere', () => {
    const p = shop();
    expect(judge(p, ev('job.started', L('08:30'), { jobId: 'HV1', bayId: 'B3', technicianId: 'T2' })).status).toBe('accepted');
  });

  it('predicts a high-voltage job for when a qualified technician is free, not the first free one', () => {
    const jobs = shop().jobs(Date.parse(L('08:30')), 'waiting');
    // T1 is free now but not qualified; T2 finishes R1 (60 min from 08:15) at 09:15.
    expect(jobs).toMatchObject([{ jobId: 'HV1', highVoltage: true, predictedStartAt: new Date(L('09:15')).toISOString() }]);
  });
});
