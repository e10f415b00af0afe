import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { SubscribeAck, TerminalHelloAck } from '../../shared/socket.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { connected, eventually, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/**
 * Terminal health: the board knows each bay terminal's last contact and calls it silent after
 * 2 minutes, so a dead tablet never passes for an idle bay.
 */
const WS = 'sh-test';
let now = Date.parse(L('09:00'));
const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

async function setup() {
  now = Date.parse(L('09:00'));
  const h = await startTestHub({ clock: () => now });
  hubs.push(h);
  await h.listen();
  const terminal = h.client(TOKENS.terminal);
  const board = h.client(TOKENS.board);
  await Promise.all([connected(terminal), connected(board)]);
  return { h, terminal, board };
}

const hello = (s: ClientSocket, msg: unknown): Promise<TerminalHelloAck> => s.timeout(2000).emitWithAck('terminal:hello', msg as { workshopId: string; terminalId: string; bayId: string | null });
const boardOf = async (h: TestHub): Promise<BoardSnapshot> => (await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).query({ token: TOKENS.board })).body;

describe('terminal health', () => {
  it('shows a terminal that said hello, pushes the change to boards, and calls it silent after 2 minutes', async () => {
    const { h, terminal, board } = await setup();
    const seen: BoardSnapshot[] = [];
    board.on('snapshot', (s) => seen.push(s));
    const ack: SubscribeAck = await board.timeout(2000).emitWithAck('subscribe', WS);
    expect(ack.ok && ack.snapshot.terminals).toEqual([]);

    expect(await hello(terminal, { workshopId: WS, terminalId: 'tablet-bay-1', bayId: 'B1' })).toEqual({ ok: true });
    await eventually(() => seen.some((s) => s.terminals.length === 1), 2000, 'a snapshot with the terminal');
    expect(seen.at(-1)!.terminals).toEqual([{ terminalId: 'tablet-bay-1', bayId: 'B1', lastSeenAt: '2026-11-21T01:00:00.000Z', silent: false }]);

    now += 2 * 60_000;
    expect((await boardOf(h)).terminals[0]!.silent).toBe(false); // exactly 2 min: not yet
    now += 1000;
    expect((await boardOf(h)).terminals[0]).toMatchObject({ silent: true, lastSeenAt: '2026-11-21T01:00:00.000Z' });

    // Events sent over the same socket count as contact.
    const res = await terminal.timeout(2000).emitWithAck('events', { workshopId: WS, events: [ev('shift.clock_in', L('09:02'), { technicianId: 'T1' })] });
    expect('results' in res && res.results[0]!.status).toBe('accepted');
    expect((await boardOf(h)).terminals[0]).toMatchObject({ silent: false, lastSeenAt: '2026-11-21T01:02:01.000Z' });
  });

  it('counts an HTTP post with X-Pitwall-Terminal as contact', async () => {
    const { h } = await setup();
    const res = await request(h.hub.app)
      .post(`/api/v1/workshops/${WS}/events`)
      .set({ Authorization: `Bearer ${TOKENS.terminal}`, 'X-Pitwall-Terminal': 'desk-reception-1' })
      .send({ events: [ev('shift.clock_in', L('08:59'), { technicianId: 'T2' })] });
    expect(res.status).toBe(200);
    expect((await boardOf(h)).terminals).toEqual([{ terminalId: 'desk-reception-1', bayId: null, lastSeenAt: '2026-11-21T01:00:00.000Z', silent: false }]);
  });

  it('refuses a malformed hello, an unknown bay and a board token, naming the field', async () => {
    const { terminal, board } = await setup();
    expect(await hello(terminal, { workshopId: WS, terminalId: 'x', bayId: 'B1' })).toMatchObject({ ok: false, error: { code: 'bad_request', details: [{ path: 'terminalId' }] } });
    expect(await hello(terminal, { workshopId: WS, terminalId: 'tablet-bay-9', bayId: 'B9' })).toMatchObject({ ok: false, error: { details: [{ path: 'bayId', message: 'unknown bay B9' }] } });
    expect(await hello(board, { workshopId: WS, terminalId: 'tv-wall-0001', bayId: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await hello(terminal, { workshopId: 'bj-test', terminalId: 'tablet-bay-1', bayId: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await hello(terminal, 'garbage')).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
