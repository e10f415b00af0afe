import { z } from 'zod';
import { eventResult, type EventResult } from '../../../../shared/events.js';
import { movePreview, staffingPlan, workshopForecast, type MovePreview, type MovePreviewRequest, type StaffingPlan, type WorkshopForecast } from '../../../../shared/forecast.js';
import { jobView, type JobView } from '../../../../shared/jobs.js';
import { technicianView, type TechnicianView } from '../../../../shared/technicians.js';
import { apiGet, apiPost, workshopPath } from '../../lib/api.js';

/**
 * The lead console's calls to the hub (docs/api.md, "Lead console data", "Forecast"). Each
 * answer is parsed with the shared zod schema: a hub of another version that changed a shape
 * fails loudly here rather than drawing `undefined` on a lead's phone. `origin` is empty in the
 * browser (same host as the page) and the hub's URL in tests that run outside one.
 */
const technicianList = z.object({ technicians: z.array(technicianView) });
const jobList = z.object({ jobs: z.array(jobView) });
const eventResults = z.object({ results: z.array(eventResult) });

export interface LeadApi {
  technicians(): Promise<TechnicianView[]>;
  forecast(): Promise<WorkshopForecast>;
  waitingJobs(): Promise<JobView[]>;
  staffing(hours?: number): Promise<StaffingPlan>;
  preview(move: MovePreviewRequest): Promise<MovePreview>;
  /** Posts one event; the hub's verdict on it (accepted, duplicate or rejected with its reason). */
  postEvent(event: Record<string, unknown>): Promise<EventResult>;
  acknowledge(metric: string): Promise<void>;
}

export function leadApi(workshopId: string, token: string, origin = ''): LeadApi {
  const path = (rest: string) => origin + workshopPath(workshopId, rest);
  return {
    async technicians() {
      return technicianList.parse(await apiGet(path('/technicians'), token)).technicians;
    },
    async forecast() {
      return workshopForecast.parse(await apiGet(path('/forecast'), token));
    },
    async waitingJobs() {
      return jobList.parse(await apiGet(path('/jobs?state=waiting'), token)).jobs;
    },
    async staffing(hours = 4) {
      return staffingPlan.parse(await apiGet(path(`/staffing?hours=${hours}`), token));
    },
    async preview(move) {
      return movePreview.parse(await apiPost(path('/forecast/preview'), token, move));
    },
    async postEvent(event) {
      const { results } = eventResults.parse(await apiPost(path('/events'), token, { events: [event] }));
      const result = results[0];
      // One event in, one result out (docs/api.md, "Posting events"): anything else is a hub bug worth surfacing.
      if (!result) throw new Error('the hub answered without a result for the event');
      return result;
    },
    async acknowledge(metric) {
      await apiPost(path(`/alerts/${encodeURIComponent(metric)}/ack`), token, {});
    },
  };
}

/**
 * A fresh event id (8–64 of A–Z a–z 0–9 _ -). `crypto.getRandomValues`, not `randomUUID`: the
 * latter only exists in secure contexts, and a lead's phone may open the hub over plain http
 * on the workshop's LAN.
 */
export function newEventId(prefix = 'lead'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
