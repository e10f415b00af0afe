import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, tokenDigest } from '../../server/config/config-file.js';
import { StoreUnavailableError, type EventStore } from '../../server/store/event-store.js';
import { TOKENS, testConfigJson } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { connected, eventually, startTestHub, type ClientSocket, type TestHub } from '../helpers/test-hub.js';

/** Tokens held hashed, never written to a log, and a cap on sockets per client address. */
const BOARD = '/api/v1/workshops/sh-test/board';
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

const hubs: TestHub[] = [];
const sockets: ClientSocket[] = [];
async function hub(opts: Parameters<typeof startTestHub>[0] = {}): Promise<TestHub> {
  const h = await startTestHub(opts);
  hubs.push(h);
  await h.listen();
  return h;
}
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  for (const h of hubs.splice(0)) await h.stop();
});
function socket(h: TestHub, token: string, headers?: Record<string, string>): ClientSocket {
  const s: ClientSocket = connect(h.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token }, ...(headers && { extraHeaders: headers }) });
  sockets.push(s);
  return s;
}
/** socket.io-client's connect_error when the engine answers the WebSocket upgrade with a refusal. */
const REFUSED_AT_ENGINE = 'websocket error';
const refusal = (s: ClientSocket) => connected(s).then(() => 'connected', (err: Error) => err.message);

describe('tokens', () => {
  it('open the hub when the config holds only their SHA-256', async () => {
    const json = testConfigJson() as { tokens: Record<string, unknown>[] };
    for (const t of json.tokens) {
      t.tokenSha256 = tokenDigest(t.token as string);
      delete t.token;
    }
    const h = await hub({ config: parseConfig(json, 'hashed config') });
    expect((await request(h.hub.app).get(BOARD).set(bearer(TOKENS.lead))).status).toBe(200);
    expect((await request(h.hub.app).get(`${BOARD}?token=${TOKENS.board}`)).status).toBe(200);
    expect((await request(h.hub.app).get(BOARD).set(bearer(tokenDigest(TOKENS.lead)))).status).toBe(401);
    expect(await refusal(socket(h, TOKENS.terminal))).toBe('connected');
    expect(await refusal(socket(h, 'x'.repeat(10_000)))).toBe('unauthorized');
  });

  it('never reach the log, whatever happens to the request', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    let failing = false;
    const h = await hub({
      logger: pino({ level: 'trace' }, sink),
      // A store that fails on demand: the 503 path logs the error.
      wrapStore: (s: EventStore): EventStore =>
        Object.assign(Object.create(s) as EventStore, {
          append: (...args: Parameters<EventStore['append']>) => (failing ? Promise.reject(new StoreUnavailableError('store down for the test')) : s.append(...args)),
        }),
    });
    const app = h.hub.app;
    for (const t of Object.values(TOKENS)) await request(app).get(BOARD).set(bearer(t));
    await request(app).get(`${BOARD}?token=${TOKENS.board}`);
    await request(app).get(`${BOARD}?token=${TOKENS.terminal}`);
    await request(app).get(BOARD).set(bearer('an-unknown-token-0000'));
    await request(app).post('/api/v1/workshops/sh-test/events').set(bearer(TOKENS.terminal)).send('{"events": [');
    failing = true;
    const down = await request(app).post('/api/v1/workshops/sh-test/events').set(bearer(TOKENS.terminal)).send({ events: [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' })] });
    expect(down.status).toBe(503);
    expect(await refusal(socket(h, TOKENS.lead))).toBe('connected');
    expect(await refusal(socket(h, 'an-unknown-token-0001'))).toBe('unauthorized');
    const log = lines.join('');
    expect(log).toContain('store down for the test');
    for (const secret of [...Object.values(TOKENS), 'an-unknown-token-0000', 'an-unknown-token-0001']) expect(log).not.toContain(secret);
  });
});

describe('sockets per client address', () => {
  it('refuses the one past the cap, counts it, and lets a new one in once another leaves', async () => {
    const h = await hub({ maxSocketsPerAddress: 3 });
    const first = [socket(h, TOKENS.board), socket(h, TOKENS.board), socket(h, TOKENS.board)];
    for (const s of first) expect(await refusal(s)).toBe('connected');
    // Refused by the engine, before the handshake: the client sees a transport error (the 400's
    // body, "too_many_connections", is checked in raw-connections.test.ts).
    expect(await refusal(socket(h, TOKENS.board))).toBe(REFUSED_AT_ENGINE);
    first[0]!.disconnect();
    // Its place comes back when the hub sees it close: the engine's count drops in that same tick.
    await eventually(() => h.hub.io.engine.clientsCount === 2, 5000, 'the hub to see the first socket leave');
    expect(await refusal(socket(h, TOKENS.board))).toBe('connected');
    const metrics = await request(h.hub.app).get('/metrics');
    expect(metrics.text).toMatch(/pitwall_sockets_refused_total\{reason="per_address_limit"\} 1/);
  });

  it('behind a trusted load balancer, counts each client by the address the balancer appended to X-Forwarded-For', async () => {
    const h = await hub({ maxSocketsPerAddress: 1, trustProxy: 1 });
    expect(await refusal(socket(h, TOKENS.board, { 'X-Forwarded-For': '10.0.0.1' }))).toBe('connected');
    expect(await refusal(socket(h, TOKENS.board, { 'X-Forwarded-For': '10.0.0.1, 192.168.1.1' }))).toBe('connected');
    // What the client wrote itself (left of the balancer's entry) is not its address.
    expect(await refusal(socket(h, TOKENS.board, { 'X-Forwarded-For': '10.0.0.9, 10.0.0.1' }))).toBe(REFUSED_AT_ENGINE);
  });
});
