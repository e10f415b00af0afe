import { describe, expect, it } from 'vitest';
import { dailyReport } from '../../server/engine/daily.js';
import { historyOf } from '../../server/engine/history.js';
import { Projection } from '../../server/engine/projection.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery, type HistoryQuery, type HistoryResponse } from '../../shared/history.js';
import { DAY_MS } from '../../shared/time.js';
import { workshopConfig, type WorkshopConfig } from '../../shared/workshop.js';
import { L, SCRIPTED_DAY_AT_1800, SHANGHAI, Y, ev, scriptedDay } from '../fixtures/workshop.js';

const NOW = Date.parse(L('18:00'));

function history(events: readonly PitwallEvent[], query: Partial<HistoryQuery> & { from: string; to: string }, now = NOW, config: WorkshopConfig = SHANGHAI): HistoryResponse {
  const p = new Projection(config);
  p.apply(events);
  return historyOf(p.rollups, p.state, p.ctx, historyQuery.parse(query), config.id, now);
}
const only = (r: HistoryResponse, label: string, key = 'all') => r.rows.find((row) => row.label === label && row.key === key)!;

describe('history: the scripted day, hand-counted', () => {
  it('gives the day the board’s figures where the definitions agree, and its own where they differ', () => {
    const day = only(history(scriptedDay(), { from: '2026-11-21', to: '2026-11-21' }), '2026-11-21');
    expect(day.start).toBe('2026-11-20T16:00:00.000Z');
    // J2–J7 checked in on the 21st (J1 at 23:50 the evening before); J1, J2, J4 completed.
    expect(day.sums).toMatchObject({ checkedIn: 6, completed: 3, firstTimeFix: 2, standardMin: 135, workedMin: 165, delivered: 2, comebacks: 1, surveys: 3, satisfied: 2, complaints: 0 });
    // Open intervals count up to now, so utilisation is the board's to the digit.
    const k = SCRIPTED_DAY_AT_1800.kpis;
    expect(day.figures.utilisation).toEqual(k.utilisation);
    expect(day.figures.laborAchievement).toEqual(k.laborAchievement);
    expect(day.figures.firstTimeFix).toEqual(k.firstTimeFix);
    expect(day.figures.csat).toEqual(k.csat);
    // Waits as the queue had them: J2 10 min, J4 20 min, J5 120 min (check-in → start).
    expect(day.sums.waits).toEqual([10, 20, 120]);
    expect(day.figures.averageWait).toEqual({ value: 50, light: 'yellow' });
    expect(day.figures.p90WaitMin).toBe(120);
    // J2 85 min and J4 140 min from check-in to delivery.
    expect(day.figures.averageServiceMin).toBe(112.5);
    // One comeback (J4 for J0) against two deliveries inside the day.
    expect(day.figures.comebackRate).toEqual({ value: 0.5, light: 'red' });
  });

  it('splits the night shift at local midnight: the evening before is its own day', () => {
    const r = history(scriptedDay(), { from: '2026-11-20', to: '2026-11-21' });
    expect(r.rows.map((row) => row.label)).toEqual(['2026-11-20', '2026-11-21']);
    // T3 21:00–24:00 attended, J0 80 min in progress; J0 delivered 115 min after check-in.
    expect(only(r, '2026-11-20').sums).toMatchObject({ checkedIn: 2, completed: 1, delivered: 1, serviceMin: 115, attendanceMin: 180, productiveMin: 80 });
  });

  it('adds its hours up to its day, with a row for every hour', () => {
    const hours = history(scriptedDay(), { from: '2026-11-21', to: '2026-11-21', bucket: 'hour' });
    expect(hours.rows).toHaveLength(24);
    expect(hours.rows[8]!.label).toBe('2026-11-21 08:00+08:00');
    const day = only(history(scriptedDay(), { from: '2026-11-21', to: '2026-11-21' }), '2026-11-21');
    const total = (f: 'productiveMin' | 'attendanceMin' | 'checkedIn') => Math.round(hours.rows.reduce((a, r) => a + r.sums[f], 0) * 100) / 100;
    expect(total('productiveMin')).toBe(day.sums.productiveMin);
    expect(total('attendanceMin')).toBe(day.sums.attendanceMin);
    expect(total('checkedIn')).toBe(6);
    // 08:00–09:00: T1 and T2 both clocked in all hour; J2 from 08:15, J3 from 08:20.
    expect(hours.rows[8]!.sums).toMatchObject({ attendanceMin: 120, productiveMin: 85, checkedIn: 2 });
  });

  it('cuts by technician as the daily layer does, and charges a comeback to the original technician', () => {
    const r = history(scriptedDay(), { from: '2026-11-21', to: '2026-11-21', by: 'technician' });
    const daily = dailyReport(scriptedDay(), SHANGHAI, '2026-11-21', NOW);
    for (const t of daily.technicians) expect(only(r, '2026-11-21', t.technicianId).figures.utilisation.value).toBe(t.utilisation.value);
    expect(only(r, '2026-11-21', 'T3').sums.comebacks).toBe(1);
    expect(only(r, '2026-11-21', 'T1').sums).toMatchObject({ completed: 2, comebacks: 0 });
  });

  it('cuts by service, advisor, team, weekday or weekend, and new or returning customer', () => {
    const by = (b: HistoryQuery['by']) => history(scriptedDay(), { from: '2026-11-21', to: '2026-11-21', by: b });
    expect(only(by('service'), '2026-11-21', 'maintenance').sums.checkedIn).toBe(2);
    expect(only(by('advisor'), '2026-11-21', 'A1').sums).toMatchObject({ checkedIn: 1, completed: 1, surveys: 1, satisfied: 1 });
    expect(only(by('team'), '2026-11-21', 'repair').sums.attendanceMin).toBeGreaterThan(0);
    // The 21st is a Saturday.
    expect(by('daytype').rows.map((row) => row.key)).toEqual(['weekend']);
    const again = [...scriptedDay(), ev('job.checked_in', L('17:30'), { jobId: 'J8', plate: '沪C22222', service: 'repair', standardMinutes: 30, customerWaiting: false })];
    const customers = history(again, { from: '2026-11-21', to: '2026-11-21', by: 'customer' });
    expect(only(customers, '2026-11-21', 'returning').sums.checkedIn).toBe(1);
    expect(only(customers, '2026-11-21', 'new').sums.checkedIn).toBe(6);
  });

  it('gives a reassigned technician’s hours to the team he was in at the time', () => {
    const moved = [...scriptedDay(), ev('staff.reassigned', L('12:00'), { technicianId: 'T1', team: 'repair' })];
    const before = only(history(scriptedDay(), { from: '2026-11-21', to: '2026-11-21', by: 'team' }), '2026-11-21', 'repair').sums.attendanceMin;
    const r = history(moved, { from: '2026-11-21', to: '2026-11-21', by: 'team' });
    // T1 08:00–12:00 less his 20-minute break in quick, 12:00–18:00 in repair.
    expect(only(r, '2026-11-21', 'quick').sums.attendanceMin).toBe(220);
    expect(only(r, '2026-11-21', 'repair').sums.attendanceMin).toBe(before + 360);
  });

  it('folds hours onto the hour of the day and days onto the day of the week', () => {
    const twoDays = [...simulateDay({ config: SHANGHAI, date: '2026-11-18', seed: 3 }), ...simulateDay({ config: SHANGHAI, date: '2026-11-19', seed: 4 })];
    const now = Date.parse('2026-11-20T12:00:00+08:00');
    const folded = history(twoDays, { from: '2026-11-18', to: '2026-11-19', bucket: 'hour', fold: 'hourOfDay' }, now);
    const hourly = history(twoDays, { from: '2026-11-18', to: '2026-11-19', bucket: 'hour' }, now);
    const nine = hourly.rows.filter((r) => r.label.endsWith(' 09:00+08:00'));
    expect(nine).toHaveLength(2);
    expect(only(folded, '9').sums.checkedIn).toBe(nine[0]!.sums.checkedIn + nine[1]!.sums.checkedIn);
    const week = history(twoDays, { from: '2026-11-18', to: '2026-11-19', fold: 'dayOfWeek' }, now);
    expect(week.rows.map((r) => r.label)).toEqual(['3', '4']);
  });
});

