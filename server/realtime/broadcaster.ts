import type { Logger } from 'pino';
import type { IngestReport, WorkshopService } from '../workshops/workshop-service.js';
import type { HubMetrics } from '../metrics.js';
import { roomOf, type HubServer } from './io.js';

/** docs/api.md: at most one snapshot per 250 ms per workshop… */
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
  maxBufferedBytes?: number;
}

/** About 300 snapshots of a mid-size workshop: far beyond a slow link, well within memory. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** What the hub holds for one connection: engine.io's packet queue plus the WebSocket's unsent bytes. */
/** The parts of engine.io's connection we read; `writeBuffer` is not in its public types. */
interface EngineConnection {
  writeBuffer?: unknown[];
  transport?: unknown;
}

function bufferedBytes(conn: EngineConnection): number {
  const queued = Array.isArray(conn.writeBuffer) ? conn.writeBuffer.length * 4096 : 0;
  const ws = (conn.transport as { socket?: { bufferedAmount?: number } } | undefined)?.socket;
  return queued + (typeof ws?.bufferedAmount === 'number' ? ws.bufferedAmount : 0);
}

interface Schedule {
  /** performance.now() of the last send to the room (pacing uses real time, not the hub's clock, which tests pin). */
  lastSentAt: number;
  /** A send already due (the end of the window, or the next tick): further changes ride on it. */
  pending: (() => void) | null;
  heartbeat: NodeJS.Timeout | null;
  /** The seq of the last snapshot sent: an older one is never sent after it. */
  lastSeq: number;
  /** performance.now() at which the oldest events post not yet shown to the room reached the hub (pitwall_post_to_board_seconds). */
  postedAt: number | null;
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
  private readonly maxBufferedBytes: number;
  private closed = false;

  constructor(private readonly deps: BroadcasterDeps) {
    this.coalesceMs = deps.coalesceMs ?? COALESCE_MS;
    this.heartbeatMs = deps.heartbeatMs ?? HEARTBEAT_MS;
    this.maxBufferedBytes = deps.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    deps.service.onChange((workshopId) => this.changed(workshopId));
    deps.service.onIngested((report) => this.posted(report));
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

  /** An events post that changed the board of a watched room: its snapshot's send is timed. */
  private posted(report: IngestReport): void {
    if (this.closed || !report.outcomes.some((o) => o.status === 'accepted') || this.roomSize(report.workshopId) === 0) return;
    const s = this.schedule(report.workshopId);
    s.postedAt ??= performance.now() - report.durationMs;
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
      if (this.roomSize(workshopId) > 0) void this.beat(workshopId, s);
    }, this.heartbeatMs);
    // A forgotten hub in a test must not keep the process alive.
    s.heartbeat.unref();
  }

  /**
   * The heartbeat first asks the store whether another hub moved the log (a missed nudge).
   * When the store cannot be reached it sends nothing: the boards' data ages visibly instead
   * of being refreshed with figures that may be behind.
   */
  private async beat(workshopId: string, s: Schedule): Promise<void> {
    if (await this.deps.service.refresh(workshopId)) await this.send(workshopId, s);
    else this.armHeartbeat(workshopId, s);
  }

  /**
   * Socket.IO has no back-pressure: a board that stops reading (a frozen TV, a dead Wi-Fi
   * link not yet timed out) grows this hub's buffers without bound. Past the cap it is
   * disconnected; it reconnects and re-subscribes once it reads again.
   */
  private dropBackedUp(workshopId: string): void {
    const nsp = this.deps.io.of('/');
    const ids = nsp.adapter.rooms.get(roomOf(workshopId));
    if (!ids) return;
    for (const id of ids) {
      const socket = nsp.sockets.get(id);
      if (socket && bufferedBytes(socket.conn as unknown as EngineConnection) > this.maxBufferedBytes) {
        this.deps.logger.warn({ socketId: id, workshopId }, 'board socket not reading: disconnected');
        this.deps.metrics.slowSocketsDropped.inc();
        socket.disconnect(true);
      }
    }
  }

  private async send(workshopId: string, s: Schedule): Promise<void> {
    if (this.closed) return;
    s.lastSentAt = performance.now();
    this.armHeartbeat(workshopId, s);
    const postedAt = s.postedAt;
    s.postedAt = null;
    try {
      const snapshot = await this.deps.service.liveSnapshot(workshopId, this.deps.clock());
      const receivers = this.roomSize(workshopId);
      if (this.closed || receivers === 0 || snapshot.seq < s.lastSeq) return;
      s.lastSeq = snapshot.seq;
      this.dropBackedUp(workshopId);
      // Local: other hubs serve their own sockets from their own projections (cluster.ts).
      this.deps.io.local.to(roomOf(workshopId)).emit('snapshot', snapshot);
      this.deps.metrics.snapshotsSent.inc(this.roomSize(workshopId));
      if (postedAt !== null) this.deps.metrics.postToBoard.observe((performance.now() - postedAt) / 1000);
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
      s = { lastSentAt: -Infinity, pending: null, heartbeat: null, lastSeq: 0, postedAt: null };
      this.schedules.set(workshopId, s);
    }
    return s;
  }
}
