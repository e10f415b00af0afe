import { describe, expect, it } from 'vitest';
import { PAST_JOB_RETENTION_MS } from '../../server/engine/compaction.js';
import { Projection } from '../../server/engine/projection.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS, localDate } from '../../shared/time.js';
import { SHANGHAI } from '../fixtures/workshop.js';

/**
 * The hub remembers event ids for the too_old window only (docs/api.md, "Duplicates"): inside
 * it a re-sent event is a duplicate; dated before it, it is refused as too_old, never applied
 * twice; and what is remembered stays bounded however many days the hub runs.
 */
const verdict = (p: Projection, e: PitwallEvent, now: number) => p.judge([{ ok: true, event: e }], now)[0]!;

describe('the dedupe window', () => {
  it('a duplicate inside the window, too_old before it, and memory bounded over 60 days', () => {
    const p = new Projection(SHANGHAI, { maxEventAgeMs: 14 * DAY_MS });
    const start = Date.parse('2026-09-01T12:00:00+08:00');
    const days: PitwallEvent[][] = [];
    let sizes: number[] = [];
    for (let d = 0; d < 60; d++) {
      const date = localDate(start + d * DAY_MS, SHANGHAI.timezone);
      const day = simulateDay({ config: SHANGHAI, date, seed: 900 + d });
      days.push(day);
      const now = Date.parse(`${date}T23:59:00+08:00`);
      const trial = p.begin(day.map((event) => ({ ok: true as const, event })), now);
      trial.commit();
      p.compact(now);
      sizes.push(p.state.eventIds.size);
    }
    const now = Date.parse(`${localDate(start + 59 * DAY_MS, SHANGHAI.timezone)}T23:59:00+08:00`);
    // Yesterday's first event, sent again: a duplicate.
    expect(verdict(p, days[58]![0]!, now)).toEqual({ status: 'duplicate', id: days[58]![0]!.id });
    // Forty days ago: its id is forgotten, and it is refused, not applied a second time.
    const old = verdict(p, days[19]![0]!, now);
    expect(old).toMatchObject({ status: 'rejected', result: { error: { code: 'too_old', details: [{ path: 'at' }] } } });
    expect(JSON.stringify(old)).toContain('events this old can no longer be checked for duplicates');
    // The ids held follow the window (about 15 days of events), not the 60 days run.
    const perDay = days.reduce((a, d) => a + d.length, 0) / days.length;
    expect(Math.max(...sizes.slice(20))).toBeLessThan(16 * perDay * 1.5);
    expect(p.state.eventIds.size).toBeLessThan(days.flat().length / 3);
    sizes = [];
  });

  it('forgets finished jobs after the past-job window, so their ids stop costing memory', () => {
    const p = new Projection(SHANGHAI);
    const day = simulateDay({ config: SHANGHAI, date: '2026-06-01', seed: 3 });
    // The log's own time moves on (compaction follows it, not only the clock).
    p.apply([...day, { id: 'later-0', type: 'shift.clock_in', at: '2026-06-20T08:00:00+08:00', technicianId: 'T2' }]);
    p.compact(Date.parse('2026-06-20T12:00:00+08:00'));
    const jobs = new Set(day.flatMap((e) => (e.type === 'job.delivered' || e.type === 'job.cancelled' ? [e.jobId] : []))).size;
    expect(p.state.pastJobIds.size).toBe(jobs);
    p.apply([{ id: 'later-1', type: 'shift.clock_in', at: new Date(Date.parse('2026-06-01T12:00:00+08:00') + PAST_JOB_RETENTION_MS + DAY_MS).toISOString(), technicianId: 'T1' }]);
    p.compact(Date.parse('2026-06-01T12:00:00+08:00') + PAST_JOB_RETENTION_MS + 2 * DAY_MS);
    expect(p.state.pastJobIds.size).toBe(0);
  });
});
