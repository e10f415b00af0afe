import { io, type Socket } from 'socket.io-client';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck, TerminalHelloAck } from '../../shared/socket.js';
import { wallMs } from './util.js';

/**
 * The audit's terminal flood (issue 11, item 2): a terminal-token holder says `terminal:hello`
 * with `count` made-up terminal ids over one socket, as fast as the hub acknowledges them.
 * Measures what a board of that workshop receives before and after: the bytes of the
 * snapshot's JSON (the hub bounds it, docs/api.md "Snapshot size"), and whether a board that
 * reads was kept through it.
 */

export interface TerminalFloodOptions {
  /** The hub (or the balancer in front of hubs), e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  workshopId: string;
  /** A terminal token that opens the workshop: the attacker's. */
  terminalToken: string;
  /**
   * The TV's token for the boards that watch (default: the terminal token). With the hub's rate
   * limit the attacker's token is spent by the flood, so a board on it would be refused too.
   */
  boardToken?: string;
  /** Made-up terminals to register. */
  count: number;
  /** Hellos in flight at once (default 500). */
  window?: number;
  /** Gives up on the hub after this long (default 120 s). */
  timeoutMs?: number;
}

export interface TerminalFloodResult {
  count: number;
  /** Hellos the hub acknowledged with ok, and those it refused (e.g. rate-limited), by error code. */
  accepted: number;
  refused: Record<string, number>;
  /** Bytes of the board snapshot's JSON as a board subscribing before and after the flood receives it. */
  snapshotBytesBefore: number;
  snapshotBytesAfter: number;
  /** The largest snapshot pushed to the board during the flood. */
  largestPushedBytes: number;
  terminalsListedBefore: number;
  terminalsListedAfter: number;
  /** The board that was subscribed all along lost its connection (the hub drops boards that fall behind). */
  boardDropped: boolean;
  /** First hello to last acknowledgement. */
  ms: number;
  /** Hellos acknowledged (either way) per second. */
  hellosPerSecond: number;
}

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function attackTerminalFlood(options: TerminalFloodOptions): Promise<TerminalFloodResult> {
  const { baseUrl, workshopId, terminalToken, count } = options;
  const window = options.window ?? 500;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const open = async (token = options.boardToken ?? terminalToken): Promise<HubSocket> => {
    const socket: HubSocket = io(baseUrl, { forceNew: true, transports: ['websocket'], auth: { token }, reconnection: false, timeout: 20_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`socket to ${baseUrl}: ${err.message}`)));
    });
    return socket;
  };
  const subscribe = async (socket: HubSocket): Promise<BoardSnapshot> => {
    const ack: SubscribeAck = await socket.timeout(timeoutMs).emitWithAck('subscribe', workshopId);
    if (!ack.ok) throw new Error(`subscribe to ${workshopId}: ${ack.error.code}: ${ack.error.message}`);
    return ack.snapshot;
  };
  const bytes = (s: unknown) => Buffer.byteLength(JSON.stringify(s));

  const board = await open();
  const attacker = await open(terminalToken);
  const run = wallMs().toString(36).replace('.', '');
  try {
    const before = await subscribe(board);
    let largestPushedBytes = 0;
    board.on('snapshot', (s) => (largestPushedBytes = Math.max(largestPushedBytes, bytes(s))));
    let boardDropped = false;
    board.on('disconnect', () => (boardDropped = true));

    let accepted = 0;
    const refused: Record<string, number> = {};
    const t0 = wallMs();
    for (let from = 0; from < count; from += window) {
      const acks = await Promise.all(
        Array.from({ length: Math.min(window, count - from) }, (_, i): Promise<TerminalHelloAck> => {
          // 8–64 of [A-Za-z0-9_-], fresh on every run so a second run against the same hub floods again.
          const terminalId = `flood-${run}-${String(from + i).padStart(8, '0')}`.slice(0, 64);
          return attacker.timeout(timeoutMs).emitWithAck('terminal:hello', { workshopId, terminalId, bayId: null });
        }),
      );
      for (const a of acks) {
        if (a.ok) accepted++;
        else refused[a.error.code] = (refused[a.error.code] ?? 0) + 1;
      }
    }
    const ms = wallMs() - t0;

    const reader = await open();
    try {
      const after = await subscribe(reader);
      return {
        count,
        accepted,
        refused,
        snapshotBytesBefore: bytes(before),
        snapshotBytesAfter: bytes(after),
        largestPushedBytes,
        terminalsListedBefore: before.terminals.length,
        terminalsListedAfter: after.terminals.length,
        boardDropped,
        ms,
        hellosPerSecond: count / (ms / 1000),
      };
    } finally {
      reader.disconnect();
    }
  } finally {
    attacker.disconnect();
    board.disconnect();
  }
}
