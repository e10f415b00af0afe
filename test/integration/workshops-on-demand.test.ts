import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import type { Hub } from '../../server/hub.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import type { EventStore } from '../../server/store/event-store.js';
import { MINUTE_MS } from '../../shared/time.js';
import { SHANGHAI } from '../fixtures/workshop.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { startTestHub } from '../helpers/test-hub.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Workshops are opened when something first asks for them and closed when idle: start-up
 * opens none, whatever the config lists; a request that is refused opens nothing; an idle
 * workshop with no car on its floor closes (its checkpoint saved) and opens again from it.
 */
const COUNT = 200;
const ids = Array.from({ length: COUNT }, (_, i) => `ws-${String(i).padStart(3, '0')}`);
const BOARD = 'board-token-all-00001';
const TERMINAL = 'terminal-token-ws-000';
const config = () =>
  parseConfig(
    {
      workshops: ids.map((id) => ({ ...SHANGHAI, id, name: `Workshop ${id}` })),
      tokens: [
        { token: BOARD, role: 'board', workshops: ['*'] },
        { token: TERMINAL, role: 'terminal', workshops: ['ws-000', 'ws-001'] },
      ],
    },
    'on-demand test config',
  );

describe('workshops on demand', () => {
  let hub: Hub | null = null;
  let store: EventStore | null = null;
  const dirs: string[] = [];
  afterEach(async () => {
    await hub?.close();
    await store?.close();
    hub = store = null;
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const tempDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-ondemand-'));
    dirs.push(dir);
    return dir;
  };

  async function start(dir: string, now: () => number) {
    store = await EmbeddedEventStore.open(dir);
    const { logger, lines } = capturingLogger('info');
    hub = (await startTestHub({ store, config: config(), clock: now, logger, rateLimitPerMinute: 1_000_000, idleCloseMs: 15 * MINUTE_MS })).hub;
    const logged = (msg: string) => lines.map((l) => JSON.parse(l) as { msg: string; workshopId?: string; replayed?: number }).filter((l) => l.msg === msg);
    return { hub, logged };
  }
  const board = (h: Hub, id: string, token = BOARD) => request(h.app).get(`/api/v1/workshops/${id}/board`).set('Authorization', `Bearer ${token}`);

  it('opens none at start, each when asked, nothing for a refusal, and closes the idle ones', async () => {
    const dir = await tempDir();
    let now = Date.parse('2026-11-20T10:00:00+08:00');
    const { hub: h, logged } = await start(dir, () => now);
    expect(logged('workshop replayed')).toEqual([]);

    expect((await board(h, 'ws-007')).status).toBe(200);
    expect(logged('workshop replayed').map((l) => l.workshopId)).toEqual(['ws-007']);
    // Refused before anything is opened: an unknown workshop, a token of other workshops.
    expect((await board(h, 'nowhere')).status).toBe(404);
    expect((await request(h.app).get('/api/v1/workshops/ws-009/board').set('Authorization', `Bearer ${TERMINAL}`)).status).toBe(403);
    expect(logged('workshop replayed').map((l) => l.workshopId)).toEqual(['ws-007']);

    // ws-000 gets a day of events, with a car still waiting at the end.
    const day = simulateDay({ config: { ...SHANGHAI, id: 'ws-000' }, date: '2026-11-20', seed: 5 }).filter((e) => Date.parse(e.at) <= now);
    const res = await request(h.app).post('/api/v1/workshops/ws-000/events').set('Authorization', `Bearer ${TERMINAL}`).send({ events: day.slice(0, 250) });
    expect(res.status).toBe(200);
    const waiting = { id: 'still-waiting-1', type: 'job.checked_in', at: new Date(now).toISOString(), jobId: 'W-1', plate: '沪A00001', service: 'maintenance', standardMinutes: 30, customerWaiting: true };
    expect((await request(h.app).post('/api/v1/workshops/ws-000/events').set('Authorization', `Bearer ${TERMINAL}`).send({ events: [waiting] })).body.results[0].status).toBe('accepted');
    const before = (await board(h, 'ws-000')).body;

    now += 16 * MINUTE_MS;
    await h.service.tick(now);
    // ws-007 was idle with nobody on its floor: closed. ws-000 has a car waiting: stays open.
    expect(logged('workshop closed').map((l) => l.workshopId)).toEqual(['ws-007']);

    // Opened again from its checkpoint: nothing to replay.
    expect((await board(h, 'ws-007')).status).toBe(200);
    expect(logged('workshop replayed').filter((l) => l.workshopId === 'ws-007').map((l) => l.replayed)).toEqual([0, 0]);
    expect((await board(h, 'ws-000')).body.seq).toBe(before.seq);
  });

  it('a hub restarted on a thousand-event log answers the first board from the checkpoint', async () => {
    const dir = await tempDir();
    const now = Date.parse('2026-11-20T18:00:00+08:00');
    const first = await start(dir, () => now);
    const day = simulateDay({ config: { ...SHANGHAI, id: 'ws-001' }, date: '2026-11-20', seed: 9 }).filter((e) => Date.parse(e.at) <= now);
    for (let at = 0; at < day.length; at += 250) {
      expect((await request(first.hub.app).post('/api/v1/workshops/ws-001/events').set('Authorization', `Bearer ${TERMINAL}`).send({ events: day.slice(at, at + 250) })).status).toBe(200);
    }
    const live = (await board(first.hub, 'ws-001')).body;
    await hub!.close();
    await store!.close();
    const second = await start(dir, () => now);
    const cold = (await board(second.hub, 'ws-001')).body;
    expect(second.logged('workshop replayed')).toMatchObject([{ workshopId: 'ws-001', replayed: 0 }]);
    expect({ ...cold, alerts: [] }).toEqual({ ...live, alerts: [] });
  });
});
