import { describe, expect, it } from 'vitest';
import { customerView } from '../../server/engine/customer-view.js';
import { evolve } from '../../server/engine/evolve.js';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/** `job.customer_updated`: the desk switches a car between waiting on site and drop-off. */
describe('job.customer_updated', () => {
  function floor() {
    const p = new Projection(SHANGHAI);
    p.apply([
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('09:00'), { jobId: 'W1', plate: '沪A11111', service: 'maintenance', standardMinutes: 60, customerWaiting: true }),
      ev('job.checked_in', L('09:30'), { jobId: 'W2', plate: '沪A22222', service: 'maintenance', standardMinutes: 60, customerWaiting: true }),
    ]);
    return p;
  }

  it('changes the wait figures as a check-in of the other kind would', () => {
    const p = floor();
    const now = Date.parse(L('10:00'));
    // Both on site: waits 60 and 30 → average 45.
    expect(p.figures(now).waitingCustomers.averageWaitMin).toBe(45);
    expect(workshopForecast(p.state, p.ctx, now).waitingCustomers).toBe(2);
    p.apply([ev('job.customer_updated', L('09:45'), { jobId: 'W1', customerWaiting: false })]);
    // W1 left its car: only W2's 30 min is a customer's wait now.
    expect(p.figures(now).waitingCustomers.averageWaitMin).toBe(30);
    expect(workshopForecast(p.state, p.ctx, now).waitingCustomers).toBe(1);
    expect(customerView(p.state, p.ctx, 'W1', now)?.customerWaiting).toBe(false);
    p.apply([ev('job.customer_updated', L('09:50'), { jobId: 'W1', customerWaiting: true })]);
    expect(p.figures(now).waitingCustomers.averageWaitMin).toBe(45);
  });

  it('is refused for an unknown job, or a car no longer on the floor, naming the field', () => {
    const p = floor();
    expect(evolve(p.state, p.ctx, ev('job.customer_updated', L('10:00'), { jobId: 'nope', customerWaiting: false }), null)).toMatchObject({ code: 'unknown_reference', path: 'jobId' });
    p.apply([ev('job.cancelled', L('10:00'), { jobId: 'W2' })]);
    expect(evolve(p.state, p.ctx, ev('job.customer_updated', L('10:05'), { jobId: 'W2', customerWaiting: false }), null)).toMatchObject({ code: 'illegal_transition', path: 'type' });
  });
});
