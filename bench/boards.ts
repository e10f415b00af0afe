import { io, type Socket } from 'socket.io-client';
import type { BoardSnapshot } from '../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../shared/socket.js';
import { serveRequests } from './lib/ipc.js';
import { summarise, wallMs, type Summary } from './lib/util.js';

/**
 * The board sockets, in a process of their own (the poster's event loop stays free): B
 * socket.io-client sockets over the websocket transport, each subscribed to one workshop
 * and re-subscribing after every reconnect, like the TV client (client/src/lib/hub-socket.ts).
 * Every snapshot is recorded as (seq, arrival time), which is all the latency, fan-out and
 * reconnect figures need.
 */

type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Board {
  socket: BoardSocket;
  workshopId: string;
  seqs: number[];
  times: number[];
  subscribed: boolean;
  disconnects: number;
  /** Reconnect storm: set when the hub went away after arming, and when a current board came back. */
  lostAt: number | null;
  backAt: number | null;
  target: number | null;
}

const boards: Board[] = [];
let snapshotsSinceReset = 0;
let resetAt = wallMs();
let lastSnapshot: BoardSnapshot | null = null;
let storming = false;

function record(board: Board, snapshot: BoardSnapshot): void {
  const t = wallMs();
  board.seqs.push(snapshot.seq);
  board.times.push(t);
  snapshotsSinceReset++;
  lastSnapshot = snapshot;
  if (storming && board.lostAt !== null && board.backAt === null && board.target !== null && snapshot.seq >= board.target) board.backAt = t;
}

function subscribe(board: Board): Promise<boolean> {
  return new Promise((resolve) => {
    board.socket.timeout(30_000).emit('subscribe', board.workshopId, (err: Error | null, reply: SubscribeAck) => {
      if (err || !reply.ok) return resolve(false);
      board.subscribed = true;
      record(board, reply.snapshot);
      resolve(true);
    });
  });
}

function openBoard(url: string, token: string, workshopId: string, reconnectDelayMs: number): Promise<{ board: Board; ok: boolean; error?: string }> {
  const socket: BoardSocket = io(url, {
    forceNew: true,
    auth: { token },
    transports: ['websocket'],
    reconnection: true,
    reconnectionAttempts: Infinity,
    // socket.io-client's defaults, as the TV client has them (the smoke run shortens them).
    reconnectionDelay: reconnectDelayMs,
    reconnectionDelayMax: 10 * reconnectDelayMs,
    timeout: 10_000,
  });
  const board: Board = { socket, workshopId, seqs: [], times: [], subscribed: false, disconnects: 0, lostAt: null, backAt: null, target: null };
  boards.push(board);
  socket.on('snapshot', (s) => record(board, s));
  socket.on('disconnect', () => {
    board.subscribed = false;
    board.disconnects++;
    if (storming && board.lostAt === null) board.lostAt = wallMs();
  });
  return new Promise((resolve) => {
    let first = true;
    socket.on('connect_error', (err) => {
      if (first) {
        first = false;
        resolve({ board, ok: false, error: err.message });
      }
    });
    // A new connection has no rooms: subscribe on every connect, the first and each reconnect.
    socket.on('connect', () => {
      void subscribe(board).then((ok) => {
        if (first) {
          first = false;
          resolve({ board, ok });
        }
      });
    });
  });
}

