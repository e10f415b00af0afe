import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The webhooks' Prometheus metrics, in the hub's registry (server/metrics.ts). Labels stay
 * bounded: `event` is one of the event types the code sends (shared/webhooks.ts), `outcome` one
 * of six words; no endpoint, workshop or job label (a chain's thousand workshops would make
 * thousands of series; the log names the endpoint's host).
 */
export interface WebhookMetrics {
  /** One per attempt's outcome, and per message dropped because its endpoint's queue was full. */
  readonly deliveries: Counter<'event' | 'outcome'>;
}

export const DELIVERY_OUTCOMES = ['delivered', 'retrying', 'refused', 'expired', 'queue_full', 'unsent_at_stop'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export function webhookMetrics(registry: Registry, queueDepth: () => number): WebhookMetrics {
  new Gauge({
    name: 'pitwall_webhook_queue_depth',
    help: 'Webhook messages waiting or in flight, all endpoints of this hub together',
    registers: [registry],
    collect() {
      this.set(queueDepth());
    },
  });
  return {
    deliveries: new Counter({
      name: 'pitwall_webhook_deliveries_total',
      help: 'Webhook attempts by event type and outcome (delivered, retrying, refused, expired, queue_full, unsent_at_stop)',
      labelNames: ['event', 'outcome'] as const,
      registers: [registry],
    }),
  };
}
