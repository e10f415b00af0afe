import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import { parseEvent } from '../../server/workshops/parse.js';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * Issue 12, item 10: a paused job resumed by another technician. T1 starts J1 at 08:00,
 * pauses it at 10:00 and goes home at 10:30; T2 resumes it at 11:00 and works it until 12:00.
 * `job.resumed` names who resumed it: the job and its time are his from then on.
 */
function handedOver(): PitwallEvent[] {
  return [
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
    ev('job.checked_in', L('08:00'), { jobId: 'J1', plate: '沪A10001', service: 'repair', standardMinutes: 240, customerWaiting: false }),
    ev('job.started', L('08:00'), { jobId: 'J1', bayId: 'B2', technicianId: 'T1' }),
    ev('job.paused', L('10:00'), { jobId: 'J1', reason: 'other' }),
    ev('shift.clock_out', L('10:30'), { technicianId: 'T1' }),
    ev('job.resumed', L('11:00'), { jobId: 'J1', technicianId: 'T2' }),
  ];
}
const NOON = Date.parse(L('12:00'));

function projection(events: readonly PitwallEvent[]): Projection {
  const p = new Projection(SHANGHAI);
  p.apply(events);
  expect(p.skippedOnReplay).toBe(0);
  return p;
}

describe('a paused job resumed by another technician (job.resumed technicianId)', () => {
  it('moves the job to him: he shows busy, the bay shows him', () => {
    const board = projection(handedOver()).figures(NOON);
    expect(board.technicians).toMatchObject({ onShift: 1, busy: 1, idle: 0 });
    expect(board.bays.find((b) => b.bayId === 'B2')).toMatchObject({ jobId: 'J1', technicianId: 'T2', state: 'in_progress' });
  });

  it('moves the time from then on: 2 h productive for T1 before, 1 h for T2 after, on the board, the daily report and the history', () => {
    const p = projection(handedOver());
    // Utilisation over both: (2 h + 1 h) ÷ (T1 2.5 h + T2 4 h).
    expect(p.figures(NOON).kpis.utilisation.value).toBeCloseTo(3 / 6.5, 4);
    const daily = dailyReport(handedOver(), SHANGHAI, '2026-11-21', NOON);
    const tech = (id: string) => daily.technicians.find((t) => t.technicianId === id)!;
    expect(tech('T1').productiveHours).toBe(2);
    expect(tech('T2').productiveHours).toBe(1);
    const history = historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: '2026-11-21', to: '2026-11-21', by: 'technician' }), SHANGHAI.id, NOON);
    const row = (id: string) => history.rows.find((r) => r.key === id)!;
    expect(row('T1').sums.productiveMin).toBeCloseTo(120, 6);
    expect(row('T2').sums.productiveMin).toBeCloseTo(60, 6);
  });

  it('without technicianId the job stays with whoever had it (old terminals unaffected)', () => {
    const events = handedOver();
    events[6] = ev('job.resumed', L('11:00'), { jobId: 'J1' });
    expect(projection(events).figures(NOON).bays.find((b) => b.bayId === 'B2')).toMatchObject({ technicianId: 'T1' });
  });

  it('refuses an unknown technician, naming the field', () => {
    const p = projection(handedOver().slice(0, 6));
    const [unknown] = p.judge([parseEvent(ev('job.resumed', L('11:00'), { jobId: 'J1', technicianId: 'T9' }))], NOON);
    expect(unknown!.status === 'rejected' && unknown!.result.error).toMatchObject({ code: 'unknown_reference', details: [{ path: 'technicianId' }] });
  });
});
