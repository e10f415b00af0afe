import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../shared/time.js';
import { Projection } from '../../server/engine/projection.js';
import { SHANGHAI, L, ev, scriptedDay } from '../fixtures/workshop.js';

/** Compaction bounds memory; it must never change a figure, a flag or what the hub accepts. */
describe('compaction', () => {
  it('read long after its day (a restored log), drops nothing a late event still needs', () => {
    const day = scriptedDay();
    const cut = day.findIndex((e) => e.type === 'survey.submitted');
    const live = new Projection(SHANGHAI);
    live.apply(day.slice(0, cut));
    const now = Date.parse(L('18:00')) + 11 * DAY_MS;
    live.compact(now);
    // The survey of a job delivered that day is still judged against the job, not "unknown".
    const verdicts = live.judge(day.slice(cut).map((event) => ({ ok: true as const, event })), now);
    expect(verdicts.map((v) => v.status)).toEqual(day.slice(cut).map(() => 'accepted'));
    live.apply(day.slice(cut));
    const fresh = new Projection(SHANGHAI);
    fresh.apply(day);
    expect(live.figures(now)).toEqual(fresh.figures(now));
  });

  it('keeps the whole open shift of a technician who never clocked out, so the long-shift flag keeps its start', () => {
    const events = [
      ev('shift.clock_in', '2026-11-01T08:00:00+08:00', { technicianId: 'T1' }),
      ev('shift.break_start', '2026-11-01T12:00:00+08:00', { technicianId: 'T1' }),
      ev('shift.break_end', '2026-11-01T13:00:00+08:00', { technicianId: 'T1' }),
      // Twelve days later the workshop is still busy (other events move the log's time on).
      ev('shift.clock_in', '2026-11-13T08:00:00+08:00', { technicianId: 'T2' }),
    ];
    const now = Date.parse('2026-11-13T09:00:00+08:00');
    const live = new Projection(SHANGHAI);
    live.apply(events);
    const before = live.figures(now).flags.find((f) => f.technicianId === 'T1');
    live.compact(now);
    const after = live.figures(now).flags.find((f) => f.technicianId === 'T1');
    expect(before?.since).toBe(new Date(Date.parse('2026-11-01T08:00:00+08:00') + 14 * HOUR_MS).toISOString());
    expect(after).toEqual(before);
    // The closed intervals of the others still go: memory stays bounded.
    expect(live.state.technicians.get('T1')!.attendance).toHaveLength(2);
  });
});
