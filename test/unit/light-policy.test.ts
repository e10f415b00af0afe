import { describe, expect, it } from 'vitest';
import { AlertTracker } from '../../server/engine/alerts.js';
import { Projection } from '../../server/engine/projection.js';
import { hysteresisLight } from '../../shared/light-policy.js';
import { DEFAULT_THRESHOLDS } from '../../shared/lights.js';
import { workshopConfig } from '../../shared/workshop.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

const MIN = 60_000;
const T0 = Date.parse(L('08:00'));

/** One job completed, not fixed first time: first-time fix 0 %, on a sample of one. */
function oneBadJob(config = SHANGHAI) {
  const p = new Projection(config);
  p.apply([
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('08:00'), { jobId: 'J1', plate: '沪A1', service: 'repair', standardMinutes: 30, customerWaiting: false }),
    ev('job.started', L('08:00'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', L('08:30'), { jobId: 'J1', firstTimeFix: false }),
  ]);
  return p;
}

describe('lights that do not lie on small numbers', () => {
  it('by default the plain rule: one job not fixed turns first-time fix red', () => {
    expect(oneBadJob().figures(T0 + 60 * MIN).kpis.firstTimeFix).toEqual({ value: 0, light: 'red' });
  });

  it('with a minimum sample the value shows without a light until enough jobs are in', () => {
    const shop = workshopConfig.parse({ ...SHANGHAI, lightPolicy: { firstTimeFix: { minSample: 5 } } });
    const p = oneBadJob(shop);
    expect(p.figures(T0 + 60 * MIN).kpis.firstTimeFix).toEqual({ value: 0, light: 'none' });
    // And no alert for it.
    expect(new AlertTracker('sh-test', DEFAULT_THRESHOLDS, shop.lightPolicy).observe(p.figures(T0 + 60 * MIN), T0 + 60 * MIN).map((a) => a.metric)).not.toContain('firstTimeFix');
  });

  it('with hysteresis an alert needs the value past the line by the margin, both ways', () => {
    // Average wait, lower is better, green ≤ 45, yellow ≤ 90; margin 5 min.
    const h = (value: number, raw: 'green' | 'yellow' | 'red', shown: 'green' | 'yellow' | 'red') => hysteresisLight('averageWait', value, raw, shown, 5, DEFAULT_THRESHOLDS);
    expect(h(47, 'yellow', 'green')).toBe('green');
    expect(h(51, 'yellow', 'green')).toBe('yellow');
    expect(h(43, 'green', 'yellow')).toBe('yellow');
    expect(h(39, 'green', 'yellow')).toBe('green');
    // Jumping two colours at once lands where the margin allows: 93 is red but not by 5.
    expect(h(93, 'red', 'green')).toBe('yellow');
    // Band (labour-time achievement 90–110 %): 108 % → 112 % is yellow by 2 points; a margin of 5 keeps green.
    expect(hysteresisLight('laborAchievement', 1.12, 'yellow', 'green', 0.05, DEFAULT_THRESHOLDS)).toBe('green');
    expect(hysteresisLight('laborAchievement', 1.16, 'yellow', 'green', 0.05, DEFAULT_THRESHOLDS)).toBe('yellow');
    expect(hysteresisLight('laborAchievement', 1.08, 'green', 'yellow', 0.05, DEFAULT_THRESHOLDS)).toBe('yellow');
    expect(hysteresisLight('laborAchievement', 1.0, 'green', 'yellow', 0.05, DEFAULT_THRESHOLDS)).toBe('green');
  });

  it('keeps a hovering wait from raising an alert on the live board', () => {
    const shop = workshopConfig.parse({ ...SHANGHAI, lightPolicy: { averageWait: { hysteresis: 5 } } });
    const p = new Projection(shop);
    p.apply([ev('job.checked_in', new Date(T0).toISOString(), { jobId: 'J1', plate: '沪A1', service: 'repair', standardMinutes: 60, customerWaiting: true })]);
    const tracker = new AlertTracker('sh-test', DEFAULT_THRESHOLDS, shop.lightPolicy);
    const at = (min: number) => tracker.observe(p.figures(T0 + min * MIN), T0 + min * MIN);
    expect(at(40)).toEqual([]);
    // The tile turns yellow at 46 min; the alert waits for 51.
    expect(p.figures(T0 + 46 * MIN).kpis.averageWait.light).toBe('yellow');
    expect(at(46)).toEqual([]);
    expect(at(50)).toEqual([]);
    expect(at(51)).toMatchObject([{ metric: 'averageWait', light: 'yellow' }]);
  });

  it('names the field when the policy is wrong', () => {
    const bad = workshopConfig.safeParse({ ...SHANGHAI, lightPolicy: { firstTimeFix: { minSample: -1 }, nonsense: {} } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['lightPolicy.firstTimeFix.minSample']));
  });
});
