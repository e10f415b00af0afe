import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { incomingEvent } from '../../shared/events.js';
import { boardSnapshot, MAX_LISTED_ALERTS, MAX_LISTED_FLAGS, SNAPSHOT_MAX_BYTES, type BoardSnapshot } from '../../shared/snapshot.js';
import type { SubscribeAck } from '../../shared/socket.js';
import { MAX_ADVISORS, MAX_BAYS, MAX_TECHNICIANS, MAX_TERMINALS } from '../../shared/workshop.js';
import { parseConfig } from '../../server/config/config-file.js';
import { TOKENS } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';
import { connected, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The worst board snapshot a client can make (docs/api.md, "Snapshot size"): the largest
 * workshop the config allows, with ids at their longest; every bay holding a job that overran
 * and has been paused for hours (a red bay, an alert and two flags each) with the plate that
 * costs the most bytes of JSON; every technician still clocked in after closing; every alert
 * acknowledged; the terminal registry full of terminals with the longest ids. Its JSON, as the
 * board receives it over HTTP and over the socket, stays within SNAPSHOT_MAX_BYTES.
 */
const NOW = Date.parse(L('23:00'));
const long = (prefix: string, i: number) => `${prefix}${String(i).padStart(4, '0')}`.padEnd(64, 'x');
const WS = long('W', 0);
const bays = Array.from({ length: MAX_BAYS }, (_, i) => long('B', i));
const technicians = Array.from({ length: MAX_TECHNICIANS }, (_, i) => long('T', i));
const advisors = Array.from({ length: MAX_ADVISORS }, (_, i) => long('A', i));
const jsonBytes = (s: unknown) => Buffer.byteLength(JSON.stringify(s));

/** The check-in fields the schema accepts that cost the most JSON: escaped control characters, lone surrogates, quotes, CJK. */
const checkInProbe = (plate: string, standardMinutes: number) => ({ id: 'probe-0000', type: 'job.checked_in', at: L('08:00'), jobId: 'J', plate, service: 'diagnosis', standardMinutes, customerWaiting: true });
const PLATE = ['\u0001'.repeat(16), '\ud800'.repeat(16), '"'.repeat(16), '沪'.repeat(16), 'W'.repeat(16)]
  .sort((a, b) => jsonBytes(b) - jsonBytes(a))
  .find((p) => incomingEvent.safeParse(checkInProbe(p, 60)).success)!;
/** The most digits a standard time can show, as small as the schema allows so every job overruns. */
const STANDARD = [1.0000000000000002, 5.000000000000001, 10.000000000000002].find((m) => incomingEvent.safeParse(checkInProbe('W', m)).success)!;

let seq = 0;
const event = (type: string, at: string, fields: Record<string, unknown>) => ({ id: long(`E${type.replace(/\W/g, '')}`, seq++), type, at, ...fields });

const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

describe('board snapshot size', () => {
  it(`stays within ${SNAPSHOT_MAX_BYTES} bytes for the worst case a client can make`, { timeout: 120_000 }, async () => {
    const config = parseConfig(
      {
        workshops: [
          {
            id: WS,
            name: 'The largest workshop allowed',
            timezone: 'Asia/Shanghai',
            hours: { open: '08:00', close: '18:00' },
            bays: bays.map((id, i) => ({ id, name: `Bay ${i}` })),
            technicians: technicians.map((id, i) => ({ id, name: `Technician ${i}` })),
            advisors: advisors.map((id, i) => ({ id, name: `Advisor ${i}` })),
          },
        ],
        tokens: [
          { token: TOKENS.admin, role: 'admin', workshops: ['*'] },
          { token: TOKENS.board, role: 'board', workshops: ['*'] },
        ],
      },
      'worst case',
    );
    const h = await startTestHub({ config, clock: () => NOW, rateLimitPerMinute: 1_000_000_000 });
    hubs.push(h);
    await h.listen();
    const api = (path: string) => `/api/v1/workshops/${WS}${path}`;
    const post = async (events: unknown[]) => {
      const res = await request(h.hub.app).post(api('/events')).set('Authorization', `Bearer ${TOKENS.admin}`).send({ events });
      expect(res.status).toBe(200);
      expect((res.body as { results: { status: string; error?: unknown }[] }).results.filter((r) => r.status !== 'accepted')).toEqual([]);
    };
    const board = async () => {
      const res = await request(h.hub.app).get(api('/board')).set('Authorization', `Bearer ${TOKENS.board}`);
      expect(res.status).toBe(200);
      return { snapshot: res.body as BoardSnapshot, bytes: Buffer.byteLength(res.text) };
    };

    await post(technicians.map((technicianId) => event('shift.clock_in', L('08:00'), { technicianId })));
    // A job per bay and as many waiting: the longest ids, the costliest plate, the most digits.
    const jobs = Array.from({ length: 2 * MAX_BAYS }, (_, i) => long('J', i));
    await post(jobs.map((jobId, i) => event('job.checked_in', L('08:01'), { jobId, plate: PLATE, service: 'diagnosis', standardMinutes: STANDARD, customerWaiting: true, advisorId: advisors[i % MAX_ADVISORS] })));
    await post(bays.map((bayId, i) => event('job.started', L('08:05'), { jobId: jobs[i], bayId, technicianId: technicians[i] })));
    await post(bays.map((_, i) => event('job.paused', L('12:00'), { jobId: jobs[i], reason: 'approval' })));

    // The first look raises the alerts; acknowledging them all makes each one longer.
    await board();
    for (const metric of ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait', ...bays.map((b) => `bay:${b}`)]) {
      await request(h.hub.app).post(api(`/alerts/${encodeURIComponent(metric)}/ack`)).set('Authorization', `Bearer ${TOKENS.admin}`);
    }

    // The registry filled past its cap with the longest ids, each at a bay with the longest id.
    const terminal = h.client(TOKENS.admin);
    await connected(terminal);
    for (let i = 0; i < 2 * MAX_TERMINALS; i++) {
      expect(await terminal.timeout(5000).emitWithAck('terminal:hello', { workshopId: WS, terminalId: long('tablet', i), bayId: bays[i % MAX_BAYS]! })).toEqual({ ok: true });
    }

    const { snapshot, bytes } = await board();
    // It is the worst case: everything at its largest.
    expect(snapshot.bays).toHaveLength(MAX_BAYS);
    expect(snapshot.bays.every((b) => b.plate === PLATE && b.light === 'red' && b.jobId !== null)).toBe(true);
    expect(snapshot.terminals).toHaveLength(MAX_TERMINALS);
    expect(snapshot.alerts).toHaveLength(MAX_LISTED_ALERTS);
    expect(snapshot.alerts.every((a) => a.acknowledgedAt !== null)).toBe(true);
    expect(snapshot.alertsNotListed! + MAX_LISTED_ALERTS).toBeGreaterThanOrEqual(MAX_BAYS);
    expect(snapshot.flags).toHaveLength(MAX_LISTED_FLAGS);
    // Two flags per bay (overran, paused for hours), one per technician (still in after closing).
    expect(snapshot.flagsNotListed).toBe(2 * MAX_BAYS + MAX_TECHNICIANS - MAX_LISTED_FLAGS);
    expect(bytes).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
    expect(boardSnapshot.safeParse(snapshot).success).toBe(true);

    // And as a board receives it over the socket.
    const tv = h.client(TOKENS.board);
    await connected(tv);
    const ack: SubscribeAck = await tv.timeout(5000).emitWithAck('subscribe', WS);
    expect(ack.ok).toBe(true);
    expect(jsonBytes(ack.ok && ack.snapshot)).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES);
  });
});
