import { describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { Projection, type Verdict } from '../../server/engine/projection.js';
import { parseEvent } from '../../server/workshops/parse.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

const NOW = Date.parse(L('12:00'));

/** T1 on shift, T2 on a break, J1 waiting, J2 running at B1, J3 paused at B2, J4 completed, J5 delivered. */
function floor(): Projection {
  const p = new Projection(SHANGHAI);
  const job = (jobId: string, at: string) => ev('job.checked_in', at, { jobId, plate: `沪A${jobId}`, service: 'repair', standardMinutes: 60, customerWaiting: true });
  p.apply([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
    ev('shift.break_start', L('11:00'), { technicianId: 'T2' }),
    job('J1', L('08:10')),
    job('J2', L('08:10')),
    job('J3', L('08:10')),
    job('J4', L('08:10')),
    job('J5', L('08:10')),
    ev('job.started', L('09:00'), { jobId: 'J2', bayId: 'B1', technicianId: 'T1' }),
    ev('job.started', L('09:00'), { jobId: 'J3', bayId: 'B2', technicianId: 'T2' }),
    ev('job.paused', L('09:30'), { jobId: 'J3', reason: 'parts' }),
    ev('job.started', L('09:00'), { jobId: 'J4', bayId: 'B3', technicianId: 'T1' }),
    ev('job.completed', L('09:40'), { jobId: 'J4', firstTimeFix: true }),
    ev('job.started', L('09:45'), { jobId: 'J5', bayId: 'B3', technicianId: 'T1' }),
    ev('job.completed', L('10:00'), { jobId: 'J5', firstTimeFix: true }),
    ev('job.delivered', L('10:30'), { jobId: 'J5' }),
  ]);
  expect(p.skippedOnReplay).toBe(0);
  return p;
}

function judgeOne(p: Projection, raw: unknown): Verdict {
  return p.judge([parseEvent(raw)], NOW)[0]!;
}

const at = L('11:30');
const REJECTED: [string, unknown, string, string][] = [
  // [case, event, code, path]
  ['unknown type', { id: 'evt-bad-0001', type: 'job.exploded', at, jobId: 'J1' }, 'invalid_event', 'type'],
  ['malformed id', { id: 'short', type: 'shift.clock_in', at, technicianId: 'T1' }, 'invalid_event', 'id'],
  ['id with bad characters', { id: 'evt 0001 spaces', type: 'shift.clock_in', at, technicianId: 'T1' }, 'invalid_event', 'id'],
  ['missing field', { id: 'evt-bad-0002', type: 'job.started', at, jobId: 'J1', bayId: 'B3' }, 'invalid_event', 'technicianId'],
  ['time without offset', { id: 'evt-bad-0003', type: 'shift.clock_in', at: '2026-11-21T11:30:00', technicianId: 'T1' }, 'invalid_event', 'at'],
  ['unknown field', { id: 'evt-bad-0004', type: 'job.resumed', at, jobId: 'J3', bayId: 'B2' }, 'invalid_event', 'bayId'],
  ['standard minutes 0', { id: 'evt-bad-0005', type: 'job.checked_in', at, jobId: 'J9', plate: 'X', service: 'repair', standardMinutes: 0, customerWaiting: false }, 'invalid_event', 'standardMinutes'],
  ['unknown service', { id: 'evt-bad-0006', type: 'job.checked_in', at, jobId: 'J9', plate: 'X', service: 'wash', standardMinutes: 10, customerWaiting: false }, 'invalid_event', 'service'],
  ['score 6', { id: 'evt-bad-0007', type: 'survey.submitted', at, jobId: 'J4', score: 6 }, 'invalid_event', 'score'],
  ['bad pause reason', { id: 'evt-bad-0008', type: 'job.paused', at, jobId: 'J2', reason: 'lunch' }, 'invalid_event', 'reason'],
  ['not an object', 42, 'invalid_event', ''],
  ['dated 1970 (the freeze attack)', ev('shift.clock_in', '1970-01-01T00:00:00Z', { technicianId: 'T3' }), 'too_old', 'at'],
  ['plate with a right-to-left override', ev('job.checked_in', at, { jobId: 'J9', plate: '沪A\u202E12345', service: 'repair', standardMinutes: 10, customerWaiting: false }), 'invalid_event', 'plate'],
  ['plate of sixteen zero-width spaces', ev('job.checked_in', at, { jobId: 'J9', plate: '\u200B'.repeat(16), service: 'repair', standardMinutes: 10, customerWaiting: false }), 'invalid_event', 'plate'],
  ['job id with a NUL', ev('job.checked_in', at, { jobId: 'J9\u0000', plate: 'X', service: 'repair', standardMinutes: 10, customerWaiting: false }), 'invalid_event', 'jobId'],
  ['technician id with a bidi isolate', ev('shift.clock_in', at, { technicianId: 'T3\u2066' }), 'invalid_event', 'technicianId'],
  ['team with a zero-width joiner', ev('staff.reassigned', at, { technicianId: 'T1', team: 'quick\u200D' }), 'invalid_event', 'team'],
  ['survey comment with a NUL', ev('survey.submitted', at, { jobId: 'J4', score: 4, comment: 'ok\u0000' }), 'invalid_event', 'comment'],
  ['more than 5 min in the future', ev('shift.clock_out', L('12:05:01').replace(':01:00', ':01'), { technicianId: 'T1' }), 'future_time', 'at'],
  ['unknown technician', ev('shift.clock_in', at, { technicianId: 'T9' }), 'unknown_reference', 'technicianId'],
  ['unknown job', ev('job.resumed', at, { jobId: 'J404' }), 'unknown_reference', 'jobId'],
  ['unknown bay', ev('job.started', at, { jobId: 'J1', bayId: 'B9', technicianId: 'T1' }), 'unknown_reference', 'bayId'],
  ['unknown technician on start', ev('job.started', at, { jobId: 'J1', bayId: 'B3', technicianId: 'T9' }), 'unknown_reference', 'technicianId'],
  ['unknown advisor', ev('job.checked_in', at, { jobId: 'J9', plate: 'X', service: 'repair', standardMinutes: 10, customerWaiting: false, advisorId: 'A9' }), 'unknown_reference', 'advisorId'],
  ['comeback of unknown job', ev('job.checked_in', at, { jobId: 'J9', plate: 'X', service: 'repair', standardMinutes: 10, customerWaiting: false, comebackOf: 'J404' }), 'unknown_reference', 'comebackOf'],
  ['comeback of itself', ev('job.checked_in', at, { jobId: 'J9', plate: 'X', service: 'repair', standardMinutes: 10, customerWaiting: false, comebackOf: 'J9' }), 'unknown_reference', 'comebackOf'],
  ['job id taken', ev('job.checked_in', at, { jobId: 'J1', plate: 'X', service: 'repair', standardMinutes: 10, customerWaiting: false }), 'conflict', 'jobId'],
  ['bay taken', ev('job.started', at, { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }), 'conflict', 'bayId'],
  ['bay held by a paused job', ev('job.started', at, { jobId: 'J1', bayId: 'B2', technicianId: 'T1' }), 'conflict', 'bayId'],
  ['start a running job', ev('job.started', at, { jobId: 'J2', bayId: 'B3', technicianId: 'T1' }), 'illegal_transition', 'type'],
  ['pause a waiting job', ev('job.paused', at, { jobId: 'J1', reason: 'parts' }), 'illegal_transition', 'type'],
  ['pause a paused job', ev('job.paused', at, { jobId: 'J3', reason: 'parts' }), 'illegal_transition', 'type'],
  ['resume a running job', ev('job.resumed', at, { jobId: 'J2' }), 'illegal_transition', 'type'],
  ['complete a waiting job', ev('job.completed', at, { jobId: 'J1', firstTimeFix: true }), 'illegal_transition', 'type'],
  ['complete a paused job', ev('job.completed', at, { jobId: 'J3', firstTimeFix: true }), 'illegal_transition', 'type'],
  ['deliver a running job', ev('job.delivered', at, { jobId: 'J2' }), 'illegal_transition', 'type'],
  ['deliver twice', ev('job.delivered', at, { jobId: 'J5' }), 'illegal_transition', 'type'],
  ['cancel a running job', ev('job.cancelled', at, { jobId: 'J2' }), 'illegal_transition', 'type'],
  ['cancel a completed job', ev('job.cancelled', at, { jobId: 'J4' }), 'illegal_transition', 'type'],
  ['survey of a waiting job', ev('survey.submitted', at, { jobId: 'J1', score: 4 }), 'illegal_transition', 'jobId'],
  ['clock in twice', ev('shift.clock_in', at, { technicianId: 'T1' }), 'illegal_transition', 'technicianId'],
  ['clock out while off', ev('shift.clock_out', at, { technicianId: 'T3' }), 'illegal_transition', 'technicianId'],
  ['break while off', ev('shift.break_start', at, { technicianId: 'T3' }), 'illegal_transition', 'technicianId'],
  ['break twice', ev('shift.break_start', at, { technicianId: 'T2' }), 'illegal_transition', 'technicianId'],
  ['end a break not taken', ev('shift.break_end', at, { technicianId: 'T1' }), 'illegal_transition', 'technicianId'],
  ['reassign to an unknown team', ev('staff.reassigned', at, { technicianId: 'T1', team: 'paint' }), 'unknown_reference', 'team'],
  ['reassign to an unknown bay', ev('staff.reassigned', at, { technicianId: 'T1', bayId: 'B9' }), 'unknown_reference', 'bayId'],
];

describe('judging an event against the floor', () => {
  it.each(REJECTED)('rejects %s, naming the field', (_case, raw, code, path) => {
    const p = floor();
    const before = JSON.stringify(p.figures(NOW));
    const v = judgeOne(p, raw);
    expect(v.status).toBe('rejected');
    if (v.status !== 'rejected') return;
    expect(v.result.error?.code).toBe(code);
    expect(v.result.error?.details?.map((d) => d.path)).toContain(path);
    expect(v.result.error?.message.length).toBeGreaterThan(5);
    // Judging never changes the floor.
    expect(JSON.stringify(p.figures(NOW))).toBe(before);
  });

  it.each<[string, PitwallEvent]>([
    ['up to 5 min in the future', ev('shift.clock_out', L('12:05'), { technicianId: 'T1' })],
    ['clock out while on a break', ev('shift.clock_out', at, { technicianId: 'T2' })],
    ['a second job in progress for one technician', ev('job.started', at, { jobId: 'J1', bayId: 'B3', technicianId: 'T1' })],
    ['cancel a paused job', ev('job.cancelled', at, { jobId: 'J3', reason: 'customer left' })],
    ['survey of a completed, undelivered job', ev('survey.submitted', at, { jobId: 'J4', score: 2, nps: 3, ces: 6, touchpoints: { waiting: 2 } })],
    ['comeback of an earlier job', ev('job.checked_in', at, { jobId: 'J9', plate: 'X', service: 'repair', standardMinutes: 10, customerWaiting: false, comebackOf: 'J5' })],
    ['reassign team and bay', ev('staff.reassigned', at, { technicianId: 'T1', team: 'repair', bayId: 'B3' })],
    ['a comment in Arabic over two lines', ev('survey.submitted', at, { jobId: 'J4', score: 5, comment: 'خدمة ممتازة\nشكرا' })],
    ['a plate with a space and Chinese', ev('job.checked_in', at, { jobId: 'J9', plate: '粤B 12345', service: 'repair', standardMinutes: 10, customerWaiting: false })],
    ['an offline tap 13 days old', ev('shift.clock_in', '2026-11-08T12:00:00+08:00', { technicianId: 'T3' })],
  ])('accepts %s', (_case, e) => {
    expect(judgeOne(floor(), e).status).toBe('accepted');
  });

  it('judges a batch in order: later events see earlier ones, duplicates inside the batch count once', () => {
    const p = floor();
    const check = ev('job.checked_in', at, { jobId: 'J8', plate: '沪B8', service: 'recall', standardMinutes: 20, customerWaiting: false });
    const start = ev('job.started', at, { jobId: 'J8', bayId: 'B3', technicianId: 'T1' });
    const verdicts = p.judge([check, check, start, ev('job.started', at, { jobId: 'J1', bayId: 'B3', technicianId: 'T1' })].map(parseEvent), NOW);
    expect(verdicts.map((v) => v.status)).toEqual(['accepted', 'duplicate', 'accepted', 'rejected']);
    // Trial only: nothing applied yet.
    expect(p.state.jobs.has('J8')).toBe(false);
    expect(p.state.bayHolders.has('B3')).toBe(false);
  });

  it('takes an event dated before the job\'s last change as happening at that change', () => {
    const p = floor();
    // A terminal that was offline sends a pause dated before the job started.
    p.apply([ev('job.paused', L('08:30'), { jobId: 'J2', reason: 'parts' })]);
    const j2 = p.jobs(NOW).find((j) => j.jobId === 'J2')!;
    expect(j2.state).toBe('paused');
    expect(j2.workedMin).toBe(0);
  });

  it('reports a replayed event that is already known as a duplicate', () => {
    const p = floor();
    const e = ev('job.resumed', at, { jobId: 'J3' });
    p.apply([e]);
    expect(judgeOne(p, e).status).toBe('duplicate');
  });
});
