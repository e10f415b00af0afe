import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { parseConfig } from '../../server/config/config-file.js';
import { DEMO_WORKSHOP } from '../../server/config/demo.js';
import { LiveDemo } from '../../server/sim/live-demo.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/** `npm start` with no config: the demo workshop lives today's simulated day on the real clock. */
const ADMIN = 'demo-admin-token-000001';
const config = parseConfig({ workshops: [DEMO_WORKSHOP], tokens: [{ token: ADMIN, role: 'admin', workshops: ['*'] }] }, 'demo test config');

let h: TestHub | undefined;
const demos: LiveDemo[] = [];
afterEach(async () => {
  for (const d of demos.splice(0)) d.stop();
  await h?.stop();
});

describe('the live demo', () => {
  it('plays today up to now at once, then follows the clock, re-sends harmlessly after a restart, and turns the day at midnight', { timeout: 30_000 }, async () => {
    let now = Date.parse('2026-11-21T14:00:00+08:00'); // a Saturday
    h = await startTestHub({ config, clock: () => now });
    const board = async () => (await request(h!.hub.app).get('/api/v1/workshops/demo/board').set('Authorization', `Bearer ${ADMIN}`)).body;
    const live = new LiveDemo({ service: h.hub.service, workshop: config.workshops[0]!, clock: () => now, logger: pino({ level: 'silent' }) });
    demos.push(live);
    live.start();
    let seqAt14 = 0;
    await (async () => {
      for (let i = 0; i < 200 && seqAt14 === 0; i++) {
        seqAt14 = (await board()).seq;
        if (seqAt14 === 0) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    expect(seqAt14).toBeGreaterThan(100);
    const b = await board();
    // The rota: every other technician of the demo workshop.
    expect(b.technicians.onShift + b.technicians.onBreak).toBe(5);
    expect(b.jobs.completedToday).toBeGreaterThan(10);

    // Time passes: more of the day arrives.
    now += 60 * 60_000;
    let later = seqAt14;
    for (let i = 0; i < 100 && later === seqAt14; i++) {
      await new Promise((r) => setTimeout(r, 50));
      later = (await board()).seq;
    }
    expect(later).toBeGreaterThan(seqAt14);

    // A restart plays the same day again: every event is a duplicate, nothing changes.
    live.stop();
    const again = new LiveDemo({ service: h.hub.service, workshop: config.workshops[0]!, clock: () => now, logger: pino({ level: 'silent' }) });
    demos.push(again);
    again.start();
    await new Promise((r) => setTimeout(r, 600));
    expect((await board()).seq).toBe(later);

    // Midnight: Sunday begins with its own day.
    now = Date.parse('2026-11-22T10:00:00+08:00');
    again.roll();
    let sunday = later;
    for (let i = 0; i < 100 && sunday === later; i++) {
      await new Promise((r) => setTimeout(r, 50));
      sunday = (await board()).seq;
    }
    expect(sunday).toBeGreaterThan(later);
    expect((await board()).jobs.completedToday).toBeGreaterThan(0);
  });
});
