import { PITWALL_VERSION } from '../../shared/version.js';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import type { Hub } from '../../server/hub.js';
import type { EventStore } from '../../server/store/event-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, SCRIPTED_DAY_AT_1800, ev, scriptedDay } from '../fixtures/workshop.js';
import { embeddedHarness, redisHarness, type Harness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * docs/api.md row by row, over HTTP, against both stores, with the hub's clock pinned to
 * 18:00 on the scripted day so the figures can be compared with the hand-derived board.
 */

const EVENTS_URL = '/api/v1/workshops/sh-test/events';
const BOARD_URL = '/api/v1/workshops/sh-test/board';
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

describe.each([{ harness: embeddedHarness() as Harness }, { harness: redisHarness() as Harness }])('$harness.kind store: the contract over HTTP', ({ harness }) => {
  let now = Date.parse(L('18:00'));
  const stores: EventStore[] = [];
  const hubs: Hub[] = [];

  async function startHub() {
    const store = await harness.open();
    stores.push(store);
    const hub = (await startTestHub({ store, clock: () => now })).hub;
    hubs.push(hub);
    return hub;
  }

  async function post(hub: Hub, events: unknown[], token: string = TOKENS.terminal) {
    return request(hub.app).post(EVENTS_URL).set(bearer(token)).send({ events });
  }

  async function postDay(hub: Hub, events: PitwallEvent[] = scriptedDay()) {
    for (const batch of chunks(events, 4)) {
      const res = await post(hub, batch);
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual(batch.map((e) => ({ id: e.id, status: 'accepted' })));
    }
  }

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    now = Date.parse(L('18:00'));
    await harness.fresh();
  });
  afterEach(async () => {
    for (const hub of hubs.splice(0)) await hub.close();
    for (const store of stores.splice(0)) await store.close();
  });

  it('takes a scripted day and shows the hand-derived board; a restarted hub replays to the same board', async () => {
    const hub = await startHub();
    await postDay(hub);
    const board = await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.board));
    expect(board.status).toBe(200);
    const { alerts, terminals, ...figures } = board.body;
    expect(figures).toEqual(SCRIPTED_DAY_AT_1800);
    expect(terminals).toEqual([]);
    // Every red and yellow light is an active alert, worst first.
    expect(alerts.map((a: { metric: string; light: string }) => `${a.metric}:${a.light}`).sort()).toEqual(
      ['averageWait:red', 'bay:B1:red', 'bay:B2:red', 'comebackRate:red', 'csat:red', 'firstTimeFix:red', 'laborAchievement:yellow', 'utilisation:red'].sort(),
    );

    await hub.close();
    hubs.length = 0;
    const again = await startHub();
    const replayed = await request(again.app).get(BOARD_URL).query({ token: TOKENS.board });
    expect(replayed.status).toBe(200);
    expect({ ...replayed.body, alerts: undefined, terminals: undefined }).toEqual({ ...SCRIPTED_DAY_AT_1800, alerts: undefined, terminals: undefined });
  });

  it('answers a re-sent day with duplicates and applies nothing twice', async () => {
    const hub = await startHub();
    await postDay(hub);
    // scriptedDay() makes new ids on each call: re-send the events as stored.
    const log = await request(hub.app).get(EVENTS_URL).set(bearer(TOKENS.admin)).query({ limit: 1000 });
    const stored: PitwallEvent[] = log.body.events.map((s: { event: PitwallEvent }) => s.event);
    const res = await post(hub, stored);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(stored.map(() => 'duplicate'));
    const board = await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.board));
    expect(board.body.seq).toBe(SCRIPTED_DAY_AT_1800.seq);
    expect(board.body.kpis).toEqual(SCRIPTED_DAY_AT_1800.kpis);
  });

  it('judges each event of a batch on its own, in order, and applies only the accepted ones', async () => {
    const hub = await startHub();
    const clockIn = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' });
    const checkIn = ev('job.checked_in', L('08:05'), { jobId: 'J1', plate: '沪A12345', service: 'maintenance', standardMinutes: 60, customerWaiting: true });
    const res = await post(hub, [
      clockIn,
      { id: 'evt-missing-field', type: 'job.checked_in', at: L('08:01'), jobId: 'J0', plate: 'X', service: 'repair', customerWaiting: false },
      clockIn,
      checkIn,
      ev('job.completed', L('08:06'), { jobId: 'J1', firstTimeFix: true }),
      ev('job.started', L('18:05:30').replace(':30:00', ':30'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
      ev('job.started', L('08:10'), { jobId: 'J1', bayId: 'B1', technicianId: 'T9' }),
      ev('job.started', L('08:10'), { jobId: 'J1', bayId: 'B1', technicianId: 'T1' }),
    ]);
    expect(res.status).toBe(200);
    const results = res.body.results as { id: string; status: string; error?: { code: string; details: { path: string }[] } }[];
    expect(results.map((r) => [r.status, r.error?.code, r.error?.details[0]?.path])).toEqual([
      ['accepted', undefined, undefined],
      ['rejected', 'invalid_event', 'standardMinutes'],
      ['duplicate', undefined, undefined],
      ['accepted', undefined, undefined],
      ['rejected', 'illegal_transition', 'type'],
      ['rejected', 'future_time', 'at'],
      ['rejected', 'unknown_reference', 'technicianId'],
      ['accepted', undefined, undefined],
    ]);
    expect(results[1]!.id).toBe('evt-missing-field');
    const board = (await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.terminal))).body;
    expect(board.seq).toBe(3);
    expect(board.technicians).toEqual({ onShift: 1, busy: 1, idle: 0, onBreak: 0 });
    expect(board.bays[0]).toMatchObject({ bayId: 'B1', jobId: 'J1', state: 'in_progress', technicianId: 'T1' });
  });

  it('lists jobs with their state and predicted start, filtered by state', async () => {
    const hub = await startHub();
    await postDay(hub);
    const all = await request(hub.app).get('/api/v1/workshops/sh-test/jobs').set(bearer(TOKENS.board));
    expect(all.status).toBe(200);
    expect(all.body.jobs.map((j: { jobId: string; state: string }) => `${j.jobId}:${j.state}`)).toEqual([
      'J0:delivered', 'J1:completed', 'J2:delivered', 'J3:in_progress', 'J4:delivered', 'J5:paused', 'J6:waiting', 'J7:waiting',
    ]);
    const waiting = await request(hub.app).get('/api/v1/workshops/sh-test/jobs?state=waiting').set(bearer(TOKENS.board));
    expect(waiting.body.jobs).toHaveLength(2);
    expect(waiting.body.jobs[1]).toMatchObject({
      jobId: 'J7', plate: '沪H77777', service: 'repair', state: 'waiting', bayId: null, technicianId: null,
      checkedInAt: '2026-11-21T07:00:00.000Z', promisedAt: '2026-11-21T09:00:00.000Z', predictedStartAt: '2026-11-21T10:00:00.000Z',
    });
    const j3 = all.body.jobs.find((j: { jobId: string }) => j.jobId === 'J3');
    expect(j3).toMatchObject({ bayId: 'B2', technicianId: 'T2', workedMin: 460, startedAt: '2026-11-21T00:20:00.000Z' });
    expect(j3.predictedStartAt).toBeUndefined();
    const bad = await request(hub.app).get('/api/v1/workshops/sh-test/jobs?state=parked').set(bearer(TOKENS.board));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('bad_request');
  });

  it('serves the day series for the charts', async () => {
    const hub = await startHub();
    await postDay(hub);
    const res = await request(hub.app).get('/api/v1/workshops/sh-test/series').set(bearer(TOKENS.board));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ workshopId: 'sh-test', date: '2026-11-21', stepMin: 15 });
    expect(res.body.waiting.at(-1)).toEqual({ at: '2026-11-21T10:00:00.000Z', count: 2, averageWaitMin: 210 });
  });

  it('serves the lead’s forecast', async () => {
    const hub = await startHub();
    await postDay(hub);
    const res = await request(hub.app).get('/api/v1/workshops/sh-test/forecast').set(bearer(TOKENS.lead));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ workshopId: 'sh-test', onShift: 2, greenLineMin: 45, promisesAtRisk: [{ jobId: 'J7', lateMin: 150 }] });
  });

  it('previews a move for a lead without changing anything', async () => {
    const hub = await startHub();
    await postDay(hub);
    const preview = (token: string, body: object) => request(hub.app).post('/api/v1/workshops/sh-test/forecast/preview').set(bearer(token)).send(body);
    const ok = await preview(TOKENS.lead, { technicianId: 'T1', team: 'repair' });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['after', 'before']);
    expect((await preview(TOKENS.lead, { technicianId: 'T1', team: 'paint' })).body.error.details).toEqual([{ path: 'team', message: 'unknown team paint (known: quick, repair)' }]);
    expect((await preview(TOKENS.lead, { technicianId: 'T1' })).status).toBe(400);
    expect((await preview(TOKENS.terminal, { technicianId: 'T1', team: 'repair' })).status).toBe(403);
    expect((await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.board))).body.seq).toBe(SCRIPTED_DAY_AT_1800.seq);
  });

  it('serves the staffing plan for the coming hours', async () => {
    const hub = await startHub();
    await postDay(hub);
    const res = await request(hub.app).get('/api/v1/workshops/sh-test/staffing?hours=2').set(bearer(TOKENS.lead));
    expect(res.status).toBe(200);
    // One scripted day is less than the week the pattern needs: it says so and estimates no hour.
    expect(res.body).toMatchObject({ workshopId: 'sh-test', onShift: 2, weeksOfHistory: 0, weeksNeeded: 1, hours: [] });
    expect(res.body.historyDays).toBeLessThan(7);
    expect((await request(hub.app).get('/api/v1/workshops/sh-test/staffing?hours=99').set(bearer(TOKENS.lead))).status).toBe(400);
  });

  it('serves the daily layer to leads, for a chosen day', async () => {
    const hub = await startHub();
    await postDay(hub);
    const today = await request(hub.app).get('/api/v1/workshops/sh-test/daily').set(bearer(TOKENS.lead));
    expect(today.status).toBe(200);
    expect(today.body).toMatchObject({ date: '2026-11-21', advisors: [{ advisorId: 'A1', received: 1 }] });
    expect(today.body.problems).toHaveLength(5);
    const before = await request(hub.app).get('/api/v1/workshops/sh-test/daily?date=2026-11-20').set(bearer(TOKENS.lead));
    expect(before.body.technicians.find((t: { technicianId: string }) => t.technicianId === 'T3').jobsCompleted).toBe(1);
    expect((await request(hub.app).get('/api/v1/workshops/sh-test/daily?date=21.11.2026').set(bearer(TOKENS.lead))).status).toBe(400);
    expect((await request(hub.app).get('/api/v1/workshops/sh-test/daily').set(bearer(TOKENS.board))).status).toBe(403);
  });

  it('pages the event log with an opaque cursor, for lead and admin only', async () => {
    const hub = await startHub();
    await postDay(hub);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: request.Response = await request(hub.app)
        .get(EVENTS_URL)
        .set(bearer(TOKENS.lead))
        .query({ limit: 10, ...(cursor !== null && { after: cursor }) });
      expect(res.status).toBe(200);
      for (const s of res.body.events) {
        expect(Object.keys(s).sort()).toEqual(['event', 'receivedAt', 'seq']);
        seen.push(s.seq);
      }
      cursor = res.body.next;
      pages++;
    } while (cursor !== null);
    expect(seen).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(pages).toBe(4);
    expect((await request(hub.app).get(EVENTS_URL).set(bearer(TOKENS.board))).status).toBe(403);
    expect((await request(hub.app).get(EVENTS_URL).set(bearer(TOKENS.terminal))).status).toBe(403);
    expect((await request(hub.app).get(EVENTS_URL).set(bearer(TOKENS.lead)).query({ after: '!!not-a-cursor' })).status).toBe(400);
    expect((await request(hub.app).get(EVENTS_URL).set(bearer(TOKENS.lead)).query({ limit: 0 })).status).toBe(400);
  });

  it('lets a lead acknowledge an active alert, and nobody else', async () => {
    const hub = await startHub();
    await postDay(hub);
    const ack = (metric: string, token: string) => request(hub.app).post(`/api/v1/workshops/sh-test/alerts/${metric}/ack`).set(bearer(token));
    await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.board)); // the board judges the lights
    expect((await ack('averageWait', TOKENS.terminal)).status).toBe(403);
    expect((await ack('bay:B3', TOKENS.lead)).status).toBe(404);
    expect((await ack('averageWait', TOKENS.lead)).body).toEqual({ ok: true });
    const board = await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.board));
    const wait = board.body.alerts.find((a: { metric: string }) => a.metric === 'averageWait');
    expect(wait).toMatchObject({ light: 'red', acknowledgedAt: '2026-11-21T10:00:00.000Z' });
  });

  it('lets a lead reassign staff and refuses it from a terminal, whole request', async () => {
    const hub = await startHub();
    const move = ev('staff.reassigned', L('09:00'), { technicianId: 'T1', team: 'repair' });
    const clockIn = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' });
    const refused = await post(hub, [clockIn, move]);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await request(hub.app).get(BOARD_URL).set(bearer(TOKENS.board))).body.seq).toBe(0);
    const ok = await post(hub, [clockIn, move], TOKENS.lead);
    expect(ok.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
  });

  it('says which store it runs on in /healthz, and counts events in /metrics', async () => {
    const hub = await startHub();
    const res = await request(hub.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', store: harness.kind, version: PITWALL_VERSION });
    await post(hub, [ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }), ev('shift.clock_in', L('08:00'), { technicianId: 'T9' })]);
    const metrics = await request(hub.app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('pitwall_events_total{type="shift.clock_in",result="accepted"} 1');
    expect(metrics.text).toContain('pitwall_events_total{type="shift.clock_in",result="rejected"} 1');
  });

  it('speaks the Socket.IO rows: unauthorized, subscribe, events acked like HTTP, snapshot to another board', async () => {
    const hub = await startHub();
    await new Promise<void>((resolve) => hub.httpServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hub.httpServer.address() as AddressInfo).port}`;
    const open = (token?: string): Socket<ServerToClientEvents, ClientToServerEvents> =>
      connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token && { auth: { token } }) });

    const intruder = open('not-a-token-at-all');
    const refused = await new Promise<Error>((resolve) => intruder.once('connect_error', resolve));
    expect(refused.message).toBe('unauthorized');
    intruder.close();

    const board = open(TOKENS.board);
    const terminal = open(TOKENS.terminal);
    try {
      const sub = await board.timeout(3000).emitWithAck('subscribe', 'sh-test');
      expect(sub.ok && sub.snapshot.seq).toBe(0);
      const seen = new Promise<BoardSnapshot>((resolve) => board.on('snapshot', (s) => s.seq === 2 && resolve(s)));
      const clockIn = ev('shift.clock_in', L('08:00'), { technicianId: 'T1' });
      const ack = await terminal.timeout(3000).emitWithAck('events', {
        workshopId: 'sh-test',
        events: [clockIn, clockIn, ev('job.resumed', L('08:01'), { jobId: 'J404' }), ev('shift.clock_in', L('08:02'), { technicianId: 'T2' })],
      });
      expect('results' in ack && ack.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'duplicate', 'rejected', 'accepted']);
      const snapshot = await seen;
      expect(snapshot.technicians.onShift).toBe(2);
    } finally {
      board.close();
      terminal.close();
    }
  });
});
