import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { EndpointQueue, type AttemptReport, type QueueSettings } from './endpoint-queue.js';
import type { WebhookMessage, WebhookTarget } from './post-webhook.js';
import { webhookMetrics, type WebhookMetrics } from './webhook-metrics.js';

/**
 * Signed webhooks to any endpoint, for any event type: a queue per endpoint (endpoint-queue.ts),
 * every attempt logged and counted. Knows nothing of jobs or workshops' states; the job
 * notifier (job-notifier.ts) and, next, the alerts hand it messages. `send` returns at once:
 * whoever calls it (after an ingest, on a tick) never waits for a receiver.
 */

/** Defaults of docs/operations.md, "Webhooks"; env.ts reads the overrides. */
export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  cap: 1000,
  timeoutMs: 10_000,
  retryForMs: 60 * 60_000,
  backoffBaseMs: 5_000,
  backoffMaxMs: 10 * 60_000,
};

export interface Endpoint extends WebhookTarget {
  /** Identifies the endpoint across calls (e.g. `sh-01#0`); one queue each. */
  id: string;
}

export class WebhookDelivery {
  private readonly queues = new Map<string, EndpointQueue>();
  private readonly metrics: WebhookMetrics;

  constructor(
    private readonly settings: QueueSettings,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.metrics = webhookMetrics(registry, () => this.depth());
  }

  /** Queues the message for the endpoint; false (logged, counted) when its queue is full. */
  send(endpoint: Endpoint, message: WebhookMessage): boolean {
    let queue = this.queues.get(endpoint.id);
    if (!queue) {
      queue = new EndpointQueue(endpoint, this.settings, (r) => this.reported(endpoint, r));
      this.queues.set(endpoint.id, queue);
    }
    if (queue.push(message)) return true;
    this.metrics.deliveries.inc({ event: message.type, outcome: 'queue_full' });
    this.logger.warn({ webhook: message.type, host: hostOf(endpoint.url), id: message.id, queued: queue.depth }, 'webhook dropped: the endpoint\'s queue is full (the receiver is down or slow)');
    return false;
  }

  /** Messages waiting or in flight, all endpoints together. */
  depth(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.depth;
    return n;
  }

  close(): void {
    for (const q of this.queues.values()) {
      if (q.depth > 0) {
        this.metrics.deliveries.inc({ event: 'any', outcome: 'unsent_at_stop' }, q.depth);
        this.logger.warn({ unsent: q.depth }, 'webhooks still queued at stop are dropped');
      }
      q.close();
    }
    this.queues.clear();
  }

  /** One attempt: logged (type, host, status, attempt; never the secret or the body) and counted. */
  private reported(endpoint: Endpoint, r: AttemptReport): void {
    this.metrics.deliveries.inc({ event: r.message.type, outcome: r.outcome });
    const status = r.result && 'status' in r.result ? r.result.status : null;
    const error = r.result && 'error' in r.result ? r.result.error : undefined;
    const fields = { webhook: r.message.type, host: hostOf(endpoint.url), id: r.message.id, attempt: r.attempt, status, ...(error && { error }), ms: r.ms, outcome: r.outcome };
    if (r.outcome === 'delivered') this.logger.info(fields, 'webhook delivered');
    else if (r.outcome === 'retrying') this.logger.info(fields, 'webhook attempt failed; retrying later');
    else this.logger.warn(fields, r.outcome === 'expired' ? 'webhook dropped: not delivered within the retry period' : 'webhook dropped: the receiver refused it');
  }
}

/** The host alone: a URL's path or query may hold a key (a WeCom bot's URL does). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
}
