import type { PitwallEvent, StoredEvent } from '../../../shared/events.js';
import { movePreviewRequest, type MovePreview, type StaffingPlan, type WorkshopForecast } from '../../../shared/forecast.js';
import type { JobState, JobView } from '../../../shared/jobs.js';
import type { TechnicianView } from '../../../shared/technicians.js';
import { toIso } from '../../../shared/time.js';
import { workshopForecast } from '../../engine/staffing.js';
import { staffingPlan } from '../../engine/staffing-plan.js';
import { technicianViews } from '../../engine/technicians.js';
import { fail } from '../../errors.js';
import type { EventStore } from '../../store/event-store.js';
import { issueDetails } from '../../../shared/issue-details.js';
import type { Workshop } from '../workshop.js';

/**
 * What the lead console reads to run the floor: technicians, jobs, the forecast and a move's
 * effect on it, staffing for the coming hours, and the raw event log. Authorised by the
 * registry before they run (shared/permissions.ts).
 */

export async function technicians(w: Workshop, now: number): Promise<TechnicianView[]> {
  const p = await w.queue.settled();
  return technicianViews(p.state, p.ctx, now);
}

export async function jobs(w: Workshop, now: number, state?: JobState): Promise<JobView[]> {
  return (await w.queue.settled()).jobs(now, state);
}

export async function forecast(w: Workshop, now: number): Promise<WorkshopForecast> {
  const p = await w.queue.settled();
  return workshopForecast(p.state, p.ctx, now);
}

/** The forecast before and after a move, the move tried on the live state and taken back. */
export async function previewMove(w: Workshop, move: unknown, now: number): Promise<MovePreview> {
  const parsed = movePreviewRequest.safeParse(move);
  if (!parsed.success) throw fail.badRequest('the body must be { technicianId, team?, bayId? }', issueDetails(parsed.error, move));
  const event: PitwallEvent = { id: 'preview-move-0000', type: 'staff.reassigned', at: toIso(now), ...parsed.data };
  const p = await w.queue.settled();
  const before = workshopForecast(p.state, p.ctx, now);
  const after = p.whatIf([event], () => workshopForecast(p.state, p.ctx, now));
  if (!after.ok) throw fail.badRequest(after.rejection.message, [{ path: after.rejection.path, message: after.rejection.message }]);
  return { before, after: after.value };
}

export async function staffing(w: Workshop, now: number, hours: number): Promise<StaffingPlan> {
  const p = await w.queue.settled();
  return staffingPlan(p.arrivals, p.state, p.ctx, now, hours);
}

export async function eventLog(store: EventStore, workshopId: string, afterSeq: number, limit: number): Promise<{ events: StoredEvent[]; lastSeq: number; more: boolean }> {
  const page = await store.read(workshopId, afterSeq, limit + 1);
  const events = page.slice(0, limit);
  return { events, lastSeq: events.at(-1)?.seq ?? afterSeq, more: page.length > limit };
}
