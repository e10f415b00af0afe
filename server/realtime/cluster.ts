import type { Logger } from 'pino';
import { clusterMessage } from '../../shared/socket.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { HubServer } from './io.js';

/**
 * Several hubs on one Redis (docs/operations.md, "Topologies"). Writes already serialise in
 * the store; what the hubs still need from each other is a nudge: "workshop X's log moved to
 * seq N", "a lead acknowledged this alert", "that terminal is alive". Those travel as
 * `serverSideEmit` through the Socket.IO Redis adapter (its sharded form on a Redis Cluster,
 * redis-adapter.ts); every hub then serves its *own*
 * sockets from its *own* projection (broadcasts are `io.local`), so a hub that is behind can
 * never push an older board to a socket of another hub.
 *
 * The adapter is pub/sub and stores nothing: a nudge sent while Redis is away (or while a
 * cluster moves the channel to a promoted replica) is lost. The
 * broadcaster's heartbeat therefore asks the store itself every 15 s (service.refresh), which
 * bounds how long a missed nudge can leave a board behind.
 */
export function linkHubs(io: HubServer, service: WorkshopService, logger: Logger): void {
  service.onShared((message) => {
    try {
      io.serverSideEmit('pitwall:sync', message);
    } catch (err) {
      logger.warn({ err, kind: message.kind }, 'could not tell the other hubs (they catch up at their next heartbeat)');
    }
  });
  io.on('pitwall:sync', (raw: unknown) => {
    const message = clusterMessage.safeParse(raw);
    if (!message.success) {
      // The fields at fault, not the message: it may be of any size.
      logger.warn({ fields: message.error.issues.slice(0, 5).map((i) => i.path.join('.')) }, 'ignored a malformed message from another hub');
      return;
    }
    service.applyShared(message.data);
  });
}
