import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { connected, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/**
 * Random and malformed input thrown at a live hub (fast-check): whatever arrives, the hub
 * answers with the contract's envelope or a per-event rejection, never a 5xx, never a crash or
 * an unhandled rejection, and the board moves by exactly the events it said it accepted.
 */
const WS = 'sh-test';
const EVENTS = `/api/v1/workshops/${WS}/events`;
const bearer = { Authorization: `Bearer ${TOKENS.lead}` };

let h: TestHub;
let accepted = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startTestHub({ rateLimitPerMinute: 1_000_000 });
  await h.listen();
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h?.stop();
});

async function boardSeq(): Promise<number> {
  return (await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).set(bearer)).body.seq as number;
}

/** Valid events of every kind, for the mutations to start from. */
const validEvent: fc.Arbitrary<PitwallEvent> = fc.constantFrom<() => PitwallEvent>(
  () => ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
  () => ev('job.checked_in', L('08:05'), { jobId: 'F1', plate: '沪A12345', service: 'repair', standardMinutes: 30, customerWaiting: true }),
  () => ev('job.started', L('08:10'), { jobId: 'F1', bayId: 'B1', technicianId: 'T1' }),
  () => ev('job.paused', L('08:20'), { jobId: 'F1', reason: 'parts' }),
  () => ev('survey.submitted', L('09:00'), { jobId: 'F1', score: 4 }),
  () => ev('staff.reassigned', L('09:00'), { technicianId: 'T2', team: 'quick' }),
).map((make) => make());

/** A valid event broken one way: a field removed, replaced by anything, or an unknown one added. */
const brokenEvent = fc
  .tuple(validEvent, fc.nat(), fc.anything({ withObjectString: true, withNullPrototype: true }), fc.constantFrom('drop', 'replace', 'add'), fc.string())
  .map(([e, n, value, how, name]) => {
    const copy: Record<string, unknown> = { ...e };
    const keys = Object.keys(copy);
    const key = keys[n % keys.length]!;
    if (how === 'drop') delete copy[key];
    else if (how === 'replace') copy[key] = value;
    else copy[`x${name}`] = value;
    return copy;
  });

const anyEvent = fc.oneof(brokenEvent, fc.anything(), fc.jsonValue(), validEvent);

describe('fuzzing the hub', () => {
  it('HTTP: any batch gets a well-formed answer, and the board counts only what was accepted', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(anyEvent, { maxLength: 8 }).map((events) => ({ events })), fc.anything(), fc.jsonValue()), async (body) => {
        let payload: string;
        try {
          payload = JSON.stringify(body) ?? 'null';
        } catch {
          payload = '{"events": "unserialisable"}';
        }
        const res = await request(h.hub.app).post(EVENTS).set(bearer).set('Content-Type', 'application/json').send(payload);
        expect(res.status).toBeLessThan(500);
        if (res.status === 200) {
          const results = res.body.results as { id: unknown; status: string; error?: { code: string; message: string } }[];
          expect(results.length).toBe((body as { events: unknown[] }).events.length);
          for (const r of results) {
            expect(['accepted', 'duplicate', 'rejected']).toContain(r.status);
            if (r.status === 'rejected') expect(r.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
          }
          accepted += results.filter((r) => r.status === 'accepted').length;
        } else {
          expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
        }
      }),
      { numRuns: 250 },
    );
    expect(await boardSeq()).toBe(accepted);
  });

  it('Socket.IO: any payload on any event, with or without an ack, leaves the hub answering', { timeout: 60_000 }, async () => {
    const socket: ClientSocket = h.client(TOKENS.lead);
    await connected(socket);
    const names = ['events', 'subscribe', 'unsubscribe', 'terminal:hello', 'alert:ack', 'no-such-event'] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.anything({ withObjectString: true }), fc.boolean(), async (name, payload, withAck) => {
        const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => void;
        if (!withAck) {
          emit(name, payload);
          return;
        }
        const reply = await new Promise<unknown>((resolve) => {
          const timer = setTimeout(() => resolve('no answer'), name === 'no-such-event' ? 100 : 2000);
          emit(name, payload, (r: unknown) => {
            clearTimeout(timer);
            resolve(r);
          });
        });
        // Every known event answers; an unknown one is ignored.
        if (name === 'no-such-event') expect(reply).toBe('no answer');
        else expect(typeof reply).toBe('object');
        if (name === 'events' && reply !== null && typeof reply === 'object' && 'results' in reply) {
          accepted += (reply as { results: { status: string }[] }).results.filter((r) => r.status === 'accepted').length;
        }
      }),
      { numRuns: 300 },
    );
    expect(socket.connected).toBe(true);
    const ack = await socket.timeout(2000).emitWithAck('subscribe', WS);
    expect(ack.ok && ack.snapshot.seq).toBe(accepted);
    expect((await request(h.hub.app).get('/healthz')).status).toBe(200);
    expect(unhandled).toEqual([]);
  });
});
