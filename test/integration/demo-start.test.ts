import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppointmentReport, CapacityView } from '../../shared/appointments.js';
import { DAY_MS } from '../../shared/time.js';
import { startHubProcess, type HubProcess } from '../helpers/hub-process.js';

/**
 * `npm run demo` as the person typing it gets it (server/main.ts with PITWALL_DEMO=weekend, its
 * own process): eight weeks of history are there from the start, and the Saturday it plays
 * (here at 1200×: a simulated hour every three seconds) sees the average wait of the customers
 * waiting on site go from under the 45-minute green line to past it. The weeks booked a rising
 * share of their cars and moved some from weekends to weekdays, and the next 14 days hold bookings.
 */

let hub: HubProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await hub?.kill('SIGTERM');
  hub = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

const shiftDate = (date: string, days: number) => new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

describe('npm run demo', () => {
  it('starts with eight weeks of days and bookings ahead, and its Saturday’s wait rises past 45 minutes', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pitwall-demo-test-'));
    hub = await startHubProcess({ PITWALL_DEMO: 'weekend', PITWALL_DEMO_SPEED: '1200', PITWALL_DEMO_START: '09:00', PITWALL_DATA_DIR: dir });
    const tokens = JSON.parse(await readFile(path.join(dir, 'demo-tokens.json'), 'utf8')) as Record<string, string>;
    const get = async (p: string) => {
      const res = await fetch(`${hub!.url}/api/v1/workshops/demo/${p}`, { headers: { Authorization: `Bearer ${tokens.admin}` } });
      expect(res.status, p).toBe(200);
      return (await res.json()) as Record<string, unknown>;
    };
    const date = /playing a simulated weekend \((\d{4}-\d{2}-\d{2})\)/.exec(hub.output())?.[1];
    expect(date, hub.output()).toBeDefined();
    expect(new Date(`${date}T12:00:00Z`).getUTCDay()).toBe(6);
    // Start-up is measured and said (the figure itself depends on the machine).
    expect(hub.output()).toMatch(/"history":\{"days":56,"events":\d+/);

    // Eight weeks of days, every one with cars and surveys that answer the touchpoints; weekends busier.
    const history = await get(`history?from=${shiftDate(date!, -56)}&to=${shiftDate(date!, -1)}&bucket=day`);
    const rows = history.rows as { label: string; sums: { checkedIn: number; surveys: number; cx: { touchpoints: { waiting: [number, number] } } } }[];
    expect(rows).toHaveLength(56);
    // Opened from the checkpoint written with the history: nothing of the eight weeks replayed.
    expect(hub.output()).toMatch(/"workshopId":"demo","seq":\d+,"checkpointSeq":\d+,"replayed":0,/);
    for (const r of rows) {
      expect(r.sums.checkedIn, r.label).toBeGreaterThan(10);
      expect(r.sums.cx.touchpoints.waiting[1], r.label).toBeGreaterThan(0);
    }
    const mean = (weekend: boolean) => {
      const days = rows.filter((r) => [0, 6].includes(new Date(`${r.label}T12:00:00Z`).getUTCDay()) === weekend);
      return days.reduce((s, r) => s + r.sums.checkedIn, 0) / days.length;
    };
    expect(mean(true) / mean(false)).toBeGreaterThan(1.6);
    // The lead's "next hours" have their four weeks of arrivals.
    expect((await get('staffing?hours=4')).weeksOfHistory).toBe(4);

    // Appointments: the capacity view of the next 14 days holds the bookings already made, the
    // weekends overbooked (more cars than the roster's hours), the weekdays with hours to offer.
    const capacity = (await get('capacity')) as unknown as CapacityView;
    expect(capacity.days).toHaveLength(14);
    expect(capacity.days[0]!.date).toBe(date);
    expect(capacity.rosterSource).toBe('weeklyHours');
    const booked = capacity.days.map((d) => d.total.bookedHours);
    expect(booked.slice(1, 8).filter((h) => h > 0).length, String(booked)).toBeGreaterThanOrEqual(5);
    expect(booked.reduce((a, b) => a + b), String(booked)).toBeGreaterThan(15);
    // The weekends short of hours, the weekdays with hours to offer: on 24 Saturdays tried, at
    // least 3 of the 4 weekend days and 9 of the 10 weekdays (a weekend light, or a weekday heavy
    // in bodywork, in the last 4 weeks may tip one day).
    const [weekends, weekdays] = [capacity.days.filter((d) => d.weekend), capacity.days.filter((d) => !d.weekend)];
    expect(weekends.filter((d) => d.overbooked).length, JSON.stringify(weekends.map((d) => d.total))).toBeGreaterThanOrEqual(3);
    expect(weekdays.filter((d) => d.spare).length, JSON.stringify(weekdays.map((d) => d.total))).toBeGreaterThanOrEqual(8);
    // The appointment report: a rising share of the cars booked, and the weekday share of the
    // volume (the case's 削峰填谷) higher in the last three whole weeks than in the first three
    // (by 0.03–0.12 on 24 Saturdays tried; the booked share by 0.07–0.14).
    const report = (await get('appointments/report')) as unknown as AppointmentReport;
    const whole = report.weeks.filter((w) => w.weekStart >= shiftDate(date!, -56) && w.weekStart <= shiftDate(date!, -7));
    expect(whole.length).toBe(7);
    const pooled = (ws: typeof whole, f: 'weekdayShare' | 'appointmentShare') => ws.reduce((s, w) => s + w[f]! * w.checkIns, 0) / ws.reduce((s, w) => s + w.checkIns, 0);
    const [first, last] = [whole.slice(0, 3), whole.slice(-3)];
    expect(pooled(last, 'weekdayShare'), JSON.stringify(report.weeks)).toBeGreaterThan(pooled(first, 'weekdayShare'));
    expect(pooled(last, 'appointmentShare'), JSON.stringify(report.weeks)).toBeGreaterThan(pooled(first, 'appointmentShare') + 0.05);
    expect(whole.some((w) => w.noShows > 0)).toBe(true);

    // The Saturday plays: the board's average wait crosses the green line during the day...
    const waits: { at: string; wait: number | null }[] = [];
    for (let i = 0; i < 400; i++) {
      const board = (await get('board')) as { asOf: string; kpis: { averageWait: { value: number | null } } };
      waits.push({ at: board.asOf, wait: board.kpis.averageWait.value });
      if ((board.kpis.averageWait.value ?? 0) > 45 || Date.parse(board.asOf) > Date.parse(`${date}T18:00:00+08:00`)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(waits.some((w) => (w.wait ?? 0) > 45), JSON.stringify(waits)).toBe(true);
    // ...from under it: the day's own record of the wait (the board's chart), whenever we looked.
    type Series = { asOf: string; date: string; waiting: { at: string; averageWaitMin: number | null }[] };
    let series = (await get('series')) as Series;
    // Sampled every quarter of an hour: the sample past the line comes a little after the board's.
    for (let i = 0; i < 400 && !series.waiting.some((s) => (s.averageWaitMin ?? 0) > 45) && Date.parse(series.asOf) < Date.parse(`${date}T18:00:00+08:00`); i++) {
      await new Promise((r) => setTimeout(r, 250));
      series = (await get('series')) as Series;
    }
    expect(series.date).toBe(date);
    const firstUnder = series.waiting.findIndex((s) => s.averageWaitMin !== null && s.averageWaitMin <= 45);
    const firstOver = series.waiting.findIndex((s) => (s.averageWaitMin ?? 0) > 45);
    expect(firstUnder, JSON.stringify(series.waiting)).toBeGreaterThanOrEqual(0);
    expect(firstOver, JSON.stringify(series.waiting)).toBeGreaterThan(firstUnder);
  });
});