describe('history across a daylight-saving change (Europe/Berlin, clocks back on 2026-10-25)', () => {
  const BERLIN = workshopConfig.parse({ ...SHANGHAI, id: 'be-test', timezone: 'Europe/Berlin' });
  const events: PitwallEvent[] = [
    // 23:30 on the 24th (+02:00) to 00:30 on the 25th: half an hour on each side of midnight.
    ev('shift.clock_in', '2026-10-24T23:00:00+02:00', { technicianId: 'T1' }),
    ev('job.checked_in', '2026-10-24T23:20:00+02:00', { jobId: 'N1', plate: 'B-AB123', service: 'repair', standardMinutes: 60, customerWaiting: false }),
    ev('job.started', '2026-10-24T23:30:00+02:00', { jobId: 'N1', bayId: 'B1', technicianId: 'T1' }),
    ev('job.completed', '2026-10-25T00:30:00+02:00', { jobId: 'N1', firstTimeFix: true }),
    // Clocked out at 04:00 winter time: five real hours after midnight, not four.
    ev('shift.clock_out', '2026-10-25T04:00:00+01:00', { technicianId: 'T1' }),
  ];
  const now = Date.parse('2026-10-26T12:00:00+01:00');

  it('gives the 25th 25 hours, two of them 02:00, and five hours of attendance', () => {
    const hours = history(events, { from: '2026-10-25', to: '2026-10-25', bucket: 'hour' }, now, BERLIN);
    expect(hours.rows).toHaveLength(25);
    expect(hours.rows.filter((r) => r.label.includes(' 02:00')).map((r) => r.label)).toEqual(['2026-10-25 02:00+02:00', '2026-10-25 02:00+01:00']);
    const days = history(events, { from: '2026-10-24', to: '2026-10-25' }, now, BERLIN);
    expect(only(days, '2026-10-24').sums).toMatchObject({ attendanceMin: 60, productiveMin: 30, checkedIn: 1 });
    expect(only(days, '2026-10-25').sums).toMatchObject({ attendanceMin: 300, productiveMin: 30, completed: 1 });
  });

  it('gives the 29th of March 23 hours', () => {
    const spring = history([], { from: '2026-03-29', to: '2026-03-29', bucket: 'hour' }, now, BERLIN);
    expect(spring.rows).toHaveLength(23);
    expect(spring.rows.some((r) => r.label.includes(' 02:00'))).toBe(false);
  });
});

