import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config/config-file.js';
import type { Hub } from '../../server/hub.js';
import type { EventStore } from '../../server/store/event-store.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';
import { embeddedHarness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/** A damaged battery over HTTP: refused on a normal bay, and the board shows the isolation bay. */

const EVENTS_URL = '/api/v1/workshops/sh-test/events';
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

function isolationConfig() {
  const json = testConfigJson() as { workshops: (typeof SHANGHAI)[] };
  json.workshops[0] = {
    ...SHANGHAI,
    bays: SHANGHAI.bays.map((b) => (b.id === 'B3' ? { ...b, isolation: true } : b)),
    technicians: SHANGHAI.technicians.map((t) => (t.id === 'T2' ? { ...t, highVoltageLevel: 3 } : t)),
  };
  return parseConfig(json, 'isolation test config');
}

describe('damaged battery over HTTP', () => {
  const harness = embeddedHarness();
  const now = Date.parse(L('09:00'));
  let store: EventStore;
  let hub: Hub;

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    await harness.fresh();
    store = await harness.open();
    hub = (await startTestHub({ config: isolationConfig(), store, clock: () => now })).hub;
  });
  afterEach(async () => {
    await hub.close();
    await store.close();
  });

  it('answers rejected / unqualified / bayId for a normal bay, and shows state "isolation" once on the isolation bay', async () => {
    const setup = [
      ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
      ev('job.checked_in', L('08:10'), { jobId: 'DMG1', plate: '沪EV9999', service: 'repair', standardMinutes: 120, customerWaiting: false, damagedBattery: true }),
    ];
    const first = await request(hub.app).post(EVENTS_URL).set(bearer(TOKENS.terminal)).send({ events: setup });
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);

    const wrong = ev('job.started', L('08:20'), { jobId: 'DMG1', bayId: 'B1', technicianId: 'T2' });
    const res = await request(hub.app).post(EVENTS_URL).set(bearer(TOKENS.terminal)).send({ events: [wrong] });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        id: wrong.id,
        status: 'rejected',
        error: {
          code: 'unqualified',
          message: expect.stringContaining('bayId: job DMG1 has a damaged high-voltage battery'),
          details: [{ path: 'bayId', message: expect.stringContaining('isolation bay') }],
        },
      },
    ]);

    const right = ev('job.started', L('08:21'), { jobId: 'DMG1', bayId: 'B3', technicianId: 'T2' });
    expect((await request(hub.app).post(EVENTS_URL).set(bearer(TOKENS.terminal)).send({ events: [right] })).body.results[0].status).toBe('accepted');
    const board = await request(hub.app).get('/api/v1/workshops/sh-test/board').set(bearer(TOKENS.board));
    expect(board.body.bays.find((b: { bayId: string }) => b.bayId === 'B3')).toMatchObject({ state: 'isolation', jobId: 'DMG1', plate: '沪EV9999' });
    const jobs = await request(hub.app).get('/api/v1/workshops/sh-test/jobs').set(bearer(TOKENS.board));
    expect(jobs.body.jobs).toMatchObject([{ jobId: 'DMG1', highVoltage: true, damagedBattery: true, bayId: 'B3' }]);
  });
});
