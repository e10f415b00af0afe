import { describe, expect, it } from 'vitest';
import { Projection } from '../../server/engine/projection.js';
import { parseEvent } from '../../server/workshops/parse.js';
import { acceleratedClock } from '../../server/sim/demo-clock.js';
import { demoDay } from '../../server/sim/demo-day.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import { SHANGHAI } from '../fixtures/workshop.js';

const weekday = () => simulateDay({ config: SHANGHAI, date: '2026-11-18', seed: 11 });
const weekend = () => simulateDay({ config: SHANGHAI, date: '2026-11-21', seed: 11, arrivalFactor: 2.1 });

/** Plays a day event by event with the hub's rules, `now` at each event: what the demo driver does. */
function play(events: ReturnType<typeof weekday>) {
  const p = new Projection(SHANGHAI);
  const statuses = events.map((e) => {
    const v = p.judge([parseEvent(e)], Date.parse(e.at))[0]!;
    if (v.status === 'accepted') p.apply([e]);
    return v.status === 'rejected' ? `${e.type}: ${v.result.error?.message}` : v.status;
  });
  return { p, statuses };
}

describe('the simulated day', () => {
  it('is the same day for the same seed, in time order', () => {
    expect(weekday()).toEqual(weekday());
    const at = weekday().map((e) => Date.parse(e.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
  });

  it('is a day the hub accepts event by event', () => {
    for (const day of [weekday(), weekend()]) {
      const { statuses } = play(day);
      expect(statuses.filter((s) => s !== 'accepted')).toEqual([]);
    }
  });

  it('brings about twice the cars on a weekend, and the average wait goes red with weekday staff', () => {
    const cars = (d: ReturnType<typeof weekday>) => d.filter((e) => e.type === 'job.checked_in').length;
    expect(cars(weekend()) / cars(weekday())).toBeGreaterThan(1.6);
    const p = new Projection(SHANGHAI);
    const day = weekend();
    let red = false;
    for (let h = 9; h <= 17 && !red; h++) {
      const now = Date.parse(`2026-11-21T${String(h).padStart(2, '0')}:00:00+08:00`);
      p.apply(day.filter((e) => Date.parse(e.at) <= now && !p.state.eventIds.has(e.id)));
      red = p.figures(now).kpis.averageWait.light === 'red';
    }
    expect(red).toBe(true);
  });
});

describe('the demo', () => {
  it('plays the latest Saturday or Wednesday up to today, from the chosen local time', () => {
    const tuesday = Date.parse('2026-11-24T15:00:00+08:00');
    const sat = demoDay({ day: 'weekend', speed: 60, start: '09:30' }, SHANGHAI, tuesday);
    expect(sat.date).toBe('2026-11-21');
    expect(new Date(sat.startMs).toISOString()).toBe('2026-11-21T01:30:00.000Z');
    expect(demoDay({ day: 'weekday', speed: 60, start: '07:45' }, SHANGHAI, tuesday).date).toBe('2026-11-18');
    // On a Saturday itself, that Saturday.
    expect(demoDay({ day: 'weekend', speed: 60, start: '07:45' }, SHANGHAI, Date.parse('2026-11-28T23:30:00+08:00')).date).toBe('2026-11-28');
  });

  it('runs its clock faster than the real one by the chosen factor', () => {
    let real = 1_000_000;
    const clock = acceleratedClock(5_000, 60, () => real);
    expect(clock()).toBe(5_000);
    real += 1000;
    expect(clock()).toBe(65_000);
  });
});
