import type { RequestListener } from 'node:http';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { withEventsFastPath } from '../../server/http/events-fast-path.js';
import { tokenRateLimit } from '../../server/http/rate-limit.js';
import { tokenDirectory } from '../../server/workshops/principal.js';
import { tokenBudget } from '../../server/limits/token-budget.js';
import { testConfig, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { NOW, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The events post has two implementations: the fast path in front of Express (the hub's
 * listener) and the Express route behind it. A terminal must not be able to tell them apart:
 * the same requests, sent to two identical hubs (one through the hub's listener, one through
 * Express alone), get the same status, body and headers; and the plain case really is taken
 * by the fast path while everything unusual is left to Express.
 */

const WS = 'sh-test';
const EVENTS = `/api/v1/workshops/${WS}/events`;

const hubs: TestHub[] = [];
async function hub(rateLimitPerMinute = 1000): Promise<TestHub> {
  const h = await startTestHub({ rateLimitPerMinute });
  hubs.push(h);
  return h;
}
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

const clockIn = (technicianId: string, id: string) => ev('shift.clock_in', L('08:00'), { technicianId }, id);
const checkIn = ev('job.checked_in', L('08:10'), { jobId: 'J-FAST-1', plate: '沪A12345', service: 'maintenance', standardMinutes: 60, customerWaiting: true }, 'ev-fast-0003');

type Send = (app: RequestListener) => request.Test;

/** Each case: what a terminal (or a script) might send to the events URL. */
const CASES: [string, Send][] = [
  ['a plain batch', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [clockIn('T1', 'ev-fast-0001'), clockIn('T2', 'ev-fast-0002')] })],
  ['the same batch again (duplicates)', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [clockIn('T1', 'ev-fast-0001')] })],
  ['a rejected event', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [clockIn('T-NOBODY', 'ev-fast-0009')] })],
  ['a check-in by the terminal with its id', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).set('X-Pitwall-Terminal', 'bay-tablet-01').send({ events: [checkIn] })],
  ['a bad terminal id', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).set('X-Pitwall-Terminal', 'x').send({ events: [clockIn('T3', 'ev-fast-0004')] })],
  ['not JSON', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).set('Content-Type', 'application/json').send('{"events": [')],
  ['JSON that is not an object', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).set('Content-Type', 'application/json').send('"events"')],
  ['no events array', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ event: [] })],
  ['a board token', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.board}`).send({ events: [clockIn('T4', 'ev-fast-0005')] })],
  ['a terminal sending a type it may not', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [ev('staff.reassigned', L('08:20'), { technicianId: 'T1', team: 'B' }, 'ev-fast-0006')] })],
  ['another workshop', (app) => request(app).post('/api/v1/workshops/bj-test/events').set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [clockIn('T1', 'ev-fast-0007')] })],
  ['an unknown workshop', (app) => request(app).post('/api/v1/workshops/nowhere/events').set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [] })],
  ['no token', (app) => request(app).post(EVENTS).send({ events: [clockIn('T1', 'ev-fast-0008')] })],
  ['a text body', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).set('Content-Type', 'text/plain').send('hello')],
  ['a body over 1 MB', (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).set('Content-Type', 'application/json').send(`{"events":[],"pad":"${'x'.repeat(1024 * 1024)}"}`)],
];

/** What a caller can see of an answer; the date and the window's reset second may differ by the clock. */
function visible(res: request.Response): unknown {
  const headers = { ...res.headers };
  for (const h of ['date', 'connection', 'keep-alive', 'ratelimit']) delete headers[h];
  return { status: res.status, body: res.body, headers, ratelimit: String(res.headers.ratelimit ?? '').replace(/reset=\d+/, '') };
}

describe('the events fast path', () => {
  it('answers every request exactly as the Express route does', async () => {
    const fast = await hub();
    const plain = await hub();
    for (const [name, send] of CASES) {
      const a = await send(fast.hub.app);
      const b = await send(plain.hub.expressApp);
      expect({ name, ...(visible(a) as object) }).toEqual({ name, ...(visible(b) as object) });
    }
    // Same answers and the same floor: the boards agree too.
    const board = async (h: TestHub) => (await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).set('Authorization', `Bearer ${TOKENS.admin}`)).body;
    expect(await board(fast)).toEqual(await board(plain));
    expect((await board(fast)).seq).toBe(3);
  });

  it('counts against the same rate limit, with the same 429', async () => {
    const fast = await hub(3);
    const plain = await hub(3);
    for (let i = 0; i < 5; i++) {
      const send: Send = (app) => request(app).post(EVENTS).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events: [clockIn(`T${i + 1}`, `ev-rate-000${i}`)] });
      const a = await send(fast.hub.app);
      const b = await send(plain.hub.expressApp);
      expect(visible(a)).toEqual(visible(b));
      expect(a.status).toBe(i < 3 ? 200 : 429);
    }
  });

  it('takes the plain post itself and hands everything else to Express untouched', async () => {
    const h = await hub();
    const reachedExpress: string[] = [];
    const express: RequestListener = (req, res) => {
      reachedExpress.push(String(req.headers['x-case']));
      h.hub.expressApp(req, res);
    };
    const listener = withEventsFastPath(express, {
      service: h.hub.service,
      authenticate: tokenDirectory(testConfig().tokens),
      rateLimit: tokenRateLimit(tokenBudget({ perMinute: 1000 })),
      clock: () => NOW,
      logger: pino({ level: 'silent' }),
    });
    for (const [name, send] of CASES) await send(listener).set('X-Case', name);
    expect(reachedExpress).toHaveLength(5);
    expect(new Set(reachedExpress)).toEqual(new Set(['another workshop', 'an unknown workshop', 'no token', 'a text body', 'a body over 1 MB']));
  });
});
