import type { CustomerJobView } from '../../../shared/customer-view.js';
import { customerLinkExpired, customerView, customerViews } from '../../engine/customer-view.js';
import type { Workshop } from '../workshop.js';

/**
 * What a customer's link reads (docs/api.md, "The customer's page"): one job's view, while the
 * link is open, and every waiting customer's view for the notifications. The link itself was
 * checked at the edge (server/customers/); nothing here knows a token.
 */

/** The job's view, or null when the workshop does not know the job or its link has expired: the edge answers both alike. */
export async function openCustomerView(w: Workshop, jobId: string, now: number, ttlMs: number): Promise<CustomerJobView | null> {
  const p = await w.queue.settled();
  const job = p.state.jobs.get(jobId);
  if (job === undefined || customerLinkExpired(job, now, ttlMs)) return null;
  return customerView(p.state, p.ctx, jobId, now);
}

/** Whether a link may be handed out for the job: the workshop knows it and its link has not expired. */
export async function linkable(w: Workshop, jobId: string, now: number, ttlMs: number): Promise<boolean> {
  const p = await w.queue.settled();
  const job = p.state.jobs.get(jobId);
  return job !== undefined && !customerLinkExpired(job, now, ttlMs);
}

/** Every job a customer may still be waiting on, by id, from one schedule (engine/customer-view.ts). */
export async function allCustomerViews(w: Workshop, now: number): Promise<Map<string, CustomerJobView>> {
  const p = await w.queue.settled();
  return customerViews(p.state, p.ctx, now);
}
