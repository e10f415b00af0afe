import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
import { historyQuery } from '../../shared/history.js';
import { localDate } from '../../shared/time.js';
import { workshopConfig, type WorkshopConfig } from '../../shared/workshop.js';
import { historyOf } from '../../server/engine/history.js';
import { DEFAULT_MAX_EVENT_AGE_MS, Projection } from '../../server/engine/projection.js';
import { ROLLUP_RETENTION_MS } from '../../server/engine/rollups.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { staffingPlan } from '../../server/engine/staffing-plan.js';
import { parseEvent } from '../../server/workshops/parse.js';
import { SHANGHAI } from '../fixtures/workshop.js';

/**
 * Issue 11, item 1: a clock-in dated 1970 and a clock-out now made the next board fold 57 years
 * of hourly roll-ups on the event loop (56–100 s, 4 GB). New events that old are refused
 * (`too_old`), and whatever an old log holds, what a board, a compaction, a history query or a
 * forecast costs is bounded by the retention window and the events, never by how long an
 * interval is.
 */

const DAY = 86_400_000;
/**
 * What every view together may take, generous for a loaded CI machine (they take 0.1–0.5 s
 * here): the fixed code is bounded by buckets (checked exactly below), the old one took 56–274 s.
 */
const VIEW_BOUND_MS = 15_000;
const MIN = 60_000;
/** A Sunday in Berlin, the night clocks went back: two 02:00 hours. */
const NOW = Date.parse('2026-10-25T12:00:00+01:00');
const BERLIN: WorkshopConfig = workshopConfig.parse({ ...SHANGHAI, id: 'be-test', name: 'Berlin test', timezone: 'Europe/Berlin' });

/** Instants an attacker (or an old log) might carry. */
const INSTANTS = [
  0, // the epoch
  Date.parse('1800-01-01T00:00:00Z'),
  Date.parse('2000-02-29T23:59:59Z'),
  NOW - 3 * 365 * DAY, // a log three years old
  NOW - 400 * DAY,
  NOW - 15 * DAY,
  Date.parse('2026-03-29T01:00:00Z'), // Berlin springs forward
  Date.parse('2026-10-25T00:59:59Z'), // … falls back
  Date.parse('2026-10-25T01:00:00Z'),
  NOW - DAY,
  NOW - 1,
  NOW + 4 * MIN + 59_000, // inside the 5-minute rule
];

