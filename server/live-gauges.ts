import { Gauge, type Registry } from 'prom-client';
import { severity } from '../shared/lights.js';
import { ALERTED_FIGURES, figureOf, type AlertedFigure } from './engine/alerts.js';
import { withTimeout } from './http/routes/health.js';
import { roomOf, type HubServer } from './realtime/io.js';
import type { EventStore } from './store/event-store.js';
import type { OpenAlerts, WorkshopService } from './workshops/workshop-service.js';

/**
 * The gauges read when Prometheus scrapes (docs/operations.md, "Monitoring"): the store's
 * health, and per workshop open on this hub its lights and its watching sockets.
 *
 * Label cardinality stays bounded: `workshop` takes only ids from the config file, of workshops
 * open on this hub (it opens them on demand), at most MAX_WORKSHOPS_EXPORTED of them; `figure`
 * is one of ALERTED_FIGURES (seven). A workshop not open here has no series on this hub: its
 * alerts are judged only where it is open, so a scraper reads "absent", not "green".
 */

/** Workshops exported per hub (config order): 200 × (7 lights + 1 watchers) series at most. */
export const MAX_WORKSHOPS_EXPORTED = 200;
/** A scrape waits this long for the store's ping, as /healthz does; no answer is "down". */
export const STORE_PING_TIMEOUT_MS = 1500;

export interface LiveGaugeDeps {
  registry: Registry;
  store: EventStore;
  service: WorkshopService;
  io: HubServer;
}

export function registerLiveGauges({ registry, store, service, io }: LiveGaugeDeps): void {
  new Gauge({
    name: 'pitwall_store_up',
    help: 'Whether the event store answered a ping at this scrape (1) or not within 1.5 s (0)',
    registers: [registry],
    async collect() {
      this.set(await withTimeout(store.ping(), STORE_PING_TIMEOUT_MS).then(() => 1, () => 0));
    },
  });
  new Gauge({
    name: 'pitwall_workshops_open',
    help: 'Workshops open on this hub (opened on demand, closed when idle)',
    registers: [registry],
    collect() {
      this.set(service.openAlerts().length);
    },
  });
  new Gauge({
    name: 'pitwall_workshop_light',
    help: 'A workshop\'s worst active light per figure, as its board\'s alerts show it: 0 green or no data, 1 yellow, 2 red (open workshops only)',
    labelNames: ['workshop', 'figure'] as const,
    registers: [registry],
    collect() {
      // Reset first: a workshop that closed since the last scrape leaves no stale series.
      this.reset();
      for (const { workshopId, alerts } of exported(service)) {
        const worst = new Map<AlertedFigure, number>(ALERTED_FIGURES.map((f) => [f, 0]));
        for (const a of alerts) {
          const figure = figureOf(a.metric);
          if (figure !== null) worst.set(figure, Math.max(worst.get(figure)!, severity(a.light)));
        }
        for (const [figure, value] of worst) this.set({ workshop: workshopId, figure }, value);
      }
    },
  });
  new Gauge({
    name: 'pitwall_workshop_watchers',
    help: 'Sockets of this hub subscribed to a workshop\'s board (boards, lead pages), per open workshop',
    labelNames: ['workshop'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const rooms = io.of('/').adapter.rooms;
      for (const { workshopId } of exported(service)) this.set({ workshop: workshopId }, rooms.get(roomOf(workshopId))?.size ?? 0);
    },
  });
}

function exported(service: WorkshopService): OpenAlerts[] {
  return exportedWorkshops(service.workshopIds, service.openAlerts());
}

/**
 * The open workshops a scrape exports: in config order, at most `max`, so the series follow
 * the config file rather than the order in which workshops happened to open.
 */
export function exportedWorkshops(configOrder: readonly string[], open: readonly OpenAlerts[], max = MAX_WORKSHOPS_EXPORTED): OpenAlerts[] {
  const byId = new Map(open.map((o) => [o.workshopId, o]));
  return configOrder.flatMap((id) => byId.get(id) ?? []).slice(0, max);
}
