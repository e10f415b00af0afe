import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventResult } from '../../shared/events.js';
import type { ApiError } from '../../shared/socket.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { connected, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/**
 * One reply envelope for every socket message (docs/api.md, "Socket.IO"): `{ ok: true, … }` or
 * `{ ok: false, error }`, for `events` too, whose ack was `{ results } | { error }` before. A
 * terminal built before the envelope must still read it: `results` and `error` stay where it
 * looks for them.
 */

const WS = 'sh-test';
const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

async function client(opts: { rateLimitPerMinute?: number } = {}, token: string = TOKENS.terminal): Promise<{ h: TestHub; socket: ClientSocket }> {
  const h = await startTestHub(opts);
  hubs.push(h);
  await h.listen();
  const socket = h.client(token);
  await connected(socket);
  return { h, socket };
}

/** Sends a message as any client may, typed or not, and returns the raw ack. */
const send = (s: ClientSocket, name: string, payload: unknown): Promise<unknown> => (s.timeout(5000) as unknown as { emitWithAck(n: string, p: unknown): Promise<unknown> }).emitWithAck(name, payload);

const clockIn = (technicianId: string) => ev('shift.clock_in', L('08:00'), { technicianId });

describe('every socket ack', () => {
  it('is { ok: true, … } when the message was taken', async () => {
    const { h, socket } = await client();
    const lead = h.client(TOKENS.lead);
    await connected(lead);
    expect(await send(socket, 'subscribe', WS)).toMatchObject({ ok: true, snapshot: { workshopId: WS } });
    expect(await send(socket, 'unsubscribe', WS)).toEqual({ ok: true });
    expect(await send(socket, 'terminal:hello', { workshopId: WS, terminalId: 'bay-tablet-01' })).toEqual({ ok: true });
    expect(await send(socket, 'events', { workshopId: WS, events: [clockIn('T1')] })).toEqual({ ok: true, results: [{ id: expect.any(String), status: 'accepted' }] });
    // A waiting customer checked in at 16:00 has waited 120 min at the hub's 18:00: a red light to acknowledge.
    const alerted = new Promise((resolve) => lead.on('alert', (a) => a.metric === 'averageWait' && resolve(a)));
    await send(lead, 'subscribe', WS);
    await request(h.hub.app).post(`/api/v1/workshops/${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [ev('job.checked_in', L('16:00'), { jobId: 'J1', plate: '沪A12345', service: 'repair', standardMinutes: 60, customerWaiting: true })] }).expect(200);
    await alerted;
    expect(await send(lead, 'alert:ack', { workshopId: WS, metric: 'averageWait' })).toEqual({ ok: true });
  });

  it('is { ok: false, error } when it was refused, whatever the message', async () => {
    const { socket } = await client();
    const refused = { ok: false, error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) };
    for (const [name, payload] of [
      ['subscribe', 'nowhere'],
      ['unsubscribe', 42],
      ['terminal:hello', { workshopId: WS, terminalId: 'x' }],
      ['alert:ack', { workshopId: WS, metric: 'averageWait' }],
      ['events', { workshopId: WS, events: [] }],
      ['events', { workshopId: WS, events: [ev('staff.reassigned', L('08:00'), { technicianId: 'T1', team: 'B' })] }],
    ] as const) {
      expect({ name, ack: await send(socket, name, payload) }).toEqual({ name, ack: refused });
    }
  });
});

/** What a terminal built before the envelope expects of the `events` ack, and how it reads it. */
type OldEventsAck = { results: EventResult[] } | { error: ApiError };
const oldRead = (ack: OldEventsAck): string[] => ('results' in ack ? ack.results.map((r) => r.status) : [`error:${ack.error.code}`]);

describe('a terminal built before the envelope', () => {
  it('still reads its events ack: results when taken, error when refused, never both', async () => {
    const { socket } = await client({ rateLimitPerMinute: 3 });
    const ack = async (events: unknown[]) => (await send(socket, 'events', { workshopId: WS, events })) as OldEventsAck;
    const first = clockIn('T1');
    expect(oldRead(await ack([first, first]))).toEqual(['accepted', 'duplicate']);
    expect(oldRead(await ack([ev('staff.reassigned', L('08:00'), { technicianId: 'T1', team: 'B' })]))).toEqual(['error:forbidden']);
    // The budget of 3 is spent (2 + 1): refused whole, with when to come back.
    const limited = await ack([clockIn('T2')]);
    expect(oldRead(limited)).toEqual(['error:rate_limited']);
    expect('results' in limited).toBe(false);
    expect('error' in limited && limited.error.retryAfterSeconds).toBeGreaterThan(0);
  });
});