describe('roll-ups kept live equal roll-ups rebuilt from the log', () => {
  it('after two weeks of simulated days applied batch by batch with compaction in between', () => {
    const days: PitwallEvent[] = [];
    for (let d = 0; d < 14; d++) {
      const date = new Date(Date.parse('2026-11-01T12:00:00Z') + d * DAY_MS).toISOString().slice(0, 10);
      days.push(...simulateDay({ config: SHANGHAI, date, seed: 100 + d, arrivalFactor: d % 7 >= 5 ? 2.1 : 1 }));
    }
    days.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const now = Date.parse('2026-11-15T12:00:00+08:00');
    const live = new Projection(SHANGHAI);
    for (let i = 0; i < days.length; i += 7) {
      const batch = days.slice(i, i + 7);
      // Judged as a live hub would, on the day they happen (older events are refused as too_old).
      const verdicts = live.judge(batch.map((event) => ({ ok: true as const, event })), Date.parse(batch.at(-1)!.at));
      live.apply(verdicts.flatMap((v) => (v.status === 'accepted' ? [v.event] : [])));
      live.compact(Date.parse(batch.at(-1)!.at));
    }
    const rebuilt = new Projection(SHANGHAI);
    rebuilt.apply(days);
    expect(live.skippedOnReplay + rebuilt.skippedOnReplay).toBe(0);
    expect(live.seq).toBe(days.length);
    for (const q of [
      { from: '2026-11-01', to: '2026-11-14' },
      { from: '2026-11-01', to: '2026-11-14', by: 'technician' as const },
      { from: '2026-11-08', to: '2026-11-14', bucket: 'hour' as const, by: 'service' as const },
    ]) {
      const parsed = historyQuery.parse(q);
      expect(historyOf(live.rollups, live.state, live.ctx, parsed, 'sh-test', now)).toEqual(historyOf(rebuilt.rollups, rebuilt.state, rebuilt.ctx, parsed, 'sh-test', now));
    }
    // Compaction dropped the first week's jobs from the projection, not from history.
    const first = historyOf(live.rollups, live.state, live.ctx, historyQuery.parse({ from: '2026-11-02', to: '2026-11-02' }), 'sh-test', now);
    expect(first.rows[0]!.sums.completed).toBeGreaterThan(20);
  });
});

