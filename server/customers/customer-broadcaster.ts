import type { Logger } from 'pino';
import type { CustomerJobView } from '../../shared/customer-view.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { CapabilityTarget } from './capability.js';
import { customerRoomOf, targetOfRoom, type CustomerNamespace } from './customer-socket.js';

/**
 * Keeps every open customer page's view fresh: after a change of its workshop (at the next
 * tick, so a batch makes one send) when it differs from the last one sent, `asOf` aside; and
 * every CUSTOMER_HEARTBEAT_MS whatever it is (the ranges move with the clock, the page shows
 * when it last heard, and a link expires by time alone). An expired link gets `closed` and its sockets are disconnected.
 * Each hub serves its own sockets (`local`), as the boards' broadcaster does.
 */

/** The heartbeat: a page's "updated hh:mm" never ages more than a minute while the hub runs. */
export const CUSTOMER_HEARTBEAT_MS = 60_000;
/** At most one schedule per workshop per this long after changes: well inside the page's "within a second". */
export const CUSTOMER_COALESCE_MS = 250;

export interface CustomerBroadcasterDeps {
  nsp: CustomerNamespace;
  service: WorkshopService;
  clock: () => number;
  logger: Logger;
  heartbeatMs?: number;
}

export class CustomerBroadcaster {
  /** Room → the last view sent, `asOf` aside (JSON); one per room with sockets on this hub. */
  private readonly lastSent = new Map<string, string>();
  private readonly pending = new Set<string>();
  /** performance.now() of each workshop's last send after a change (pacing uses real time, not the hub's clock). */
  private readonly lastSendAt = new Map<string, number>();
  /**
   * Workshop → its job rooms with sockets on this hub, kept from the adapter's own create/delete
   * events: a change of a workshop no page follows (every ingest) costs a map lookup, not a walk
   * over every customer page of the hub.
   */
  private readonly roomsByWorkshop = new Map<string, Map<string, CapabilityTarget>>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly deps: CustomerBroadcasterDeps) {
    deps.nsp.adapter.on('create-room', (room: string) => this.roomCreated(room));
    deps.nsp.adapter.on('delete-room', (room: string) => this.roomDeleted(room));
    deps.service.onChange((workshopId) => this.changed(workshopId));
    // The heartbeat sends even an unchanged view: its `asOf` is the page's "updated hh:mm".
    this.heartbeat = setInterval(() => {
      for (const ws of this.roomsByWorkshop.keys()) this.send(ws, true).catch((err: unknown) => this.deps.logger.warn({ err, workshopId: ws }, 'could not compute customer views to send'));
    }, deps.heartbeatMs ?? CUSTOMER_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** A page joined: what it was sent on joining is the room's last view. */
  joined(t: CapabilityTarget, view: CustomerJobView): void {
    this.lastSent.set(customerRoomOf(t), withoutAsOf(view));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
  }

  /**
   * At the next tick, or at the end of CUSTOMER_COALESCE_MS after the last send: a burst of
   * changes costs a workshop's pages one schedule per window, as the boards' broadcaster does.
   */
  private changed(workshopId: string): void {
    if (this.closed || this.pending.has(workshopId) || !this.roomsByWorkshop.has(workshopId)) return;
    this.pending.add(workshopId);
    const wait = Math.max(0, (this.lastSendAt.get(workshopId) ?? -Infinity) + CUSTOMER_COALESCE_MS - performance.now());
    const fire = () => {
      this.pending.delete(workshopId);
      this.lastSendAt.set(workshopId, performance.now());
      this.send(workshopId).catch((err: unknown) => this.deps.logger.warn({ err, workshopId }, 'could not compute customer views to send'));
    };
    if (wait === 0) setImmediate(fire);
    else setTimeout(fire, wait).unref();
  }

  private async send(workshopId: string, always = false): Promise<void> {
    const now = this.deps.clock();
    const rooms = [...(this.roomsByWorkshop.get(workshopId) ?? [])];
    // One schedule for the workshop; a delivered or cancelled car is asked for alone (its link may have expired).
    const views = (await this.deps.service.customerViews(workshopId, now)) ?? new Map<string, CustomerJobView>();
    for (const [room, t] of rooms) {
      const view = views.get(t.jobId) ?? (await this.deps.service.customerView(workshopId, t.jobId, now));
      if (this.closed) return;
      if (view === null) {
        this.deps.nsp.local.to(room).emit('closed');
        this.deps.nsp.local.in(room).disconnectSockets(true);
        this.lastSent.delete(room);
        continue;
      }
      const key = withoutAsOf(view);
      if (!always && this.lastSent.get(room) === key) continue;
      this.lastSent.set(room, key);
      this.deps.nsp.local.to(room).emit('view', view);
    }
  }

  private roomCreated(room: string): void {
    const t = targetOfRoom(room);
    if (t === null) return;
    let rooms = this.roomsByWorkshop.get(t.workshopId);
    if (!rooms) this.roomsByWorkshop.set(t.workshopId, (rooms = new Map()));
    rooms.set(room, t);
  }

  /** Its last page left: what it was sent is forgotten, and the workshop's pacing with its last room (bounded like the rooms). */
  private roomDeleted(room: string): void {
    const t = targetOfRoom(room);
    if (t === null) return;
    this.lastSent.delete(room);
    const rooms = this.roomsByWorkshop.get(t.workshopId);
    rooms?.delete(room);
    if (rooms?.size === 0) {
      this.roomsByWorkshop.delete(t.workshopId);
      this.lastSendAt.delete(t.workshopId);
    }
  }
}

function withoutAsOf(view: CustomerJobView): string {
  return JSON.stringify({ ...view, asOf: undefined });
}
