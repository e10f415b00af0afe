import { describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../../../shared/events.js';
import { hhmmIn, promisedIso, surveyable, surveyOutcome } from '../desk/terminal-desk.js';
import { freeBays, jobsOf, projectFloor, queueOrder, stampEvent } from './terminal-projection.js';
import { floorJob, jobView, technicianView } from './terminal-test-fixture.js';

const AT = '2026-11-21T02:00:00.000Z';
const e = <T extends PitwallEvent['type']>(type: T, fields: Omit<Extract<PitwallEvent, { type: T }>, 'id' | 'at' | 'type'>, id = `ev-${type}-00`) => stampEvent(type, fields, id, Date.parse(AT));

describe('projectFloor', () => {
  const jobs = [jobView({ jobId: 'J1' }), jobView({ jobId: 'J2', state: 'in_progress', bayId: 'B2', technicianId: 'T2' })];
  const techs = [technicianView({ technicianId: 'T1' }), technicianView({ technicianId: 'T2', status: 'on_shift' })];

  it('lays pending taps on the hub’s lists, marked, in order', () => {
    const floor = projectFloor(jobs, techs, [], [e('shift.clock_in', { technicianId: 'T1' }), e('job.started', { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }), e('job.paused', { jobId: 'J1', reason: 'parts' })]);
    expect(floor.technicians.find((t) => t.technicianId === 'T1')).toMatchObject({ status: 'on_shift', pending: 'shift.clock_in' });
    expect(floor.jobs.find((j) => j.jobId === 'J1')).toMatchObject({ state: 'paused', bayId: 'B1', technicianId: 'T1', pauseReason: 'parts', pending: 'job.paused', startedAt: AT });
    // Untouched ones are the hub's, unmarked.
    expect(floor.jobs.find((j) => j.jobId === 'J2')?.pending).toBeNull();
  });

  it('skips a tap the state machine does not allow from what is shown (no fake state)', () => {
    const floor = projectFloor(jobs, techs, [], [e('job.completed', { jobId: 'J1', firstTimeFix: true }), e('shift.break_end', { technicianId: 'T2' })]);
    expect(floor.jobs.find((j) => j.jobId === 'J1')).toMatchObject({ state: 'waiting', pending: null });
    expect(floor.technicians.find((t) => t.technicianId === 'T2')).toMatchObject({ status: 'on_shift', pending: null });
  });

  it('changes nothing when the lists already contain a confirmed event, and shows it unmarked when they do not yet', () => {
    const started = e('job.started', { jobId: 'J2', bayId: 'B2', technicianId: 'T2' });
    expect(projectFloor(jobs, techs, [started], []).jobs).toEqual(jobs.map((j) => ({ ...j, pending: null })));
    const paused = e('job.paused', { jobId: 'J2', reason: 'approval' });
    expect(projectFloor(jobs, techs, [paused], []).jobs[1]).toMatchObject({ state: 'paused', pending: null });
  });

  it('adds a car checked in at this desk to the queue, without a predicted start', () => {
    const floor = projectFloor(jobs, techs, [], [e('job.checked_in', { jobId: 'J9', plate: '沪K88888', service: 'repair', standardMinutes: 90, customerWaiting: false, promisedAt: AT })]);
    expect(floor.jobs.at(-1)).toMatchObject({ jobId: 'J9', state: 'waiting', plate: '沪K88888', promisedAt: AT, predictedStartAt: null, pending: 'job.checked_in' });
  });
});

describe('queue, hands and bays', () => {
  it('orders the queue by predicted start, unpredicted cars last by check-in', () => {
    const q = queueOrder([
      floorJob({ jobId: 'late', predictedStartAt: '2026-11-21T03:00:00.000Z' }),
      floorJob({ jobId: 'none-early', predictedStartAt: null, checkedInAt: '2026-11-21T00:10:00.000Z' }),
      floorJob({ jobId: 'soon', predictedStartAt: '2026-11-21T02:00:00.000Z' }),
      floorJob({ jobId: 'running', state: 'in_progress' }),
      floorJob({ jobId: 'none-late', predictedStartAt: null, checkedInAt: '2026-11-21T00:20:00.000Z' }),
    ]);
    expect(q.map((j) => j.jobId)).toEqual(['soon', 'late', 'none-early', 'none-late']);
  });

  it('puts the running job before the paused ones, and frees only bays without an open job', () => {
    const jobs = [
      floorJob({ jobId: 'P', state: 'paused', technicianId: 'T1', bayId: 'B2', startedAt: '2026-11-21T01:00:00.000Z' }),
      floorJob({ jobId: 'R', state: 'in_progress', technicianId: 'T1', bayId: 'B1', startedAt: '2026-11-21T02:00:00.000Z' }),
      floorJob({ jobId: 'X', state: 'completed', technicianId: 'T1', bayId: 'B3' }),
    ];
    expect(jobsOf(jobs, 'T1').map((j) => j.jobId)).toEqual(['R', 'P']);
    expect(jobsOf(jobs, null)).toEqual([]);
    expect([...freeBays([{ id: 'B1' }, { id: 'B2' }, { id: 'B3' }], jobs)]).toEqual(['B3']);
  });
});

describe('the desk’s readings', () => {
  it.each([
    // now (UTC), typed, expected: the next such time on Shanghai's clock
    ['2026-11-21T02:00:00.000Z', '16:30', '2026-11-21T08:30:00.000Z'],
    ['2026-11-21T10:00:00.000Z', '09:00', '2026-11-22T01:00:00.000Z'],
    ['2026-11-21T17:30:00.000Z', '08:00', '2026-11-22T00:00:00.000Z'],
  ])('at %s, "%s" is promised for %s', (now, typed, expected) => {
    expect(promisedIso(typed, Date.parse(now), 'Asia/Shanghai')).toBe(expected);
  });

  it('turns "+2 h" into the next quarter hour on the workshop clock', () => {
    expect(hhmmIn(2, Date.parse('2026-11-21T02:07:00Z'), 'Asia/Shanghai')).toBe('12:15');
    expect(hhmmIn(1, Date.parse('2026-11-21T02:00:00Z'), 'Asia/Shanghai')).toBe('11:00');
  });

  it('refuses a time that is not HH:MM', () => {
    expect(promisedIso('25:00', 0, 'Asia/Shanghai')).toBeNull();
    expect(promisedIso('9:5', 0, 'Asia/Shanghai')).toBeNull();
  });

  it('offers for a survey exactly the cars done or delivered today or yesterday without a survey at the hub, latest first', () => {
    // Now is 12:00 on the 21st in Shanghai; yesterday began at 2026-11-19T16:00Z.
    const now = Date.parse('2026-11-21T04:00:00.000Z');
    const jobs = [
      floorJob({ jobId: 'A', state: 'delivered', deliveredAt: '2026-11-21T03:00:00.000Z' }),
      floorJob({ jobId: 'B', state: 'completed', completedAt: '2026-11-21T03:30:00.000Z' }),
      floorJob({ jobId: 'C', state: 'delivered', deliveredAt: '2026-11-21T02:00:00.000Z', surveyed: true }),
      floorJob({ jobId: 'D', state: 'in_progress' }),
      floorJob({ jobId: 'Y', state: 'delivered', completedAt: '2026-11-19T15:00:00.000Z', deliveredAt: '2026-11-19T16:30:00.000Z' }),
      floorJob({ jobId: 'OLD', state: 'delivered', deliveredAt: '2026-11-19T15:59:00.000Z' }),
    ];
    expect(surveyable(jobs, now, 'Asia/Shanghai').map((j) => j.jobId)).toEqual(['B', 'A', 'Y']);
  });

  it('takes a car off the survey list as soon as its survey is sent or waiting to go, and not before it is done', () => {
    const hub = [jobView({ jobId: 'A', state: 'delivered', deliveredAt: AT }), jobView({ jobId: 'W', state: 'waiting' })];
    const floor = projectFloor(hub, [], [], [e('survey.submitted', { jobId: 'A', score: 5 }), e('survey.submitted', { jobId: 'W', score: 5 }, 'ev-sv-w-000')]);
    expect(floor.jobs.map((j) => [j.jobId, j.surveyed ?? false, j.pending])).toEqual([
      ['A', true, null],
      ['W', false, null],
    ]);
  });
});

describe('surveyOutcome', () => {
  const event = stampEvent('survey.submitted', { jobId: 'A', score: 5 }, 'desk-sv-000001', Date.parse(AT));
  const pending = { status: 'pending' as const, event, queuedAt: 0 };
  const rejected = { status: 'rejected' as const, event, queuedAt: 0, rejectedAt: 1, error: { code: 'conflict', message: 'jobId: job A (沪A12345) already has a survey', field: 'jobId' } };

  it('says "recorded" only once the hub took the survey, "saved" while the hub does not answer', () => {
    expect(surveyOutcome(null, pending, true)).toEqual({ state: 'sending' });
    expect(surveyOutcome(null, pending, false)).toEqual({ state: 'saved' });
    expect(surveyOutcome({ state: 'sending' }, undefined, true)).toEqual({ state: 'recorded' });
  });

  it('keeps a refusal a refusal, also once it was dismissed from the outbox', () => {
    const refused = surveyOutcome({ state: 'sending' }, rejected, true);
    expect(refused).toEqual({ state: 'refused', code: 'conflict', message: rejected.error.message });
    expect(surveyOutcome(refused, undefined, true)).toEqual(refused);
  });
});
