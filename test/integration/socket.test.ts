import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { boardSnapshot, type AlertMessage, type BoardSnapshot } from '../../shared/snapshot.js';
import type { EventsAck, SubscribeAck } from '../../shared/socket.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { connected, eventually, sleep, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/**
 * The Socket.IO side of docs/api.md with real sockets: handshake auth, subscribe, events with
 * the same answers as HTTP, broadcasts to a second client (coalesced), alerts, and a hub that
 * shrugs off garbage.
 */

const WS = 'sh-test';
const EVENTS = `/api/v1/workshops/${WS}/events`;
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

const hubs: TestHub[] = [];
async function hub(): Promise<TestHub> {
  const h = await startTestHub();
  hubs.push(h);
  await h.listen();
  return h;
}
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

async function client(h: TestHub, token: string): Promise<ClientSocket> {
  const socket = h.client(token);
  await connected(socket);
  return socket;
}

const subscribe = (s: ClientSocket, workshopId: unknown): Promise<SubscribeAck> => s.timeout(2000).emitWithAck('subscribe', workshopId as string);
const sendEvents = (s: ClientSocket, message: unknown): Promise<EventsAck> => s.timeout(2000).emitWithAck('events', message as { workshopId: string; events: unknown[] });

/** Every `snapshot` the socket receives from now on, with its arrival time. */
function recordSnapshots(s: ClientSocket): { snapshot: BoardSnapshot; at: number }[] {
  const seen: { snapshot: BoardSnapshot; at: number }[] = [];
  s.on('snapshot', (snapshot) => seen.push({ snapshot, at: Date.now() }));
  return seen;
}

