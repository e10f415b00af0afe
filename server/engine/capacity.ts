import { CAPACITY_DAYS, type CapacityCell, type CapacityView } from '../../shared/appointments.js';
import { DAY_MS, HOUR_MS, localDate, localDayRange, startOfLocalDay, toIso } from '../../shared/time.js';
import type { ArrivalLog } from './arrivals.js';
import type { WorkshopContext } from './context.js';
import { appointmentStatus, noShowAfterMs } from './evolve-appointments.js';
import { cachedOffsetMs } from './local-hours.js';
import { PATTERN_WEEKS, patternWeeks } from './staffing-plan.js';
import type { WorkshopState } from './state.js';

/**
 * The capacity view (issue 15, docs/api.md "Capacity"): for today and the next 13 days, per
 * team, the hours booked (standard minutes of the appointments), the walk-in hours to expect
 * (standard minutes of check-ins without an appointment on the same weekday over the last
 * four weeks, ÷ the weeks) and the technician hours on the roster. A service goes to its
 * `serviceTeams` team; unmapped services and technicians without a team are the `null` team.
 */

/** Hours a technician works when neither `weeklyHours` nor opening hours say: a plain shift. */
export const DEFAULT_SHIFT_HOURS = 8;

/** 0 Sunday … 6 Saturday, local. */
const weekdayOf = (ms: number, tz: string) => new Date(ms + cachedOffsetMs(ms, tz)).getUTCDay();

export function capacityView(arrivals: ArrivalLog, s: WorkshopState, ctx: WorkshopContext, now: number): CapacityView {
  const tz = ctx.timezone;
  const { config } = ctx;
  const teamOfService = (service: string): string | null => config.serviceTeams?.[service as keyof typeof config.serviceTeams] ?? null;
  const { weeks } = patternWeeks(arrivals, now, tz);
  // Walk-in standard hours by weekday and team, summed over the weeks looked at.
  const walkIns = new Map<string, number>();
  const since = startOfLocalDay(now, tz) - PATTERN_WEEKS * 7 * DAY_MS;
  for (const a of weeks > 0 ? arrivals.between(since, startOfLocalDay(now, tz)) : []) {
    if (a.booked) continue;
    const key = `${weekdayOf(a.at, tz)}|${teamOfService(a.service) ?? ''}`;
    walkIns.set(key, (walkIns.get(key) ?? 0) + a.standardMinutes / 60);
  }
  const teams = [...new Set([...config.technicians.map((t) => t.team ?? null), ...config.bays.map((b) => b.team ?? null), ...Object.values(config.serviceTeams ?? {}).map((t) => t ?? null)])]
    .sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  if (!teams.includes(null)) teams.push(null);
  const grace = noShowAfterMs(ctx);
  const days: CapacityView['days'] = [];
  let start = startOfLocalDay(now, tz);
  for (let d = 0; d < CAPACITY_DAYS; d++) {
    const { end } = localDayRange(start, tz);
    const weekday = weekdayOf(start + 12 * HOUR_MS, tz);
    const cells = teams.map((team) => {
      let booked = 0;
      for (const a of s.appointments.values()) {
        if (a.slotAt < start || a.slotAt >= end || teamOfService(a.service) !== team) continue;
        const status = appointmentStatus(a, now, grace);
        if (status === 'booked' || status === 'checked_in') booked += a.standardMinutes / 60;
      }
      const walkIn = weeks > 0 ? (walkIns.get(`${weekday}|${team ?? ''}`) ?? 0) / weeks : 0;
      const roster = config.technicians.filter((t) => (t.team ?? null) === team).reduce((sum, t) => sum + rosterHours(ctx, t, weekday), 0);
      return { team, booked, walkIn, roster };
    });
    const sum = cells.reduce((a, c) => ({ team: null, booked: a.booked + c.booked, walkIn: a.walkIn + c.walkIn, roster: a.roster + c.roster }), { team: null, booked: 0, walkIn: 0, roster: 0 });
    const total = cell(sum);
    const weekend = weekday === 0 || weekday === 6;
    days.push({
      date: localDate(start, tz),
      dayOfWeek: weekday === 0 ? 7 : weekday,
      weekend,
      // Teams with nothing booked, expected or rostered are left out (the null team usually).
      teams: cells.filter((c) => c.booked + c.walkIn + c.roster > 0).map(cell),
      total,
      overbooked: total.spareHours < 0,
      spare: !weekend && total.spareHours > 0,
    });
    start = end;
  }
  return {
    workshopId: config.id,
    asOf: toIso(now),
    walkInWeeks: weeks,
    rosterSource: config.technicians.some((t) => t.weeklyHours !== undefined) ? 'weeklyHours' : config.hours ? 'openingHours' : 'default',
    weekdayDiscountPercent: config.appointments?.weekdayDiscountPercent ?? null,
    days,
  };
}

/** A technician's hours on a weekday (0 Sunday): his `weeklyHours` (Monday first), else the opening hours, else 8. */
export function rosterHours(ctx: WorkshopContext, t: WorkshopContext['config']['technicians'][number], weekday: number): number {
  if (t.weeklyHours) return t.weeklyHours[(weekday + 6) % 7]!;
  const h = ctx.config.hours;
  if (!h) return DEFAULT_SHIFT_HOURS;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  return (minutes(h.close) - minutes(h.open)) / 60;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function cell(c: { team: string | null; booked: number; walkIn: number; roster: number }): CapacityCell {
  return { team: c.team, bookedHours: round1(c.booked), walkInHours: round1(c.walkIn), rosterHours: round1(c.roster), spareHours: round1(c.roster - c.booked - c.walkIn) };
}
