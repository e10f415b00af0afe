import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import type { AlertMessage, BoardSnapshot } from '../../shared/snapshot.js';
import { DAY_MS } from '../../shared/time.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev, scriptedDay } from '../fixtures/workshop.js';
import { eventually, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Compaction and the lights belong to the tick (server/workshops/tick.ts), not to whoever
 * reads: alerts fire with no board watching and nobody asking, and reading the board any
 * number of times neither compacts nor moves an alert.
 */

const WS = 'sh-test';
const api = (p: string) => `/api/v1/workshops/${WS}${p}`;

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

/** A hub whose clock the test sets, and every alert it raises. */
async function hub(start: string): Promise<{ h: TestHub; alerts: AlertMessage[]; setClock(at: string): void }> {
  let now = Date.parse(start);
  const h = await startTestHub({ clock: () => now });
  hubs.push(h);
  const alerts: AlertMessage[] = [];
  h.hub.service.onAlert((a) => alerts.push(a));
  return { h, alerts, setClock: (at) => (now = Date.parse(at)) };
}

async function post(h: TestHub, events: PitwallEvent[], token: string = TOKENS.admin): Promise<void> {
  const res = await request(h.hub.app).post(api('/events')).set('Authorization', `Bearer ${token}`).send({ events });
  expect(res.status).toBe(200);
  expect((res.body as { results: { status: string }[] }).results.filter((r) => r.status !== 'accepted')).toEqual([]);
}

const board = async (h: TestHub): Promise<BoardSnapshot> => (await request(h.hub.app).get(api('/board')).set('Authorization', `Bearer ${TOKENS.board}`)).body as BoardSnapshot;

describe('the tick', () => {
  it('fires the alert a change causes with no board and no read', async () => {
    const { h, alerts } = await hub(L('18:00'));
    // Checked in at 16:00, still waiting at the hub's 18:00: 120 min, red (> 90).
    await post(h, [ev('job.checked_in', L('16:00'), { jobId: 'J1', plate: '沪A12345', service: 'repair', standardMinutes: 60, customerWaiting: true })]);
    await eventually(() => alerts.some((a) => a.metric === 'averageWait'), 10_000, 'the averageWait alert');
    expect(alerts.find((a) => a.metric === 'averageWait')).toMatchObject({ workshopId: WS, light: 'red' });
  });

  it('fires the alert that time alone causes, at the tick, with no board and no read', async () => {
    const { h, alerts, setClock } = await hub(L('16:30'));
    await post(h, [ev('job.checked_in', L('16:00'), { jobId: 'J1', plate: '沪A12345', service: 'repair', standardMinutes: 60, customerWaiting: true })]);
    // Judged at 16:30: a 30-minute wait is green, nothing to say.
    await h.hub.service.tick(Date.parse(L('16:30')));
    expect(alerts).toEqual([]);
    setClock(L('18:00'));
    // Nothing has looked since: the wait is 120 minutes, and no alert yet.
    expect(alerts).toEqual([]);
    await h.hub.service.tick(Date.parse(L('18:00')));
    expect(alerts.map((a) => `${a.metric}:${a.light}`)).toEqual(['averageWait:red']);
  });

  it('is not what a read does: a hundred reads leave the same alerts as none', async () => {
    const watched = await hub(L('18:00'));
    const alone = await hub(L('18:00'));
    const day = scriptedDay();
    await post(watched.h, day);
    await post(alone.h, day);
    // Read at later and later times (up to 16 h on): a read that judged the lights at its own time would raise the bays' and waits' alerts of those hours.
    for (let i = 0; i < 100; i++) await watched.h.hub.service.liveSnapshot(WS, Date.parse(L('18:00')) + i * 10 * 60_000);
    for (const { h } of [watched, alone]) await h.hub.service.tick(Date.parse(L('18:00')));
    expect(watched.alerts.map((a) => `${a.metric}:${a.light}`)).toEqual(alone.alerts.map((a) => `${a.metric}:${a.light}`));
    expect((await board(watched.h)).alerts).toEqual((await board(alone.h)).alerts);
    expect(watched.alerts.length).toBeGreaterThan(0);
  });

  it('compacts; reading the board never does', async () => {
    // A job done ten days before today's events: compaction (8 days) drops it, reads keep it.
    const old = (hhmm: string) => new Date(Date.parse(L(hhmm)) - 10 * DAY_MS).toISOString();
    const { h } = await hub(L('18:00'));
    await post(h, [
      ev('job.checked_in', old('09:00'), { jobId: 'J-old', plate: '沪A00001', service: 'repair', standardMinutes: 30, customerWaiting: false }),
      ev('job.cancelled', old('09:10'), { jobId: 'J-old' }),
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
    ]);
    const jobIds = async () => ((await request(h.hub.app).get(api('/jobs')).set('Authorization', `Bearer ${TOKENS.lead}`)).body as { jobs: { jobId: string }[] }).jobs.map((j) => j.jobId);
    for (let i = 0; i < 20; i++) await board(h);
    expect(await jobIds()).toEqual(['J-old']);
    await h.hub.service.tick(Date.parse(L('18:00')));
    expect(await jobIds()).toEqual([]);
  });
});
