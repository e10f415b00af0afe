import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DailyReport } from '../../shared/daily.js';
import type { HistoryResponse } from '../../shared/history.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { TOKENS } from '../fixtures/config.js';
import { L, Y, ev } from '../fixtures/workshop.js';
import { getJson, postAccepted } from '../helpers/e2e.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Issue 12's daily-report items over HTTP, as a service manager meets them: a hub (clock pinned
 * to 18:00 on 2026-11-21) fed the three situations, then /daily, /history and /board read back.
 */
let h: TestHub;
const daily = (date: string) => getJson<DailyReport>(h.url, `/api/v1/workshops/sh-test/daily?date=${date}`, TOKENS.lead);

beforeAll(async () => {
  h = await startTestHub();
  await h.listen();
  await postAccepted(h.url, [
    // Item 11: T1 (quick) in at 08:00, moved to repair at 12:00, out at 14:00.
    ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
  ]);
  // A move is the lead's event.
  await postAccepted(h.url, [ev('staff.reassigned', L('12:00'), { technicianId: 'T1', team: 'repair' })], TOKENS.lead);
  await postAccepted(h.url, [
    ev('shift.clock_out', L('14:00'), { technicianId: 'T1' }),
    // Item 12: completed today at 09:00, surveyed by a tablet whose clock said 22:00 last night.
    ev('job.checked_in', Y('20:00'), { jobId: 'S1', plate: '沪S00001', service: 'maintenance', standardMinutes: 60, customerWaiting: false, advisorId: 'A1' }),
    ev('job.started', L('08:00'), { jobId: 'S1', bayId: 'B3', technicianId: 'T3' }),
    ev('job.completed', L('09:00'), { jobId: 'S1', firstTimeFix: true }),
    ev('survey.submitted', Y('22:00'), { jobId: 'S1', score: 5 }),
    // Item 13: waited for parts from 23:50 to 01:00.
    ev('job.checked_in', Y('22:30'), { jobId: 'P1', plate: '沪P00001', service: 'repair', standardMinutes: 180, customerWaiting: false }),
    ev('job.started', Y('23:00'), { jobId: 'P1', bayId: 'B2', technicianId: 'T2' }),
    ev('job.paused', Y('23:50'), { jobId: 'P1', reason: 'parts' }),
    ev('job.resumed', L('01:00'), { jobId: 'P1' }),
  ]);
});
afterAll(() => h.stop());

describe('GET /daily after the situations of issue 12', () => {
  it('splits team time at a mid-day move, as /history?by=team does (item 11)', async () => {
    const teams = (await daily('2026-11-21')).teams;
    expect(teams.find((t) => t.team === 'quick')).toMatchObject({ attendanceHours: 4 });
    expect(teams.find((t) => t.team === 'repair')).toMatchObject({ attendanceHours: 2 });
    const history = await getJson<HistoryResponse>(h.url, '/api/v1/workshops/sh-test/history?from=2026-11-21&to=2026-11-21&by=team', TOKENS.lead);
    expect(history.rows.map((r) => [r.key, r.sums.attendanceMin]).sort()).toEqual([
      ['quick', 240],
      ['repair', 120],
    ]);
  });

  it('counts a survey dated before its job’s completion on the completion’s day, as the board does (item 12)', async () => {
    const today = await daily('2026-11-21');
    expect(today.advisors.find((a) => a.advisorId === 'A1')!.csat).toMatchObject({ value: 1, sample: 1 });
    expect(today.cx.day.csat).toMatchObject({ value: 1, sample: 1 });
    expect((await daily('2026-11-20')).cx.day.csat.sample).toBe(0);
    const board = await getJson<BoardSnapshot>(h.url, '/api/v1/workshops/sh-test/board', TOKENS.board);
    expect(board.kpis.csat.value).toBe(1);
  });

  it('lists a parts wait across midnight on the day it ends (item 13)', async () => {
    const waits = async (date: string) => (await daily(date)).problems.filter((p) => p.kind === 'paused_long').map((p) => [p.jobId, p.detail]);
    expect(await waits('2026-11-21')).toEqual([['P1', 'waited 70 min for parts']]);
    expect(await waits('2026-11-20')).toEqual([]);
  });
});
