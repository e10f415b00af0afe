import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PitwallConfig } from '../config/config-file.js';
import type { RedisClient } from '../store/redis/redis-client.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { MemoryClaims, RedisClaims } from './claims.js';
import { DEFAULT_QUEUE_SETTINGS, WebhookDelivery } from './delivery.js';
import type { QueueSettings } from './endpoint-queue.js';
import { resolveEndpoints } from './endpoints.js';
import { JobNotifier, type CustomerLinkOf, type CustomerViewsOf } from './job-notifier.js';
import { AlertNotifier } from './alert-notifier.js';

export type { CustomerLinkOf, CustomerViewsOf } from './job-notifier.js';

/** What the hub gives its notifications (server/hub.ts, HubDeps). */
export interface NotifyOptions {
  /** The customers' views of a workshop's open jobs; unset: no job notifications (the delivery still runs for other kinds). */
  customerViewsOf?: CustomerViewsOf;
  customerLinkOf?: CustomerLinkOf;
  /** Where the endpoints' `secretEnv` variables are read (server/main.ts passes process.env; default: none). */
  webhookEnv?: Readonly<Record<string, string | undefined>>;
  /** The config file's name, for its errors. */
  configSource?: string;
  /** Queue cap, timeout, retry period, backoff (docs/operations.md, "Webhooks"). */
  webhookQueue?: Partial<QueueSettings>;
  /** Tests shorten the notifier's periodic look and its settle delay. */
  notifyCheckEveryMs?: number;
  notifySettleMs?: number;
}

export interface Notifications {
  delivery: WebhookDelivery;
  /** Every change of the workshops marks the workshop for a look; alerts and acknowledgements go straight out. */
  watch(service: Pick<WorkshopService, 'onChange' | 'onAlert' | 'onAcknowledged'>): void;
  close(): void;
}

/**
 * Wires the delivery and the job notifier to the workshops: every change marks the workshop
 * (the look runs later, off the events path). Claims in Redis when hubs share one (`redis`,
 * the budget's connection: fails fast), in memory otherwise. Throws ConfigError for a missing
 * or malformed `secretEnv` variable, so a hub never starts with an endpoint it cannot sign for.
 */
export function startNotifications(
  opts: NotifyOptions & { config: PitwallConfig; registry: Registry; logger: Logger; clock: () => number; redis?: RedisClient },
): Notifications {
  const endpoints = resolveEndpoints(opts.config.workshops, opts.webhookEnv ?? {}, opts.configSource);
  const delivery = new WebhookDelivery({ ...DEFAULT_QUEUE_SETTINGS, ...opts.webhookQueue }, opts.logger, opts.registry);
  const claims = opts.redis ? new RedisClaims(opts.redis, (err) => opts.logger.warn({ err: err.message }, 'webhook claim: Redis did not answer; this hub decides alone')) : new MemoryClaims();
  const viewsOf = opts.customerViewsOf;
  const notifier =
    viewsOf && endpoints.size > 0
      ? new JobNotifier({
          workshops: opts.config.workshops,
          endpoints,
          viewsOf,
          ...(opts.customerLinkOf && { linkOf: opts.customerLinkOf }),
          claims,
          delivery,
          clock: opts.clock,
          logger: opts.logger,
          ...(opts.notifyCheckEveryMs !== undefined && { checkEveryMs: opts.notifyCheckEveryMs }),
          ...(opts.notifySettleMs !== undefined && { settleMs: opts.notifySettleMs }),
        })
      : undefined;
  const alerts = endpoints.size > 0 ? new AlertNotifier({ workshops: opts.config.workshops, endpoints, claims, delivery, clock: opts.clock, logger: opts.logger }) : undefined;
  return {
    delivery,
    watch(service) {
      if (notifier) service.onChange((id) => notifier.changed(id));
      if (alerts) {
        service.onAlert((alert) => alerts.moved(alert));
        service.onAcknowledged((ack) => alerts.acknowledged(ack));
      }
    },
    close() {
      notifier?.close();
      delivery.close();
    },
  };
}
