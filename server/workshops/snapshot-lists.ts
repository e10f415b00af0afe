import { KPI_NAMES, MAX_LISTED_ALERTS, MAX_LISTED_FLAGS, type ActiveAlert, type BoardSnapshot, type DataFlag } from '../../shared/snapshot.js';

const KPI_METRICS: ReadonlySet<string> = new Set(KPI_NAMES);

/**
 * The snapshot's alerts and flags within their caps (docs/api.md, "Snapshot size"), with the
 * count of those left out. Both lists grow with what clients send (every bay red, every job
 * overrun, every technician still clocked in), and a board snapshot must stay bounded; a
 * count rather than silence, so the board can say "+N".
 *
 * Alerts keep their order (worst first); every KPI alert is kept (there are six at most and
 * they are what the board's tiles stand for), then bay alerts in order up to the cap. Flags
 * keep the oldest first, as the board shows them.
 */
export function listedWithinCaps(alerts: readonly ActiveAlert[], flags: readonly DataFlag[]): Pick<BoardSnapshot, 'alerts' | 'flags' | 'alertsNotListed' | 'flagsNotListed'> {
  let room = MAX_LISTED_ALERTS - alerts.filter((a) => KPI_METRICS.has(a.metric)).length;
  const listedAlerts = alerts.filter((a) => KPI_METRICS.has(a.metric) || room-- > 0);
  const listedFlags = flags.slice(0, MAX_LISTED_FLAGS);
  return {
    alerts: listedAlerts,
    flags: listedFlags,
    ...(listedAlerts.length < alerts.length && { alertsNotListed: alerts.length - listedAlerts.length }),
    ...(listedFlags.length < flags.length && { flagsNotListed: flags.length - listedFlags.length }),
  };
}
