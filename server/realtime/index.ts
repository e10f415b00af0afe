import type { Logger } from 'pino';
import type { Principal } from '../workshops/principal.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { TokenBudget } from '../limits/token-budget.js';
import type { HubMetrics } from '../metrics.js';
import { forwardAlerts } from './alerts.js';
import { authenticateSockets } from './auth.js';
import { Broadcaster } from './broadcaster.js';
import { registerHandlers } from './handlers.js';
import type { HubServer } from './io.js';

export interface RealtimeDeps {
  service: WorkshopService;
  authenticate: (token: string) => Principal | undefined;
  metrics: HubMetrics;
  logger: Logger;
  clock: () => number;
  /** The tokens' budget, shared with the HTTP door. */
  budget: TokenBudget;
  /** Tests and benchmarks tune the broadcaster; unset fields keep the defaults. */
  tuning?: { heartbeatMs?: number | undefined; coalesceMs?: number | undefined; maxBufferedBytes?: number | undefined };
}

/** Wires the Socket.IO side of the hub: handshake auth, message handlers, broadcasts, the socket gauge. */
export function attachRealtime(io: HubServer, deps: RealtimeDeps): { close(): void } {
  const { service, metrics, logger, clock } = deps;
  authenticateSockets(io, deps.authenticate);
  const t = deps.tuning ?? {};
  const broadcaster = new Broadcaster({
    io,
    service,
    clock,
    metrics,
    logger,
    ...(t.heartbeatMs !== undefined && { heartbeatMs: t.heartbeatMs }),
    ...(t.coalesceMs !== undefined && { coalesceMs: t.coalesceMs }),
    ...(t.maxBufferedBytes !== undefined && { maxBufferedBytes: t.maxBufferedBytes }),
  });
  forwardAlerts(io, service);

  io.on('connection', (socket) => {
    metrics.connectedSockets.inc();
    socket.on('disconnect', () => metrics.connectedSockets.dec());
    registerHandlers(socket, { service, clock, logger, budget: deps.budget, onSubscribed: (id) => broadcaster.watch(id) });
  });

  return { close: () => broadcaster.close() };
}
