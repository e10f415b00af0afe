import type { WorkshopService } from '../workshops/workshop-service.js';
import { roomOf, type HubServer } from './io.js';

/**
 * A light got worse or recovered (the service applies the anti-flap rule): tell the
 * workshop's room at once, without waiting for the next snapshot, so a board can flash it.
 */
export function forwardAlerts(io: HubServer, service: WorkshopService): void {
  service.onAlert((alert) => {
    io.local.to(roomOf(alert.workshopId)).emit('alert', alert);
  });
}