serveRequests({
  /** Opens one board per entry of `workshops`, `concurrency` handshakes at a time. */
  async connect(args: { url: string; token: string; workshops: string[]; concurrency: number; reconnectDelayMs?: number }) {
    const started = wallMs();
    let ready = 0;
    const errors: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < args.workshops.length) {
        const ws = args.workshops[next++]!;
        const r = await openBoard(args.url, args.token, ws, args.reconnectDelayMs ?? 1000);
        if (r.ok) ready++;
        else if (errors.length < 5) errors.push(r.error ?? 'subscribe refused');
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, args.concurrency) }, worker));
    return { ready, failed: args.workshops.length - ready, errors, ms: wallMs() - started };
  },

  /** Forgets what was recorded: a measurement window starts. */
  reset() {
    for (const b of boards) {
      b.seqs = [];
      b.times = [];
      b.disconnects = 0;
    }
    snapshotsSinceReset = 0;
    resetAt = wallMs();
    return { at: resetAt };
  },

  stats() {
    const now = wallMs();
    return {
      snapshots: snapshotsSinceReset,
      seconds: (now - resetAt) / 1000,
      boards: boards.length,
      subscribed: boards.filter((b) => b.subscribed).length,
      disconnects: boards.reduce((s, b) => s + b.disconnects, 0),
    };
  },

  /** A snapshot as boards receive it (the bare Socket.IO baseline sends one of the same size). */
  sample() {
    return lastSnapshot;
  },

  /**
   * Latency of each posted event to each board of its workshop: from the post (`t`) to the
   * first snapshot whose seq includes the event's. `quiet` events are only counted on boards
   * that got nothing from the workshop in the 250 ms before the post (the broadcaster's
   * definition of a quiet workshop, which a heartbeat just before the post is not).
   */
  latency(args: { workshopIds: string[]; ws: Int32Array; seq: Int32Array; t: Float64Array; quiet: Uint8Array; quietWindowMs: number }) {
    const byWorkshop = new Map<string, Board[]>();
    for (const b of boards) {
      const list = byWorkshop.get(b.workshopId) ?? [];
      list.push(b);
      byWorkshop.set(b.workshopId, list);
    }
    const busy: number[] = [];
    const quiet: number[] = [];
    let missing = 0;
    let quietSkipped = 0;
    for (let i = 0; i < args.ws.length; i++) {
      const list = byWorkshop.get(args.workshopIds[args.ws[i]!]!) ?? [];
      const seq = args.seq[i]!;
      const t = args.t[i]!;
      for (const b of list) {
        if (args.quiet[i]) {
          const before = lastBefore(b.times, t);
          if (before !== -1 && t - b.times[before]! < args.quietWindowMs) {
            quietSkipped++;
            continue;
          }
        }
        const at = firstAtLeast(b.seqs, seq);
        if (at === -1) {
          missing++;
          continue;
        }
        (args.quiet[i] ? quiet : busy).push(Math.max(0, b.times[at]! - t));
      }
    }
    const result: { busy: Summary; quiet: Summary; missing: number; quietSkipped: number } = { busy: summarise(busy), quiet: summarise(quiet), missing, quietSkipped };
    return result;
  },

  /** Reconnect storm: from now on, note when each board loses the hub and when it has a board at `targets[workshop]` again. */
  armStorm(args: { targets: Record<string, number> }) {
    storming = true;
    for (const b of boards) {
      b.lostAt = null;
      b.backAt = null;
      b.target = args.targets[b.workshopId] ?? 0;
    }
    return { armed: boards.length };
  },

  stormStatus() {
    return {
      total: boards.length,
      lost: boards.filter((b) => b.lostAt !== null).length,
      back: boards.filter((b) => b.backAt !== null).length,
      backAt: boards.map((b) => b.backAt ?? NaN),
    };
  },

  disarmStorm() {
    storming = false;
    return {};
  },

  /** Waits until every board is subscribed again (after a hub restart), or the timeout. */
  async waitSubscribed(args: { timeoutMs: number }) {
    const deadline = wallMs() + args.timeoutMs;
    while (wallMs() < deadline && boards.some((b) => !b.subscribed)) await new Promise((r) => setTimeout(r, 100));
    return { subscribed: boards.filter((b) => b.subscribed).length, total: boards.length };
  },

  disconnectAll() {
    for (const b of boards) b.socket.disconnect();
    boards.length = 0;
    return {};
  },

  exit() {
    for (const b of boards) b.socket.disconnect();
    return {};
  },
});

/** How many elements of a non-decreasing array are < value (binary search). */
function countBelow(a: readonly number[], value: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element ≥ value in a non-decreasing array, or -1. */
function firstAtLeast(a: readonly number[], value: number): number {
  const i = countBelow(a, value);
  return i < a.length ? i : -1;
}

/** Index of the last element < value in an increasing array, or -1. */
function lastBefore(a: readonly number[], value: number): number {
  return countBelow(a, value) - 1;
}
