import { describe, expect, it } from 'vitest';
import { MAX_LISTED_ALERTS, MAX_LISTED_FLAGS, type ActiveAlert, type DataFlag } from '../../shared/snapshot.js';
import { listedWithinCaps } from '../../server/workshops/snapshot-lists.js';

/** The snapshot's alerts and flags within their caps, with the count of those left out. */
const SINCE = '2026-11-21T01:00:00.000Z';
const alert = (metric: string, light: 'red' | 'yellow'): ActiveAlert => ({ metric, light, message: `${metric} is ${light}`, since: SINCE, acknowledgedAt: null });
const flag = (i: number): DataFlag => ({ kind: 'overrun', jobId: `J${i}`, technicianId: null, bayId: null, since: SINCE, message: `J${i}` });
const bayAlerts = (n: number) => Array.from({ length: n }, (_, i) => alert(`bay:B${i}`, 'red'));

describe('listed within caps', () => {
  it('lists everything and counts nothing when under the caps', () => {
    const alerts = [alert('utilisation', 'red'), ...bayAlerts(3)];
    const flags = [flag(1), flag(2)];
    expect(listedWithinCaps(alerts, flags)).toEqual({ alerts, flags });
  });

  it('keeps every KPI alert, then bay alerts in order up to the cap, and counts the rest', () => {
    // Red bays come first (worst first); the yellow KPI alerts after them must not be the ones dropped.
    const alerts = [...bayAlerts(30), alert('averageWait', 'yellow'), alert('utilisation', 'yellow')];
    const listed = listedWithinCaps(alerts, []);
    expect(listed.alerts).toHaveLength(MAX_LISTED_ALERTS);
    expect(listed.alerts.slice(-2).map((a) => a.metric)).toEqual(['averageWait', 'utilisation']);
    expect(listed.alerts.slice(0, MAX_LISTED_ALERTS - 2)).toEqual(alerts.slice(0, MAX_LISTED_ALERTS - 2));
    expect(listed.alertsNotListed).toBe(alerts.length - MAX_LISTED_ALERTS);
  });

  it('keeps the oldest flags up to the cap, and counts the rest', () => {
    const flags = Array.from({ length: 300 }, (_, i) => flag(i));
    const listed = listedWithinCaps([], flags);
    expect(listed.flags).toEqual(flags.slice(0, MAX_LISTED_FLAGS));
    expect(listed.flagsNotListed).toBe(300 - MAX_LISTED_FLAGS);
    expect(listed.alertsNotListed).toBeUndefined();
  });
});
