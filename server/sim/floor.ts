import { DAMAGED_BATTERY_LEVEL, HV_JOB_LEVEL, hvLevelOf, type WorkshopConfig } from '../../shared/workshop.js';
import type { Random } from './random.js';
import type { SimDay, Tech } from './sim-day.js';

/**
 * The floor's side of a simulated day (simulate-day.ts): technicians clock in, take staggered
 * lunch breaks and clock out; a free technician takes the next car at a free bay, works on it
 * (sometimes paused for parts or the customer's approval) and completes it.
 */

export interface Reinforcement {
  technicianId: string;
  atMinute: number;
}

/** The technicians of the day: those on shift with their drawn hours, then those called in. */
export function roster(config: WorkshopConfig, working: ReadonlySet<string>, reinforcements: readonly Reinforcement[], rnd: Random): Tech[] {
  const techs: Tech[] = config.technicians
    .filter((t) => working.has(t.id))
    .map((t, i) => ({
      id: t.id,
      team: t.team,
      hv: hvLevelOf(t) >= HV_JOB_LEVEL,
      damagedOk: hvLevelOf(t) >= DAMAGED_BATTERY_LEVEL,
      state: 'off',
      clockIn: 8 * 60 - rnd.int(0, 15),
      // Lunch staggered in three waves so the floor is never empty.
      breakAt: 11 * 60 + 15 + (i % 4) * 35 + rnd.int(0, 10),
      breakLen: rnd.int(30, 45),
      clockOut: 18 * 60 + rnd.int(0, 15),
      work: null,
    }));
  for (const r of reinforcements) {
    const t = config.technicians.find((c) => c.id === r.technicianId);
    if (!t || working.has(t.id)) throw new Error(`reinforcement ${r.technicianId} is not a configured technician off shift that day`);
    techs.push({ id: t.id, team: t.team, hv: hvLevelOf(t) >= HV_JOB_LEVEL, damagedOk: hvLevelOf(t) >= DAMAGED_BATTERY_LEVEL, state: 'off', clockIn: r.atMinute, breakAt: 0, breakLen: 0, clockOut: 18 * 60, work: null });
  }
  return techs;
}

/** Clock-ins, breaks and clock-outs due at minute m. */
export function changeShifts(day: SimDay, m: number): void {
  for (const t of day.techs) {
    if (t.state === 'off' && m === t.clockIn) {
      t.state = 'on';
      day.emit('shift.clock_in', m, { technicianId: t.id });
    } else if (t.state === 'on' && !t.work && m >= t.breakAt && m < t.breakAt + 90 && t.breakLen > 0) {
      t.state = 'break';
      day.emit('shift.break_start', m, { technicianId: t.id });
      t.breakAt = m;
    } else if (t.state === 'break' && m >= t.breakAt + t.breakLen) {
      t.state = 'on';
      t.breakLen = 0;
      day.emit('shift.break_end', m, { technicianId: t.id });
    } else if (t.state === 'on' && !t.work && m >= t.clockOut) {
      t.state = 'gone';
      day.emit('shift.clock_out', m, { technicianId: t.id });
    }
  }
}

/** One minute of work on every car on a bay: a pause ends or starts, or the job completes. */
export function work(day: SimDay, m: number): void {
  const { rnd, emit } = day;
  for (const t of day.techs) {
    const w = t.work;
    if (!w) continue;
    if (w.pausedUntil !== null) {
      if (m >= w.pausedUntil) {
        w.pausedUntil = null;
        emit('job.resumed', m, { jobId: w.car.jobId });
      }
      continue;
    }
    if (t.state !== 'on') continue;
    w.remaining--;
    if (w.pauseAtRemaining !== null && w.remaining <= w.pauseAtRemaining) {
      w.pauseAtRemaining = null;
      const reason = rnd.weighted([['parts', 6], ['approval', 3], ['other', 1]] as const);
      w.pausedUntil = m + (reason === 'parts' ? rnd.int(20, 70) : rnd.int(10, 40));
      emit('job.paused', m, { jobId: w.car.jobId, reason });
      continue;
    }
    if (w.remaining <= 0) {
      emit('job.completed', m, { jobId: w.car.jobId, firstTimeFix: rnd.chance(0.93) });
      day.bayFree.set(w.bayId, true);
      day.deliveries.push({ minute: m + (w.car.waiting ? rnd.int(5, 20) : rnd.int(30, 150)), car: w.car, readyAt: m });
      t.work = null;
    }
  }
}

/** Free technicians take the next car at a free bay, their team's bays first. */
export function takeCars(day: SimDay, m: number): void {
  const { config, queue } = day;
  for (const t of day.techs) {
    if (t.state !== 'on' || t.work || queue.length === 0 || m >= t.clockOut - 20) continue;
    const free = config.bays.filter((b) => day.bayFree.get(b.id));
    // The first car this technician may take, at a bay that can take it (own team's bays first).
    // An isolation bay is for a damaged battery only, and a damaged battery goes nowhere else.
    let pick: { index: number; bayId: string } | undefined;
    for (let i = 0; i < queue.length && !pick; i++) {
      const c = queue[i]!;
      if ((c.highVoltage && !t.hv) || (c.damagedBattery && !t.damagedOk)) continue;
      const fits = free.filter((b) => (c.damagedBattery ? b.isolation === true : !b.isolation && (!c.highVoltage || b.highVoltage)));
      const bay = fits.find((b) => b.team === t.team) ?? fits.find((b) => !b.highVoltage || c.highVoltage || c.damagedBattery) ?? fits[0];
      if (bay) pick = { index: i, bayId: bay.id };
    }
    if (!pick) continue;
    const car = queue.splice(pick.index, 1)[0]!;
    day.bayFree.set(pick.bayId, false);
    const actual = Math.max(10, Math.round(car.standard * car.factor));
    t.work = { car, bayId: pick.bayId, remaining: actual, pauseAtRemaining: car.pausesOnce ? Math.round(actual * 0.6) : null, pausedUntil: null };
    day.emit('job.started', m, { jobId: car.jobId, bayId: pick.bayId, technicianId: t.id });
  }
}

/** Whoever is still at it at the end of the day finishes and goes home: the next day starts with free bays. */
export function sendHome(day: SimDay, minute: number): void {
  for (const t of day.techs) {
    if (t.work) {
      if (t.work.pausedUntil !== null) day.emit('job.resumed', minute, { jobId: t.work.car.jobId });
      day.emit('job.completed', minute, { jobId: t.work.car.jobId, firstTimeFix: true });
      t.work = null;
    }
    if (t.state === 'break') day.emit('shift.break_end', minute, { technicianId: t.id });
    if (t.state === 'on' || t.state === 'break') day.emit('shift.clock_out', minute, { technicianId: t.id });
  }
}
