import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { CustomerJobView } from '../../shared/customer-view.js';
import { DEFAULT_TURN_SOON_MINUTES, type JobNotification } from '../../shared/webhooks.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { detectJobNotices, type JobNotice, type NoticeMemory } from '../engine/job-notices.js';
import type { NoticeClaims } from './claims.js';
import type { WebhookDelivery } from './delivery.js';
import type { ResolvedEndpoint } from './endpoints.js';

/**
 * Job notifications (`job.turn_soon`, `job.ready`, `job.promise_at_risk`): looks at the
 * customers' views of a workshop's open jobs after each change (once the burst settled) and on
 * a timer (a turn comes soon by time passing), asks the pure detector (engine/job-notices.ts)
 * what is due, claims each message (claims.ts: once across hubs) and hands it to the delivery.
 * All of it runs beside the events path, never in it: an ingest only marks the workshop.
 */

/**
 * The customer's view of every open job of a workshop, by job id (server/engine/customer-view.ts
 * computes one). Null when the workshop is not open on this hub: it must not open one.
 */
export type CustomerViewsOf = (workshopId: string, now: number) => Promise<ReadonlyMap<string, CustomerJobView> | null>;
/** The customer's page of a job, for endpoints with `includeCustomerLink`; null when there is none. */
export type CustomerLinkOf = (workshopId: string, jobId: string) => string | null;

export interface JobNotifierDeps {
  workshops: readonly WorkshopConfig[];
  endpoints: ReadonlyMap<string, readonly ResolvedEndpoint[]>;
  viewsOf: CustomerViewsOf;
  linkOf?: CustomerLinkOf;
  claims: NoticeClaims;
  delivery: WebhookDelivery;
  clock: () => number;
  logger: Logger;
  /** How often every workshop with webhooks is looked at without a change (default 15 s, the tick's). */
  checkEveryMs?: number;
  /** How long after a change the look waits, so a burst of events is one look (default 500 ms). */
  settleMs?: number;
}

export const CHECK_EVERY_MS = 15_000;
export const SETTLE_MS = 500;

/** The same id on every hub and every retry: receivers and the claims dedupe by it. */
export function messageId(workshopId: string, noticeKey: string): string {
  return `msg_${createHash('sha256').update(`${workshopId}\n${noticeKey}`).digest('base64url').slice(0, 24)}`;
}

export class JobNotifier {
  private readonly memory = new Map<string, NoticeMemory>();
  private readonly due = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly deps: JobNotifierDeps) {
    this.timer = setInterval(() => {
      for (const id of deps.endpoints.keys()) this.look(id);
    }, deps.checkEveryMs ?? CHECK_EVERY_MS);
    this.timer.unref();
  }

  /** A workshop's projection changed: look at it once the burst settled. Returns at once. */
  changed(workshopId: string): void {
    if (this.closed || !this.deps.endpoints.has(workshopId) || this.due.has(workshopId)) return;
    const t = setTimeout(() => {
      this.due.delete(workshopId);
      this.look(workshopId);
    }, this.deps.settleMs ?? SETTLE_MS);
    t.unref();
    this.due.set(workshopId, t);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const t of this.due.values()) clearTimeout(t);
    this.due.clear();
  }

  /** One look per workshop at a time; a look asked for meanwhile runs once after it. */
  private look(workshopId: string): void {
    if (this.closed) return;
    if (this.running.has(workshopId)) {
      this.again.add(workshopId);
      return;
    }
    const run = this.check(workshopId)
      .catch((err: unknown) => this.deps.logger.warn({ err, workshopId }, 'job notifications: look failed (the next one tries again)'))
      .finally(() => {
        this.running.delete(workshopId);
        if (this.again.delete(workshopId)) this.look(workshopId);
      });
    this.running.set(workshopId, run);
  }

  private async check(workshopId: string): Promise<void> {
    const now = this.deps.clock();
    const views = await this.deps.viewsOf(workshopId, now);
    if (views === null) {
      this.memory.delete(workshopId);
      return;
    }
    const ws = this.deps.workshops.find((w) => w.id === workshopId);
    const turnSoonMinutes = ws?.turnSoonMinutes ?? DEFAULT_TURN_SOON_MINUTES;
    const { notices, memory } = detectJobNotices(this.memory.get(workshopId) ?? new Map(), views, now, { turnSoonMinutes });
    this.memory.set(workshopId, memory);
    for (const notice of notices) await this.send(workshopId, notice, now);
  }

  private async send(workshopId: string, notice: JobNotice, now: number): Promise<void> {
    const endpoints = (this.deps.endpoints.get(workshopId) ?? []).filter((e) => e.events.has(notice.type));
    if (endpoints.length === 0) return;
    const id = messageId(workshopId, notice.key);
    if (!(await this.deps.claims.claim(workshopId, id))) {
      this.deps.logger.debug({ workshopId, webhook: notice.type, id }, 'webhook already claimed (another hub sends it)');
      return;
    }
    for (const endpoint of endpoints) {
      const link = endpoint.includeCustomerLink ? (this.deps.linkOf?.(workshopId, notice.jobId) ?? null) : null;
      const payload: JobNotification = {
        type: notice.type,
        timestamp: new Date(now).toISOString(),
        data: { workshopId, jobId: notice.jobId, customerUrl: link, view: notice.view },
      };
      this.deps.delivery.send(endpoint, { id, type: notice.type, body: JSON.stringify(payload) });
    }
  }
}
