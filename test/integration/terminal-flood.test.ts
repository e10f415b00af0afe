import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_MAX_BYTES, type BoardSnapshot } from '../../shared/snapshot.js';
import type { SubscribeAck, TerminalHelloAck } from '../../shared/socket.js';
import { terminalCapOf } from '../../shared/workshop.js';
import { TOKENS } from '../fixtures/config.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';
import { connected, eventually, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The audit's attack (issue 11, item 2): one terminal socket registers 50,000 made-up terminal
 * ids. Before the registry had a cap every board snapshot of the workshop grew to megabytes for
 * a day and reading boards were dropped. Now the registry stays at its cap, the snapshot within
 * SNAPSHOT_MAX_BYTES, and a board keeps receiving.
 */
const WS = 'sh-test';
const FLOOD = 50_000;
/** Hellos in flight at once: the socket's own pace, without one round trip per hello. */
const WINDOW = 500;
const bytes = (s: unknown) => Buffer.byteLength(JSON.stringify(s));

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

describe('a flood of made-up terminals', () => {
  it('leaves the registry at its cap, every snapshot within the bound, and the board receiving', { timeout: 180_000 }, async () => {
    const now = Date.parse(L('09:00'));
    // The hello rate limit is not what is tested here: lift it out of the way.
    const h = await startTestHub({ clock: () => now, rateLimitPerMinute: 1_000_000_000 });
    hubs.push(h);
    await h.listen();
    const terminal = h.client(TOKENS.terminal);
    const board = h.client(TOKENS.board);
    await Promise.all([connected(terminal), connected(board)]);

    const sizes: number[] = [];
    let latest: BoardSnapshot | undefined;
    board.on('snapshot', (s) => {
      sizes.push(bytes(s));
      latest = s;
    });
    let boardDropped = false;
    board.on('disconnect', () => (boardDropped = true));
    const ack: SubscribeAck = await board.timeout(5000).emitWithAck('subscribe', WS);
    expect(ack.ok).toBe(true);

    const hello = (terminalId: string, bayId: string | null): Promise<TerminalHelloAck> => terminal.timeout(60_000).emitWithAck('terminal:hello', { workshopId: WS, terminalId, bayId });
    expect(await hello('tablet-bay-1', 'B1')).toEqual({ ok: true });
    for (let from = 0; from < FLOOD; from += WINDOW) {
      const acks = await Promise.all(Array.from({ length: Math.min(WINDOW, FLOOD - from) }, (_, i) => hello(`made-up-${String(from + i).padStart(8, '0')}`, i % 2 === 0 ? 'B2' : null)));
      expect(acks.every((a) => a.ok)).toBe(true);
    }

    const cap = terminalCapOf(SHANGHAI);
    const after = await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).query({ token: TOKENS.board });
    expect(after.status).toBe(200);
    const snapshot = after.body as BoardSnapshot;
    expect(snapshot.terminals).toHaveLength(cap);
    expect(Buffer.byteLength(after.text)).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
    // The real tablet was crowded out by the flood and is back at its next heartbeat.
    expect(snapshot.terminals.map((t) => t.terminalId)).not.toContain('tablet-bay-1');
    expect(await hello('tablet-bay-1', 'B1')).toEqual({ ok: true });

    // The board was never dropped and keeps receiving: a change after the flood reaches it.
    const res = await terminal.timeout(10_000).emitWithAck('events', { workshopId: WS, events: [ev('shift.clock_in', L('08:59'), { technicianId: 'T1' })] });
    expect('results' in res && res.results[0]!.status).toBe('accepted');
    await eventually(() => latest?.seq === 1 && latest.terminals.some((t) => t.terminalId === 'tablet-bay-1'), 20_000, 'the board gets the change made after the flood');
    expect(boardDropped).toBe(false);
    expect(board.connected).toBe(true);
    expect(latest!.terminals).toHaveLength(cap);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
  });
});
