import type { Logger } from 'pino';
import type { ActiveAlert, AlertMessage } from '../../shared/snapshot.js';
import type { AlertNotification, AlertWebhookEvent } from '../../shared/webhooks.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { AcknowledgedAlert } from '../workshops/workshop-service.js';
import type { NoticeClaims } from './claims.js';
import type { WebhookDelivery } from './delivery.js';
import type { ResolvedEndpoint } from './endpoints.js';
import { maskPlate } from '../engine/customer-view.js';
import { messageId } from './job-notifier.js';

/**
 * Red alerts out (docs/api.md, "Alert events"): `alert.raised` when a light turns red,
 * `alert.acknowledged` when a lead acknowledges a red one, to the workshop's endpoints that ask
 * for them, through the same claims and delivery as the job notifications. Yellow stays on the
 * board: a message to a group chat is for what needs someone now.
 */

/**
 * Every hub with the workshop open judges its lights on its own tick, so two hubs raise the same
 * red light a few seconds apart (each at its own `now`). A raise claims the slot of its time and
 * the next one, stopping at the first taken: two raises less than one slot apart share a slot,
 * and only the first to claim it sends. The same hub raises a light again only after it has
 * recovered for 3 minutes (engine/alerts.ts, RECOVERY_HOLD_MS), two slots or more later, so a
 * new episode is never taken for a repeat.
 */
export const RAISE_SLOT_MS = 90_000;

export interface AlertNotifierDeps {
  workshops: readonly WorkshopConfig[];
  endpoints: ReadonlyMap<string, readonly ResolvedEndpoint[]>;
  claims: NoticeClaims;
  delivery: WebhookDelivery;
  clock: () => number;
  logger: Logger;
}

export class AlertNotifier {
  constructor(private readonly deps: AlertNotifierDeps) {}

  /** A light moved (the tracker's anti-flap rule applied): sends it when it has just turned red. */
  moved(alert: AlertMessage): void {
    if (alert.light !== 'red' || alert.previous === 'red') return;
    const slot = Math.floor(Date.parse(alert.at) / RAISE_SLOT_MS);
    const key = (s: number) => `alert.raised:${alert.metric}:${s}`;
    const active: ActiveAlert = { metric: alert.metric, light: alert.light, message: alert.message, since: alert.at, acknowledgedAt: null };
    this.run(alert.workshopId, 'alert.raised', active, [key(slot), key(slot + 1)]);
  }

  /** A lead acknowledged an alert on this hub (another hub's acknowledgement is sent there). */
  acknowledged({ workshopId, alert }: AcknowledgedAlert): void {
    if (alert.light !== 'red') return;
    // The first acknowledgement's time: a second click on the same alert makes the same id, and is claimed already.
    this.run(workshopId, 'alert.acknowledged', alert, [`alert.acknowledged:${alert.metric}:${alert.acknowledgedAt}`]);
  }

  private run(workshopId: string, type: AlertWebhookEvent, alert: ActiveAlert, keys: string[]): void {
    const endpoints = (this.deps.endpoints.get(workshopId) ?? []).filter((e) => e.events.has(type));
    if (endpoints.length === 0) return;
    this.send(workshopId, type, alert, keys, endpoints).catch((err: unknown) => this.deps.logger.warn({ err, workshopId, webhook: type }, 'alert webhook: could not claim or queue it'));
  }

  private async send(workshopId: string, type: AlertWebhookEvent, alert: ActiveAlert, keys: string[], endpoints: readonly ResolvedEndpoint[]): Promise<void> {
    const ids = keys.map((k) => messageId(workshopId, k));
    // In order, stopping at the first taken: claiming on past a taken slot could take the next one from the hub that holds it.
    for (const id of ids) {
      if (!(await this.deps.claims.claim(workshopId, id))) {
        this.deps.logger.debug({ workshopId, webhook: type, id }, 'webhook already claimed (another hub sends it)');
        return;
      }
    }
    const payload: AlertNotification = {
      type,
      timestamp: new Date(this.deps.clock()).toISOString(),
      data: {
        workshopId,
        workshopName: this.deps.workshops.find((w) => w.id === workshopId)?.name ?? workshopId,
        ...alert,
        message: withPlateMasked(alert.metric, alert.message),
      },
    };
    const body = JSON.stringify(payload);
    for (const endpoint of endpoints) this.deps.delivery.send(endpoint, { id: ids[0]!, type, body });
  }
}

/**
 * A bay's alert text names the car on it (engine/alerts.ts: `Bay B1 (沪A12345, 50 of 30 min) …`),
 * as the floor's TV shows it. A webhook leaves the shop, often for a chat service's cloud: the
 * plate goes masked as on the customer's page (engine/customer-view.ts, `maskPlate`).
 */
export function withPlateMasked(metric: string, message: string): string {
  if (!metric.startsWith('bay:')) return message;
  const prefix = `Bay ${metric.slice(4)} (`;
  if (!message.startsWith(prefix)) return message;
  const end = message.indexOf(', ', prefix.length);
  if (end < 0) return message;
  const plate = [...message.slice(prefix.length, end)];
  const masked = maskPlate(plate.join(''));
  return `${prefix}${masked}${message.slice(end)}`;
}