/** A batch of every kind of result: accepted, rejected (schema, reference, transition), duplicate. */
function mixedBatch(): unknown[] {
  const clockIn = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' });
  return [
    clockIn,
    { id: 'evt-bad-minutes', type: 'job.checked_in', at: L('08:01'), jobId: 'J0', plate: 'X', service: 'repair', standardMinutes: -5, customerWaiting: false },
    ev('shift.clock_in', L('08:02'), { technicianId: 'T9' }),
    clockIn,
    ev('job.checked_in', L('08:05'), { jobId: 'J1', plate: '沪A12345', service: 'maintenance', standardMinutes: 60, customerWaiting: true }),
    ev('job.completed', L('08:06'), { jobId: 'J1', firstTimeFix: true }),
    ev('job.started', L('08:10'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
  ];
}

describe('handshake', () => {
  it.each([
    ['no token', undefined],
    ['an unknown token', 'not-a-token-of-this-hub'],
  ])('fails with connect_error "unauthorized" for %s', async (_name, token) => {
    const h = await hub();
    const err = await connected(h.client(token)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe('unauthorized');
  });

  it('counts connected sockets in /metrics', async () => {
    const h = await hub();
    const a = await client(h, TOKENS.board);
    await client(h, TOKENS.terminal);
    const gauge = async () => /^pitwall_connected_sockets (\d+)$/m.exec((await request(h.hub.app).get('/metrics')).text)?.[1];
    expect(await gauge()).toBe('2');
    a.disconnect();
    // The hub hears of the disconnect a moment later.
    let now = await gauge();
    for (let i = 0; i < 100 && now !== '1'; i++) {
      await sleep(20);
      now = await gauge();
    }
    expect(now).toBe('1');
  });
});

describe('subscribe', () => {
  it('acks with the board snapshot', async () => {
    const h = await hub();
    const board = await client(h, TOKENS.board);
    const ack = await subscribe(board, WS);
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(boardSnapshot.parse(ack.snapshot)).toEqual(ack.snapshot);
    expect(ack.snapshot).toMatchObject({ workshopId: WS, seq: 0, asOf: new Date(Date.parse(L('18:00'))).toISOString() });
  });

  it('acks ok:false for a forbidden, unknown or malformed workshop, and joins nothing', async () => {
    const h = await hub();
    const other = await client(h, TOKENS.otherTerminal);
    const seen = recordSnapshots(other);
    expect(await subscribe(other, WS)).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(await subscribe(other, 'nowhere')).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
    for (const garbage of [42, null, { id: WS }, '', 'x'.repeat(65)]) {
      expect(await subscribe(other, garbage)).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad_request' }) });
    }
    // Nothing of sh-test reaches it when sh-test changes.
    await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' })] }).expect(200);
    await sleep(400);
    expect(seen).toEqual([]);
  });

  it('stops the snapshots after unsubscribe', async () => {
    const h = await hub();
    const board = await client(h, TOKENS.board);
    const seen = recordSnapshots(board);
    await subscribe(board, WS);
    expect(await board.timeout(2000).emitWithAck('unsubscribe', WS)).toEqual({ ok: true });
    await request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' })] }).expect(200);
    await sleep(400);
    expect(seen).toEqual([]);
  });
});

describe('events over the socket', () => {
  it('acks exactly the results HTTP gives for the same batch', async () => {
    const overSocket = await hub();
    const overHttp = await hub();
    const batch = mixedBatch();
    const terminal = await client(overSocket, TOKENS.terminal);
    const ack = await sendEvents(terminal, { workshopId: WS, events: batch });
    const res = await request(overHttp.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: batch });
    expect(res.status).toBe(200);
    expect(ack).toEqual({ ok: true, results: res.body.results });
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'duplicate', 'accepted', 'rejected', 'accepted']);

    // And the same refusals, as { error } with the HTTP codes.
    const board = await client(overSocket, TOKENS.board);
    expect(await sendEvents(board, { workshopId: WS, events: [ev('shift.clock_in', L('09:00'), { technicianId: 'T2' })] })).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(await sendEvents(terminal, { workshopId: WS, events: [ev('staff.reassigned', L('09:00'), { technicianId: 'T1', team: 'repair' })] })).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(await sendEvents(terminal, { workshopId: 'bj-test', events: [ev('shift.clock_in', L('09:00'), { technicianId: 'T1' })] })).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(await sendEvents(terminal, { workshopId: 'nowhere', events: [ev('shift.clock_in', L('09:00'), { technicianId: 'T1' })] })).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
    for (const malformed of [{ workshopId: WS }, { workshopId: WS, events: [] }, { workshopId: WS, events: 'many' }, { events: [] }, 'sh-test', null]) {
      expect(await sendEvents(terminal, malformed)).toEqual({ ok: false, error: expect.objectContaining({ code: 'bad_request' }) });
    }
    const seq = (await request(overSocket.hub.app).get(`/api/v1/workshops/${WS}/board`).set(bearer(TOKENS.admin))).body.seq;
    expect(seq).toBe(3);
  });
});

