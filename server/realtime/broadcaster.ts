import type { Logger } from 'pino';
import type { WorkshopService } from '../ingest/workshop-service.js';
import type { HubMetrics } from '../metrics.js';
import { roomOf, type HubServer } from './io.js';

/** CONTRACT.md: at most one snapshot per 250 ms per workshop… */
export const COALESCE_MS = 250;
/** …and at least one every 15 s, which is also what moves time-driven figures (waits, elapsed bay minutes). */
export const HEARTBEAT_MS = 15_000;

export interface BroadcasterDeps {
  io: HubServer;
  service: WorkshopService;
  /** The hub's clock: the `now` of every snapshot (tests pin it). */
  clock: () => number;
  metrics: HubMetrics;
  logger: Logger;
  coalesceMs?: number;
  heartbeatMs?: number;
}

interface Schedule {
  /** performance.now() of the last send to the room (pacing uses real time, not the hub's clock, which tests pin). */
  lastSentAt: number;
  /** A send already due (the end of the window, or the next tick): further changes ride on it. */
  pending: (() => void) | null;
  heartbeat: NodeJS.Timeout | null;
  /** The seq of the last snapshot sent: an older one is never sent after it. */
  lastSeq: number;
}

/**
 * Pushes a workshop's board to its room: after a change at once if the room got nothing in the
 * last window, otherwise once at the end of the window, so a burst of 100 events costs a
 * board one or two renders; and a heartbeat while the room has sockets. Each send computes and
 * serialises the snapshot once for the whole room.
 */
export class Broadcaster {
  private readonly schedules = new Map<string, Schedule>();
  private readonly coalesceMs: number;
  private readonly heartbeatMs: number;
  private closed = false;

  constructor(private readonly deps: BroadcasterDeps) {
    this.coalesceMs = deps.coalesceMs ?? COALESCE_MS;
    this.heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
    deps.service.onChange((workshopId) => this.changed(workshopId));
  }

  /** A socket joined the workshop's room: make sure its heartbeat runs. */
  watch(workshopId: string): void {
    if (this.closed) return;
    const s = this.schedule(workshopId);
    if (s.heartbeat === null) this.armHeartbeat(workshopId, s);
  }

  close(): void {
    this.closed = true;
    for (const s of this.schedules.values()) {
      s.pending?.();
      if (s.heartbeat) clearTimeout(s.heartbeat);
    }
    this.schedules.clear();
  }

  private changed(workshopId: string): void {
    // Nobody watching: the next subscriber gets a fresh board in its ack anyway.
    if (this.closed || this.roomSize(workshopId) === 0) return;
    const s = this.schedule(workshopId);
    if (s.pending) return;
    const wait = s.lastSentAt + this.coalesceMs - performance.now();
    if (wait <= 0) {
      // Next tick rather than now: onChange fires inside the ingest path, and events applied in
      // the same tick (catch-up, several requests) still make one snapshot.
      const handle = setImmediate(() => this.fire(workshopId, s));
      s.pending = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(() => this.fire(workshopId, s), wait);
      s.pending = () => clearTimeout(handle);
    }
  }

  private fire(workshopId: string, s: Schedule): void {
    s.pending = null;
    void this.send(workshopId, s);
  }

  private armHeartbeat(workshopId: string, s: Schedule): void {
    if (s.heartbeat) clearTimeout(s.heartbeat);
    s.heartbeat = setTimeout(() => {
      s.heartbeat = null;
      // An empty room lets its heartbeat lapse; the next subscribe re-arms it.
      if (this.roomSize(workshopId) > 0) void this.send(workshopId, s);
    }, this.heartbeatMs);
    // A forgotten hub in a test must not keep the process alive.
    s.heartbeat.unref();
  }

  private async send(workshopId: string, s: Schedule): Promise<void> {
    if (this.closed) return;
    s.lastSentAt = performance.now();
    this.armHeartbeat(workshopId, s);
    try {
      const snapshot = await this.deps.service.liveSnapshot(workshopId, this.deps.clock());
      const receivers = this.roomSize(workshopId);
      if (this.closed || receivers === 0 || snapshot.seq < s.lastSeq) return;
      s.lastSeq = snapshot.seq;
      this.deps.io.to(roomOf(workshopId)).emit('snapshot', snapshot);
      this.deps.metrics.snapshotsSent.inc(receivers);
    } catch (err) {
      // The boards keep their last snapshot and show its age; the heartbeat tries again.
      this.deps.logger.warn({ err, workshopId }, 'could not compute a board snapshot to broadcast');
    }
  }

  /** Sockets of this hub in the workshop's room. */
  private roomSize(workshopId: string): number {
    return this.deps.io.of('/').adapter.rooms.get(roomOf(workshopId))?.size ?? 0;
  }

  private schedule(workshopId: string): Schedule {
    let s = this.schedules.get(workshopId);
    if (!s) {
      s = { lastSentAt: -Infinity, pending: null, heartbeat: null, lastSeq: 0 };
      this.schedules.set(workshopId, s);
    }
    return s;
  }
}
