import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../shared/lights.js';
import { AlertTracker } from '../../server/engine/alerts.js';
import { Projection } from '../../server/engine/projection.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

const MIN = 60_000;
const T0 = Date.parse(L('08:00'));

/** A board whose only data is one waiting customer checked in at `checkedIn`. */
function waitingBoard(checkedIn: number) {
  const p = new Projection(SHANGHAI);
  p.apply([ev('job.checked_in', new Date(checkedIn).toISOString(), { jobId: 'J1', plate: '沪A1', service: 'repair', standardMinutes: 60, customerWaiting: true })]);
  return p;
}

describe('alerts', () => {
  it('raises when the average wait turns yellow, then red, each once, with the rule in the message', () => {
    const p = waitingBoard(T0);
    const tracker = new AlertTracker('sh-test', DEFAULT_THRESHOLDS);
    const at = (min: number) => tracker.observe(p.figures(T0 + min * MIN), T0 + min * MIN);
    expect(at(10)).toEqual([]);
    expect(at(45)).toEqual([]); // 45 min is green: a boundary takes the better colour
    const yellow = at(46);
    expect(yellow).toHaveLength(1);
    expect(yellow[0]).toMatchObject({ workshopId: 'sh-test', metric: 'averageWait', light: 'yellow', previous: 'green', at: new Date(T0 + 46 * MIN).toISOString() });
    expect(yellow[0]!.message).toBe('Average wait 46 min is yellow (green ≤ 45, yellow ≤ 90)');
    expect(at(60)).toEqual([]);
    expect(at(91)).toMatchObject([{ metric: 'averageWait', light: 'red', previous: 'yellow' }]);
    expect(tracker.active()).toMatchObject([{ metric: 'averageWait', light: 'red', since: new Date(T0 + 91 * MIN).toISOString() }]);
  });

  it('does not flap: recovery is announced only after the better light held for 3 minutes', () => {
    const tracker = new AlertTracker('sh-test', DEFAULT_THRESHOLDS);
    const p = waitingBoard(T0);
    // Wait crosses 45 min, so yellow.
    expect(tracker.observe(p.figures(T0 + 46 * MIN), T0 + 46 * MIN)).toHaveLength(1);
    // The car starts being served; a second waiting-customer board would bounce; emulate with a fresh board at green.
    const green = waitingBoard(T0 + 40 * MIN);
    const g = (min: number) => tracker.observe(green.figures(T0 + min * MIN), T0 + min * MIN);
    expect(g(47)).toEqual([]); // 7 min wait: green, but only just seen
    expect(tracker.active()).toHaveLength(1);
    // Back to yellow before 3 min: still the same alert, no new message.
    expect(tracker.observe(p.figures(T0 + 48 * MIN), T0 + 48 * MIN)).toEqual([]);
    expect(g(49)).toEqual([]);
    expect(g(51)).toEqual([]);
    const recovered = g(52);
    expect(recovered).toMatchObject([{ metric: 'averageWait', light: 'green', previous: 'yellow' }]);
    expect(recovered[0]!.message).toBe('Average wait recovered: 12 min');
    expect(tracker.active()).toEqual([]);
  });

  it('raises a bay alert when a job runs past 110 % of its standard time and clears it after the job ends', () => {
    const p = new Projection(SHANGHAI);
    p.apply([
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('08:00'), { jobId: 'J1', plate: '沪A1', service: 'repair', standardMinutes: 100, customerWaiting: false }),
      ev('job.started', L('08:00'), { jobId: 'J1', bayId: 'B2', technicianId: 'T1' }),
    ]);
    const tracker = new AlertTracker('sh-test', DEFAULT_THRESHOLDS);
    const at = (min: number) => tracker.observe(p.figures(T0 + min * MIN), T0 + min * MIN).filter((a) => a.metric.startsWith('bay:'));
    expect(at(110)).toEqual([]);
    expect(at(111)).toMatchObject([{ metric: 'bay:B2', light: 'yellow' }]);
    expect(at(121)).toMatchObject([{ metric: 'bay:B2', light: 'red' }]);
    p.apply([ev('job.completed', L('10:05'), { jobId: 'J1', firstTimeFix: true })]);
    expect(at(126)).toEqual([]);
    expect(at(129)).toMatchObject([{ metric: 'bay:B2', light: 'none', previous: 'red' }]);
  });

  it('keeps an acknowledgement until the light gets worse', () => {
    const p = waitingBoard(T0);
    const tracker = new AlertTracker('sh-test', DEFAULT_THRESHOLDS);
    const at = (min: number) => tracker.observe(p.figures(T0 + min * MIN), T0 + min * MIN);
    at(50);
    expect(tracker.acknowledge('utilisation', T0)).toBe(false); // not an active alert
    expect(tracker.acknowledge('averageWait', T0 + 51 * MIN)).toBe(true);
    at(60);
    expect(tracker.active()).toMatchObject([{ metric: 'averageWait', light: 'yellow', acknowledgedAt: new Date(T0 + 51 * MIN).toISOString() }]);
    at(95);
    expect(tracker.active()).toMatchObject([{ metric: 'averageWait', light: 'red', acknowledgedAt: null }]);
  });
});