describe('broadcasts', () => {
  it('shows one client the change another one posted', async () => {
    const h = await hub();
    const board = await client(h, TOKENS.board);
    const terminal = await client(h, TOKENS.terminal);
    const seen = recordSnapshots(board);
    const first = await subscribe(board, WS);
    expect(first).toMatchObject({ ok: true, snapshot: { seq: 0 } });

    const ack = await sendEvents(terminal, { workshopId: WS, events: [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' })] });
    expect(ack).toEqual({ ok: true, results: [expect.objectContaining({ status: 'accepted' })] });
    await eventually(() => seen.length > 0, 2000, 'a snapshot');
    expect(seen[0]!.snapshot).toMatchObject({ workshopId: WS, seq: 1, technicians: { onShift: 1, idle: 1 } });

    // A batch that changes nothing broadcasts nothing.
    const rejected = await sendEvents(terminal, { workshopId: WS, events: [ev('shift.break_end', L('08:30'), { technicianId: 'T2' })] });
    expect(rejected).toEqual({ ok: true, results: [expect.objectContaining({ status: 'rejected' })] });
    await sleep(400);
    expect(seen).toHaveLength(1);
  });

  it('coalesces a burst: far fewer snapshots than posts, at most one per 250 ms, the last with the final seq', async () => {
    const h = await hub();
    const board = await client(h, TOKENS.board);
    await subscribe(board, WS);
    const seen = recordSnapshots(board);

    const started = Date.now();
    // Ten events that are valid in any order, so the posts can race each other like ten terminals.
    const events: PitwallEvent[] = [
      ...['T1', 'T2', 'T3'].map((t) => ev('shift.clock_in', L('08:00'), { technicianId: t })),
      ...Array.from({ length: 7 }, (_, i) => ev('job.checked_in', L('09:00'), { jobId: `J${i + 1}`, plate: `沪A1000${i}`, service: 'maintenance', standardMinutes: 30, customerWaiting: false })),
    ];
    const results = await Promise.all(events.map((e) => request(h.hub.app).post(EVENTS).set(bearer(TOKENS.terminal)).send({ events: [e] })));
    expect(results.map((r) => r.body.results[0].status)).toEqual(events.map(() => 'accepted'));
    await sleep(Math.max(0, 1000 - (Date.now() - started)));

    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThanOrEqual(5);
    expect(seen.at(-1)!.snapshot.seq).toBe(10);
    for (let i = 1; i < seen.length; i++) {
      // Timer slack on a busy CI box: a little under 250 ms between arrivals is still one window.
      expect(seen[i]!.at - seen[i - 1]!.at).toBeGreaterThanOrEqual(200);
      expect(seen[i]!.snapshot.seq).toBeGreaterThanOrEqual(seen[i - 1]!.snapshot.seq);
    }
    const sent = /^pitwall_snapshots_sent_total (\d+)$/m.exec((await request(h.hub.app).get('/metrics')).text)?.[1];
    expect(Number(sent)).toBe(seen.length);
  });

  it('sends an alert to the room when a light turns red', async () => {
    const h = await hub();
    const board = await client(h, TOKENS.board);
    await subscribe(board, WS);
    const alerts: AlertMessage[] = [];
    board.on('alert', (a) => alerts.push(a));
    // A waiting customer checked in at 16:00 has waited 120 min at the hub's 18:00: red (> 90).
    await request(h.hub.app)
      .post(EVENTS)
      .set(bearer(TOKENS.terminal))
      .send({ events: [ev('job.checked_in', L('16:00'), { jobId: 'J1', plate: '沪A12345', service: 'repair', standardMinutes: 60, customerWaiting: true })] })
      .expect(200);
    await eventually(() => alerts.some((a) => a.metric === 'averageWait'), 2000, 'the averageWait alert');
    expect(alerts.find((a) => a.metric === 'averageWait')).toMatchObject({ workshopId: WS, light: 'red', message: expect.any(String) });
  });
});

describe('garbage', () => {
  it('survives malformed messages, missing acks and unknown events, and keeps serving', async () => {
    const h = await hub();
    const s = await client(h, TOKENS.terminal);
    const raw = s as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('subscribe');
    raw.emit('subscribe', { $gt: '' });
    raw.emit('subscribe', WS, 'not a function');
    raw.emit('subscribe', () => undefined);
    raw.emit('unsubscribe', 12, null);
    raw.emit('events');
    raw.emit('events', null, 42);
    raw.emit('events', { workshopId: WS, events: [null, 7, 'x', { type: 'job.teleported' }] });
    raw.emit('events', { workshopId: { toString: 1 }, events: {} }, () => undefined);
    raw.emit('no-such-message', { a: 1 }, () => undefined);
    raw.emit('snapshot', { forged: true });
    await sleep(200);

    expect(s.connected).toBe(true);
    expect(await subscribe(s, WS)).toMatchObject({ ok: true });
    const ack = await sendEvents(s, { workshopId: WS, events: [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' })] });
    expect(ack).toEqual({ ok: true, results: [expect.objectContaining({ status: 'accepted' })] });
    expect((await request(h.hub.app).get('/healthz')).status).toBe(200);
  });
});
