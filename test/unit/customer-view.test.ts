import { describe, expect, it } from 'vitest';
import { customerLinkExpired, customerView, customerViews, givenName, maskPlate } from '../../server/engine/customer-view.js';
import { Projection } from '../../server/engine/projection.js';
import { L, SHANGHAI, ev, scriptedDay } from '../fixtures/workshop.js';

const utc = (hhmm: string) => new Date(L(hhmm)).toISOString();

/**
 * One technician (Zhang Wei) from 08:00; at 09:00 four cars: Q1 (40 min, on site), Q2 (40 min,
 * on site), Q4 (60 min, on site), Q3 (40 min, dropped off, promised for 11:30). The queue: on-site
 * customers by check-in plus the 45-min green line (09:45), Q3 by its promise less its standard
 * (10:50). T1 takes Q1 at 09:00; then Q2 09:40–10:20, Q4 10:20–11:20, Q3 11:20–12:00.
 * No start measured yet: ranges are ± 15 min, rounded outwards to 5 min.
 */
function morning() {
  const p = new Projection(SHANGHAI);
  p.apply([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('09:00'), { jobId: 'Q1', plate: '沪A12345', service: 'maintenance', standardMinutes: 40, customerWaiting: true }),
    ev('job.checked_in', L('09:00'), { jobId: 'Q2', plate: '沪B22222', service: 'maintenance', standardMinutes: 40, customerWaiting: true }),
    ev('job.checked_in', L('09:00'), { jobId: 'Q3', plate: '沪C33333', service: 'repair', standardMinutes: 40, customerWaiting: false, promisedAt: L('11:30') }),
    ev('job.checked_in', L('09:00'), { jobId: 'Q4', plate: '沪D44444', service: 'repair', standardMinutes: 60, customerWaiting: true }),
    ev('job.started', L('09:00'), { jobId: 'Q1', bayId: 'B1', technicianId: 'T1' }),
  ]);
  return p;
}

describe("the customer's view of a car", () => {
  const p = morning();
  const now = Date.parse(L('09:00'));
  const view = (id: string) => customerView(p.state, p.ctx, id, now)!;

  it('a car on a bay: in progress, no place in the queue, ready between its end and a quarter of an hour later, the given name only', () => {
    expect(view('Q1')).toEqual({
      workshopName: 'Shanghai test',
      plateMasked: '沪A····5',
      service: 'maintenance',
      state: 'in_progress',
      queuePosition: null,
      predictedStart: null,
      predictedReady: { earliest: utc('09:40'), latest: utc('09:55') },
      promisedAt: null,
      promiseAtRisk: false,
      customerWaiting: true,
      backBy: null,
      technicianGivenName: 'Wei',
      asOf: utc('09:00'),
    });
  });

  it('the next car: first in the queue, start and ready ± 15 min, no "come back" for a turn 40 min away', () => {
    expect(view('Q2')).toMatchObject({
      state: 'waiting',
      queuePosition: 0,
      predictedStart: { earliest: utc('09:25'), latest: utc('09:55') },
      predictedReady: { earliest: utc('10:05'), latest: utc('10:35') },
      backBy: null,
      technicianGivenName: null,
    });
  });

  it('a customer on site whose turn is 65 min off or more: back by the earliest start less 20 min', () => {
    // Start 10:20 ± 15 → earliest 10:05, 65 min from now → back by 09:45.
    expect(view('Q4')).toMatchObject({ queuePosition: 1, predictedStart: { earliest: utc('10:05'), latest: utc('10:35') }, predictedReady: { earliest: utc('11:05'), latest: utc('11:35') }, backBy: utc('09:45') });
  });

  it('a promise the schedule misses is at risk, and the ready range is the honest new estimate', () => {
    // Q3 done at 12:00 against a promise of 11:30; a drop-off is never told to come back.
    expect(view('Q3')).toMatchObject({ queuePosition: 2, promisedAt: utc('11:30'), promiseAtRisk: true, predictedReady: { earliest: utc('11:45'), latest: utc('12:15') }, backBy: null, customerWaiting: false });
  });

  it('unknown jobs have no view; every job a customer may still wait on has one', () => {
    expect(customerView(p.state, p.ctx, 'nope', now)).toBeNull();
    const all = customerViews(p.state, p.ctx, now);
    expect([...all.keys()].sort()).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect(all.get('Q4')).toEqual(view('Q4'));
  });

  it('paused for parts: the customer’s words, and no made-up ready time; then ready, delivered and the link’s expiry', () => {
    const q = morning();
    q.apply([ev('job.paused', L('09:10'), { jobId: 'Q1', reason: 'parts' })]);
    const at = (hhmm: string) => customerView(q.state, q.ctx, 'Q1', Date.parse(L(hhmm)))!;
    expect(at('09:10')).toMatchObject({ state: 'waiting_for_parts', predictedReady: null, technicianGivenName: 'Wei' });
    q.apply([ev('job.resumed', L('09:20'), { jobId: 'Q1' }), ev('job.completed', L('09:50'), { jobId: 'Q1', firstTimeFix: true })]);
    expect(at('09:50')).toMatchObject({ state: 'ready', predictedReady: null, predictedStart: null });
    q.apply([ev('job.delivered', L('10:00'), { jobId: 'Q1' })]);
    expect(at('10:00').state).toBe('delivered');
    const job = q.state.jobs.get('Q1')!;
    const day = 24 * 3600_000;
    expect(customerLinkExpired(job, Date.parse(L('10:00')) + day - 1, day)).toBe(false);
    expect(customerLinkExpired(job, Date.parse(L('10:00')) + day, day)).toBe(true);
    expect(customerLinkExpired(q.state.jobs.get('Q2')!, Date.parse(L('10:00')) + 30 * day, day)).toBe(false);
  });

  it('with enough measured starts, the ranges are ± the 90th percentile of the error', () => {
    // The scripted day: six starts measured, p90 of the error 120 min; J7 starts at 18:00 (now)
    // and takes 90 min against a promise of 17:00. Ranges never begin before now.
    const d = new Projection(SHANGHAI);
    d.apply(scriptedDay());
    const j7 = customerView(d.state, d.ctx, 'J7', Date.parse(L('18:00')))!;
    expect(j7).toMatchObject({
      predictedStart: { earliest: utc('18:00'), latest: utc('20:00') },
      predictedReady: { earliest: utc('18:00'), latest: utc('21:30') },
      promiseAtRisk: true,
    });
  });
});

describe('what a customer may see of people and plates', () => {
  it('masks all but the first two characters of a plate and its last one', () => {
    expect(maskPlate('沪A12345')).toBe('沪A····5');
    expect(maskPlate('粤B D12345')).toBe('粤B·····5');
    expect(maskPlate('AB1')).toBe('A··');
  });

  it('gives a technician’s given name, never the surname', () => {
    expect(givenName('Zhao Lei')).toBe('Lei');
    expect(givenName('Ouyang Xiao Ming')).toBe('Xiao Ming');
    expect(givenName('赵磊')).toBe('磊');
    expect(givenName('欧阳 明')).toBe('明');
    expect(givenName('Max')).toBeNull();
    expect(givenName('赵')).toBeNull();
  });
});