let n = 0;
const id = () => `adv-${String(++n).padStart(8, '0')}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** An old log: per technician a clock-in at one instant, breaks, maybe a clock-out at another; a job running since another. */
function oldLog(plan: { tech: string; from: number; to: number | null; breaks: number }[], jobSince: number | null): PitwallEvent[] {
  const log: PitwallEvent[] = [];
  for (const p of plan) {
    log.push({ id: id(), type: 'shift.clock_in', at: iso(p.from), technicianId: p.tech });
    for (let b = 0; b < p.breaks; b++) {
      log.push({ id: id(), type: 'shift.break_start', at: iso(p.from + b * 2), technicianId: p.tech });
      log.push({ id: id(), type: 'shift.break_end', at: iso(p.from + b * 2 + 1), technicianId: p.tech });
    }
    if (p.to !== null) log.push({ id: id(), type: 'shift.clock_out', at: iso(p.to), technicianId: p.tech });
  }
  if (jobSince !== null) {
    log.push({ id: id(), type: 'job.checked_in', at: iso(jobSince), jobId: 'J-old', plate: 'OLD 1970', service: 'repair', standardMinutes: 60, customerWaiting: true });
    log.push({ id: id(), type: 'job.started', at: iso(jobSince), jobId: 'J-old', bayId: 'B2', technicianId: 'T2' });
  }
  return log;
}

/** Everything a hub computes for a workshop: what the board, the lead console and the reports ask for. */
function everyView(p: Projection, config: WorkshopConfig, log: readonly PitwallEvent[], now: number): number {
  const started = performance.now();
  p.compact(now);
  p.figures(now);
  p.jobs(now);
  workshopForecast(p.state, p.ctx, now);
  staffingPlan(p.arrivals, p.state, p.ctx, now);
  const to = localDate(now, config.timezone);
  const from = localDate(now - 399 * DAY, config.timezone);
  historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from, to, bucket: 'day', by: 'technician' }), config.id, now);
  historyOf(p.rollups, p.state, p.ctx, historyQuery.parse({ from: localDate(now - 30 * DAY, config.timezone), to, bucket: 'hour' }), config.id, now);
  return performance.now() - started;
}

/** What the roll-ups may hold at most: 35 days of hours (plus DST's extra ones), the retention window in days. */
function expectBoundedRollups(p: Projection, now: number): void {
  expect(p.rollups.hours.size).toBeLessThanOrEqual(36 * 25);
  expect(p.rollups.days.size).toBeLessThanOrEqual(ROLLUP_RETENTION_MS / DAY + 2);
  expect(p.rollups.timeSince(p.state, now).size).toBeLessThanOrEqual(ROLLUP_RETENTION_MS / (60 * MIN) + 50);
}

describe('a new event dated long ago is refused as too_old', () => {
  const clockIn = (at: number) => ({ ok: true as const, event: { id: id(), type: 'shift.clock_in' as const, at: iso(at), technicianId: 'T1' } });

  it('refuses the 1970 clock-in of the attack, naming `at`, and leaves the state as it was', () => {
    const p = new Projection(SHANGHAI);
    const [verdict] = p.judge([clockIn(0)], NOW);
    expect(verdict).toMatchObject({ status: 'rejected', result: { error: { code: 'too_old', details: [{ path: 'at' }] } } });
    expect(p.seq).toBe(0);
  });

  it('takes an offline terminal’s tap inside the window (default 14 days) and refuses one just outside it', () => {
    const p = new Projection(SHANGHAI);
    expect(p.judge([clockIn(NOW - DEFAULT_MAX_EVENT_AGE_MS + 1000)], NOW)[0]!.status).toBe('accepted');
    expect(p.judge([clockIn(NOW - DEFAULT_MAX_EVENT_AGE_MS - 1000)], NOW)[0]).toMatchObject({ status: 'rejected', result: { error: { code: 'too_old' } } });
  });

  it('follows the configured window', () => {
    const p = new Projection(SHANGHAI, { maxEventAgeMs: 2 * DAY });
    expect(p.judge([clockIn(NOW - 3 * DAY)], NOW)[0]).toMatchObject({ status: 'rejected', result: { error: { code: 'too_old' } } });
    expect(p.judge([clockIn(NOW - DAY)], NOW)[0]!.status).toBe('accepted');
  });

  it('still replays an old log that holds such events (the log is the truth)', () => {
    const p = new Projection(SHANGHAI);
    p.apply(oldLog([{ tech: 'T1', from: 0, to: null, breaks: 0 }], null));
    expect(p.skippedOnReplay).toBe(0);
    expect(p.state.technicians.get('T1')!.status).toBe('on_shift');
  });
});

describe('what a board costs is bounded by the retention window, whatever the timestamps', () => {
  it('the attack as replayed from an old log: on shift since 1970 and 1800, clocked out now', { timeout: 120_000 }, () => {
    for (const config of [SHANGHAI, BERLIN]) {
      const log = oldLog(
        [
          { tech: 'T1', from: 0, to: NOW - MIN, breaks: 0 },
          { tech: 'T2', from: Date.parse('1800-01-01T00:00:00Z'), to: null, breaks: 3 },
        ],
        0,
      );
      const p = new Projection(config);
      p.apply(log);
      // Before the fix this call did not return within the test's 30 s (56–274 s measured).
      expect(everyView(p, config, log, NOW)).toBeLessThan(VIEW_BOUND_MS);
      expectBoundedRollups(p, NOW);
      // The figures still see today: T2 is on shift, the 1970 job is running and on the board.
      expect(p.figures(NOW).technicians.onShift).toBe(1);
      expect(p.figures(NOW).bays.find((b) => b.bayId === 'B2')!.jobId).toBe('J-old');
    }
  });

  it('holds for random old logs of adversarial instants, then for a week of live taps on top', () => {
    const instant = fc.constantFrom(...INSTANTS);
    const techPlan = fc.record({
      tech: fc.constantFrom('T1', 'T2', 'T3'),
      from: instant,
      to: fc.option(instant, { nil: null }),
      breaks: fc.nat({ max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(techPlan, { selector: (p) => p.tech, minLength: 1, maxLength: 3 }),
        fc.option(instant, { nil: null }),
        fc.constantFrom(SHANGHAI, BERLIN),
        fc.array(fc.tuple(fc.constantFrom('T1', 'T2', 'T3'), fc.integer({ min: -16 * DAY, max: 5 * MIN })), { maxLength: 30 }),
        (plan, jobSince, config, taps) => {
          const log = oldLog(
            plan.map((p) => ({ ...p, to: p.to !== null && p.to >= p.from ? p.to : null })),
            jobSince,
          );
          const p = new Projection(config);
          p.apply(log);
          expect(everyView(p, config, log, NOW)).toBeLessThan(VIEW_BOUND_MS);
          expectBoundedRollups(p, NOW);
          // Live taps around the clock: what the window allows goes in, the rest is refused.
          for (const [tech, offset] of taps) {
            const type = p.state.technicians.get(tech)!.status === 'off' ? ('shift.clock_in' as const) : ('shift.clock_out' as const);
            const trial = p.begin([{ ok: true, event: { id: id(), type, at: iso(NOW + offset), technicianId: tech } }], NOW);
            const v = trial.verdicts[0]!;
            if (offset < -DEFAULT_MAX_EVENT_AGE_MS) expect(v).toMatchObject({ status: 'rejected', result: { error: { code: 'too_old' } } });
            trial.commit();
          }
          expect(everyView(p, config, log, NOW + DAY)).toBeLessThan(VIEW_BOUND_MS);
          expectBoundedRollups(p, NOW + DAY);
        },
      ),
      { numRuns: 15, seed: 11 },
    );
  }, 120_000);
});

describe('a standard time below a minute (issue 11, item 12)', () => {
  it('is refused for a new event and read as one minute from an old log, so no light says "Infinity %"', () => {
    const tiny = { id: id(), type: 'job.checked_in' as const, at: iso(NOW - 60 * MIN), jobId: 'J-TINY', plate: 'TINY 1', service: 'repair' as const, standardMinutes: 5e-324, customerWaiting: true };
    const live = new Projection(SHANGHAI);
    expect(live.judge([parseEvent(tiny)], NOW)[0]).toMatchObject({ status: 'rejected', result: { error: { code: 'invalid_event', details: [{ path: 'standardMinutes' }] } } });
    const old = new Projection(SHANGHAI);
    old.apply([tiny, { id: id(), type: 'job.started', at: iso(NOW - 30 * MIN), jobId: 'J-TINY', bayId: 'B1', technicianId: 'T1' }]);
    expect(old.skippedOnReplay).toBe(0);
    expect(old.state.jobs.get('J-TINY')!.standardMinutes).toBe(1);
    const bay = old.figures(NOW).bays.find((b) => b.bayId === 'B1')!;
    expect(bay.standardMin).toBe(1);
    expect(Number.isFinite(bay.elapsedMin! / bay.standardMin!)).toBe(true);
  });
});
