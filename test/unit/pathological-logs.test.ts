import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { Projection, type Parsed } from '../../server/engine/projection.js';
import { SHIFT_GAP_MS } from '../../server/engine/shift.js';
import type { WorkshopState } from '../../server/engine/state.js';
import { SHANGHAI } from '../fixtures/workshop.js';

/**
 * Issue 11, item 4: break_start/break_end pairs slowed ingest from 13,586 to 446 events/s and a
 * replay of 120k of them took 97 s, because every break copied the shift's whole attendance
 * list. Attendance, work segments and pauses are now appended in place (journaled) with running
 * sums: every event costs amortised O(1) in the length of a shift's history.
 */

const START = Date.parse('2026-11-21T08:00:00+08:00');
let n = 0;
const id = () => `path-${String(++n).padStart(9, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** A shift of `pairs` breaks, one a second. */
function breakHeavyShift(pairs: number): PitwallEvent[] {
  const log: PitwallEvent[] = [{ id: id(), type: 'shift.clock_in', at: iso(START), technicianId: 'T1' }];
  for (let i = 0; i < pairs; i++) {
    log.push({ id: id(), type: 'shift.break_start', at: iso(START + 1000 * (2 * i + 1)), technicianId: 'T1' });
    log.push({ id: id(), type: 'shift.break_end', at: iso(START + 1000 * (2 * i + 2)), technicianId: 'T1' });
  }
  return log;
}

/** One job paused and resumed `pairs` times, with check-ins beside it (each forecasts the queue). */
function pauseHeavyJob(pairs: number): PitwallEvent[] {
  const log: PitwallEvent[] = [
    { id: id(), type: 'shift.clock_in', at: iso(START), technicianId: 'T2' },
    { id: id(), type: 'job.checked_in', at: iso(START), jobId: 'J-P', plate: 'PAUSE 1', service: 'repair', standardMinutes: 600, customerWaiting: true },
    { id: id(), type: 'job.started', at: iso(START), jobId: 'J-P', bayId: 'B2', technicianId: 'T2' },
  ];
  for (let i = 0; i < pairs; i++) {
    log.push({ id: id(), type: 'job.paused', at: iso(START + 1000 * (2 * i + 1)), jobId: 'J-P', reason: 'other' });
    log.push({ id: id(), type: 'job.resumed', at: iso(START + 1000 * (2 * i + 2)), jobId: 'J-P' });
    if (i % 50 === 0) log.push({ id: id(), type: 'job.checked_in', at: iso(START + 1000 * (2 * i + 2)), jobId: `J-Q${i}`, plate: `Q ${i}`, service: 'repair', standardMinutes: 30, customerWaiting: true });
  }
  return log;
}

/** A technician moved between teams `count` times. */
function reassignHeavy(count: number): PitwallEvent[] {
  const log: PitwallEvent[] = [{ id: id(), type: 'shift.clock_in', at: iso(START), technicianId: 'T3' }];
  for (let i = 0; i < count; i++) log.push({ id: id(), type: 'staff.reassigned', at: iso(START + 1000 * i), technicianId: 'T3', team: i % 2 ? 'quick' : 'repair' });
  return log;
}

const renamed = (log: readonly PitwallEvent[]) => log.map((e) => ({ ...e, id: id() }));

/** CPU time of this process (user + system), in ms: unlike the wall clock, other processes on a loaded machine do not count. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Fastest of a few runs of `run` on fresh projections, in CPU ms per event. */
function msPerEvent(log: readonly PitwallEvent[], run: (p: Projection, log: readonly PitwallEvent[]) => void, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const fresh = renamed(log);
    const p = new Projection(SHANGHAI);
    const started = cpuMs();
    run(p, fresh);
    best = Math.min(best, cpuMs() - started);
    expect(p.skippedOnReplay).toBe(0);
  }
  return best / log.length;
}

const replay = (p: Projection, log: readonly PitwallEvent[]) => p.apply(log);
/** Live ingest: batches of 20 judged, applied provisionally and committed, as the hub does. */
const ingest = (p: Projection, log: readonly PitwallEvent[]) => {
  const now = Date.parse(log.at(-1)!.at);
  for (let i = 0; i < log.length; i += 20) {
    const trial = p.begin(log.slice(i, i + 20).map((event): Parsed => ({ ok: true, event })), now);
    expect(trial.verdicts.every((v) => v.status === 'accepted')).toBe(true);
    trial.commit();
  }
};

describe('a shift of many breaks, a job of many pauses, many moves: each event costs the same whatever came before', () => {
  // 8× the events: linear work takes ~8× as long, the quadratic copies took ~64×. The bound
  // leaves room for a loaded machine's noise without letting quadratic growth through.
  const GROWTH_LIMIT = 4;
  for (const [name, make] of [
    ['breaks', breakHeavyShift],
    ['pauses', pauseHeavyJob],
    ['reassignments', (k: number) => reassignHeavy(2 * k)],
  ] as const) {
    for (const [door, run] of [['replay', replay], ['ingest', ingest]] as const) {
      it(`${name}, ${door}: the cost per event of 8× the history stays within ${GROWTH_LIMIT}× of the small one`, { timeout: 120_000 }, () => {
        const growth = () => msPerEvent(make(16_000), run) / msPerEvent(make(2_000), run);
        // A second measurement before failing: one noisy run cannot fail it; quadratic
        // growth (~8×) fails both.
        const first = growth();
        expect(first < GROWTH_LIMIT ? first : Math.min(first, growth())).toBeLessThan(GROWTH_LIMIT);
      });
    }
  }
});

/** The shift start as the walk back through attendance defined it before it was kept on the record. */
function shiftStartByWalk(attendance: readonly number[], attendingSince: number | null): number | null {
  let start = attendingSince;
  for (let i = attendance.length - 2; i >= 0; i -= 2) {
    const end = attendance[i + 1]!;
    if (start !== null && start - end > SHIFT_GAP_MS) break;
    start = attendance[i]!;
  }
  return start;
}

/** What the lists shared between records hold, copied out for comparison. */
function lists(s: WorkshopState) {
  return {
    technicians: [...s.technicians.values()].map((t) => ({ ...t, attendance: [...t.attendance] })),
    jobs: [...s.jobs.values()].map((j) => ({ ...j, workSegments: [...j.workSegments], pauses: [...j.pauses] })),
  };
}

describe('lists appended in place stay exactly what copies would have been', () => {
  const techEvent = fc.record({
    kind: fc.constantFrom('shift.clock_in', 'shift.clock_out', 'shift.break_start', 'shift.break_end'),
    tech: fc.constantFrom('T1', 'T2'),
  });
  const jobEvent = fc.record({ kind: fc.constantFrom('job.started', 'job.paused', 'job.resumed', 'job.completed', 'job.cancelled'), job: fc.constantFrom('J1', 'J2') });
  const step = fc.record({ event: fc.oneof(techEvent, jobEvent), gapMin: fc.integer({ min: 0, max: 200 }), rolledBack: fc.boolean(), batch: fc.integer({ min: 1, max: 3 }) });

  it('after random batches, some rolled back (a store failure), the state equals a replay of what was committed', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const live = new Projection(SHANGHAI);
        const committed: PitwallEvent[] = [];
        const open: PitwallEvent[] = [
          { id: id(), type: 'job.checked_in', at: iso(START), jobId: 'J1', plate: 'A 1', service: 'repair', standardMinutes: 60, customerWaiting: true },
          { id: id(), type: 'job.checked_in', at: iso(START), jobId: 'J2', plate: 'A 2', service: 'repair', standardMinutes: 60, customerWaiting: false },
        ];
        live.apply(open);
        committed.push(...open);
        let t = START;
        let pending: PitwallEvent[] = [];
        for (const s of steps) {
          t += s.gapMin * 60_000;
          const e = s.event;
          pending.push(
            'tech' in e
              ? { id: id(), type: e.kind, at: iso(t), technicianId: e.tech }
              : e.kind === 'job.started'
                ? { id: id(), type: e.kind, at: iso(t), jobId: e.job, bayId: e.job === 'J1' ? 'B2' : 'B3', technicianId: e.job === 'J1' ? 'T1' : 'T2' }
                : e.kind === 'job.paused'
                  ? { id: id(), type: e.kind, at: iso(t), jobId: e.job, reason: 'parts' }
                  : e.kind === 'job.completed'
                    ? { id: id(), type: e.kind, at: iso(t), jobId: e.job, firstTimeFix: true }
                    : { id: id(), type: e.kind, at: iso(t), jobId: e.job },
          );
          if (pending.length < s.batch) continue;
          const trial = live.begin(pending.map((event): Parsed => ({ ok: true, event })), t);
          if (s.rolledBack) trial.rollback();
          else {
            trial.commit();
            committed.push(...trial.accepted);
          }
          pending = [];
        }
        const rebuilt = new Projection(SHANGHAI);
        rebuilt.apply(committed);
        expect(lists(live.state)).toEqual(lists(rebuilt.state));
        for (const tech of live.state.technicians.values()) {
          if (tech.status !== 'off') expect(tech.shiftStartedAt).toBe(shiftStartByWalk(tech.attendance, tech.attendingSince));
        }
        for (const job of live.state.jobs.values()) {
          let sum = 0;
          for (let i = 0; i + 1 < job.workSegments.length; i += 2) sum += job.workSegments[i + 1]! - job.workSegments[i]!;
          expect(job.workedClosedMs).toBe(sum);
        }
      }),
      { numRuns: 200, seed: 4 },
    );
  });
});
