import type { CustomerJobView, CustomerState } from '../../shared/customer-view.js';
import type { JobView } from '../../shared/jobs.js';
import type { Hub } from '../../server/hub.js';
import type { CustomerViewsOf } from '../../server/notify/index.js';

/**
 * A stand-in for server/engine/customer-view.ts (issue 15's customer page, another branch) in
 * the webhook tests, until it is merged: the customers' views of a workshop's open jobs, made
 * from the real hub's job list (its real forecast's `predictedStartAt`). Only the fields the
 * notifications' rules read are meaningful; the lead wires the real function at merge.
 */
const ADMIN = { role: 'admin', workshops: '*' } as const;

function stateOf(j: JobView): CustomerState {
  if (j.state === 'completed') return 'ready';
  if (j.state === 'paused') return j.pauseReason === 'parts' ? 'waiting_for_parts' : 'paused';
  return j.state;
}

function viewOf(j: JobView, now: number): CustomerJobView {
  const start = j.state === 'waiting' && j.predictedStartAt ? { earliest: j.predictedStartAt, latest: j.predictedStartAt } : null;
  return {
    workshopName: 'Shanghai test',
    plateMasked: `${j.plate.slice(0, 2)}·····${j.plate.slice(-1)}`,
    service: j.service,
    state: stateOf(j),
    queuePosition: null,
    predictedStart: start,
    predictedReady: null,
    promisedAt: j.promisedAt,
    promiseAtRisk: false,
    customerWaiting: j.customerWaiting,
    backBy: null,
    technicianGivenName: null,
    asOf: new Date(now).toISOString(),
  };
}

/** Late-bound: the hub that answers is built with this function, so it asks for the hub when called. */
export function interimViewsOf(hub: () => Hub | undefined): CustomerViewsOf {
  return async (workshopId, now) => {
    const h = hub();
    if (!h) return null;
    const jobs = await h.service.jobs(workshopId, ADMIN, now);
    return new Map(jobs.filter((j) => j.state !== 'delivered' && j.state !== 'cancelled').map((j) => [j.jobId, viewOf(j, now)]));
  };
}