describe('a year of history in days, the last five weeks in hours', () => {
  it('folds hours older than 35 days into their day, and answers day queries as before', () => {
    const days: PitwallEvent[] = [];
    for (let d = 0; d < 45; d++) {
      const date = new Date(Date.parse('2026-10-01T12:00:00Z') + d * DAY_MS).toISOString().slice(0, 10);
      days.push(...simulateDay({ config: SHANGHAI, date, seed: 300 + d }));
    }
    const now = Date.parse('2026-11-15T12:00:00+08:00');
    const live = new Projection(SHANGHAI);
    live.apply(days);
    const rebuilt = new Projection(SHANGHAI);
    rebuilt.apply(days);
    live.compact(now);
    const oldest = Math.min(...live.rollups.hours.keys());
    expect(oldest).toBeGreaterThanOrEqual(now - 35 * DAY_MS - 3_600_000);
    expect(live.rollups.days.size).toBeGreaterThan(5);
    for (const q of [{ from: '2026-10-01', to: '2026-11-14' }, { from: '2026-10-01', to: '2026-11-14', by: 'team' as const }, { from: '2026-10-01', to: '2026-11-14', fold: 'dayOfWeek' as const }]) {
      const parsed = historyQuery.parse(q);
      expect(historyOf(live.rollups, live.state, live.ctx, parsed, 'sh-test', now)).toEqual(historyOf(rebuilt.rollups, rebuilt.state, rebuilt.ctx, parsed, 'sh-test', now));
    }
  });
});

describe('history queries a user gets wrong', () => {
  const bad = (q: Record<string, unknown>) => {
    const r = historyQuery.safeParse(q);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  it('names the field and the problem', () => {
    expect(bad({ from: '2026-11-01', to: '2026-10-01' })).toEqual(['to: must not be before from']);
    expect(bad({ from: '2026-01-01', to: '2026-03-01', bucket: 'hour' })).toEqual(['to: a hour query spans at most 31 days']);
    expect(bad({ from: '21/11/2026', to: '2026-11-21' })[0]).toMatch(/^from: must be a date as YYYY-MM-DD/);
    expect(bad({ from: '2026-11-01', to: '2026-11-02', by: 'colour' })[0]).toMatch(/^by: must be one of technician/);
    expect(bad({ from: '2026-11-01', to: '2026-11-02', fold: 'hourOfDay' })).toEqual(['fold: hourOfDay needs bucket=hour']);
    expect(bad({ from: '2026-11-01', to: '2026-11-02', colour: 'red' })[0]).toMatch(/colour/);
  });
  it('keeps a year of days', () => {
    expect(bad({ from: '2025-10-01', to: '2026-11-04' })).toEqual([]);
  });
});
