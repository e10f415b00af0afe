import type { EventOf, PitwallEvent } from '../../shared/events.js';
import { MINUTE_MS, startOfLocalDate } from '../../shared/time.js';
import { HV_JOB_LEVEL, hvLevelOf, type WorkshopConfig } from '../../shared/workshop.js';
import { resolveThresholds } from '../../shared/lights.js';
import { DROP_OFF_SLACK_MS } from '../engine/forecast.js';
import { Random } from './random.js';

/**
 * A realistic day at a service centre, as the events its terminals would send: technicians
 * clock in, take staggered lunch breaks and clock out; cars arrive through the day (morning
 * peak, lunch dip), each waits for a free technician and bay, is worked on (sometimes paused
 * for parts or the customer's approval), completed, delivered and sometimes surveyed; a few
 * come back. Pure and seeded: the same options always give the same day.
 *
 * The weekend-peak story of the brief is `arrivalFactor: 2.1` with the weekday staff: the
 * queue builds up and the average wait turns red by late morning.
 */
export interface SimulateDayOptions {
  config: WorkshopConfig;
  /** Local date, YYYY-MM-DD, in the workshop's time zone. */
  date: string;
  seed: number;
  /** Arrivals relative to a weekday (the seed's weekend was 2.1×). */
  arrivalFactor?: number;
  /** Technicians who work that day; default all. */
  technicianIds?: readonly string[];
  /**
   * Technicians the lead calls in during the day (the weekend-peak story): each clocks in at
   * the given local minute, takes no break and stays until 18:00. Until they come the day is
   * exactly the day without them (they draw nothing from the seeded randomness before).
   */
  reinforcements?: readonly { technicianId: string; atMinute: number }[];
}

/** Weekday arrivals per hour of the local day (about 36 cars), shaped like a service centre's reception. */
const ARRIVALS_PER_HOUR: Readonly<Record<number, number>> = { 8: 5, 9: 6, 10: 5, 11: 3.5, 12: 2, 13: 4, 14: 4, 15: 3.5, 16: 2.5, 17: 1 };

type Service = EventOf<'job.checked_in'>['service'];

/** Service mix: weight, standard minutes range, chance the customer waits on site. */
const SERVICES: readonly (readonly [Service, number, [number, number], number])[] = [
  ['maintenance', 45, [25, 60], 0.7],
  ['repair', 22, [60, 180], 0.1],
  ['warranty', 10, [45, 120], 0.2],
  ['recall', 8, [20, 45], 0.6],
  ['diagnosis', 10, [20, 45], 0.5],
  ['bodywork', 5, [120, 240], 0],
];

const PROVINCES = ['沪', '苏', '浙', '皖'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

interface Car {
  jobId: string;
  /** Actual work ÷ standard, and whether it stops once for parts or approval: the car's own, drawn when it arrives. */
  factor: number;
  pausesOnce: boolean;
  highVoltage: boolean;
  standard: number;
  waiting: boolean;
  checkedInAt: number;
  promisedAt: number | null;
}

interface Work {
  car: Car;
  bayId: string;
  /** Minutes of work still to do. */
  remaining: number;
  pauseAtRemaining: number | null;
  pausedUntil: number | null;
}

interface Tech {
  id: string;
  team: string | undefined;
  hv: boolean;
  state: 'off' | 'on' | 'break' | 'gone';
  clockIn: number;
  breakAt: number;
  breakLen: number;
  clockOut: number;
  work: Work | null;
}

export function simulateDay(opts: SimulateDayOptions): PitwallEvent[] {
  const { config } = opts;
  const rnd = new Random(opts.seed);
  // The cars that come (when, what, who waits) draw from their own stream: the same seed brings
  // the same cars whatever the staff does with them, so two staffings of one day compare.
  const arrivals = new Random(opts.seed * 7919 + 17);
  const factor = opts.arrivalFactor ?? 1;
  const dayStart = startOfLocalDate(opts.date, config.timezone);
  const at = (minute: number) => dayStart + minute * MINUTE_MS;
  const idPrefix = `sim-${config.id}-${opts.date}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 48);

  const out: PitwallEvent[] = [];
  let n = 0;
  const emit = <T extends PitwallEvent['type']>(type: T, minute: number, fields: Omit<EventOf<T>, 'id' | 'type' | 'at'>) => {
    n++;
    out.push({ id: `${idPrefix}-${n}`, type, at: new Date(at(minute)).toISOString(), ...fields } as EventOf<T>);
  };

  const working = new Set(opts.technicianIds ?? config.technicians.map((t) => t.id));
  const techs: Tech[] = config.technicians
    .filter((t) => working.has(t.id))
    .map((t, i) => ({
      id: t.id,
      team: t.team,
      hv: hvLevelOf(t) >= HV_JOB_LEVEL,
      state: 'off',
      clockIn: 8 * 60 - rnd.int(0, 15),
      // Lunch staggered in three waves so the floor is never empty.
      breakAt: 11 * 60 + 15 + (i % 4) * 35 + rnd.int(0, 10),
      breakLen: rnd.int(30, 45),
      clockOut: 18 * 60 + rnd.int(0, 15),
      work: null,
    }));
  for (const r of opts.reinforcements ?? []) {
    const t = config.technicians.find((c) => c.id === r.technicianId);
    if (!t || working.has(t.id)) throw new Error(`reinforcement ${r.technicianId} is not a configured technician off shift that day`);
    techs.push({ id: t.id, team: t.team, hv: hvLevelOf(t) >= HV_JOB_LEVEL, state: 'off', clockIn: r.atMinute, breakAt: 0, breakLen: 0, clockOut: 18 * 60, work: null });
  }

  const queue: Car[] = [];
  const waiterSlack = resolveThresholds(config.thresholds).averageWait.green;
  const bayFree = new Map(config.bays.map((b) => [b.id, true]));
  const bayTeam = new Map(config.bays.map((b) => [b.id, b.team]));
  // The simulated day sends no damaged batteries, so it keeps its cars off isolation bays.
  const hvPossible = config.bays.some((b) => b.highVoltage && !b.isolation) && config.technicians.some((t) => hvLevelOf(t) >= HV_JOB_LEVEL && working.has(t.id));
  const delivered: string[] = [];
  const deliveries: { minute: number; car: Car }[] = [];
  let jobNo = 0;

  // The day runs to 21:00, and on while someone still has a car on the bay (never past 23:58).
  const LAST = 24 * 60 - 2;
  for (let m = 7 * 60 + 30; m <= 21 * 60 || (m <= LAST && techs.some((t) => t.work || t.state === 'on' || t.state === 'break')); m++) {
    // Shift changes.
    for (const t of techs) {
      if (t.state === 'off' && m === t.clockIn) {
        t.state = 'on';
        emit('shift.clock_in', m, { technicianId: t.id });
      } else if (t.state === 'on' && !t.work && m >= t.breakAt && m < t.breakAt + 90 && t.breakLen > 0) {
        t.state = 'break';
        emit('shift.break_start', m, { technicianId: t.id });
        t.breakAt = m;
      } else if (t.state === 'break' && m >= t.breakAt + t.breakLen) {
        t.state = 'on';
        t.breakLen = 0;
        emit('shift.break_end', m, { technicianId: t.id });
      } else if (t.state === 'on' && !t.work && m >= t.clockOut) {
        t.state = 'gone';
        emit('shift.clock_out', m, { technicianId: t.id });
      }
    }

    // Arrivals.
    const hour = Math.floor(m / 60);
    const rate = ((ARRIVALS_PER_HOUR[hour] ?? 0) * factor) / 60;
    for (let k = arrivals.poisson(rate); k > 0; k--) {
      jobNo++;
      const [service, , [lo, hi], waitChance] = arrivals.weighted(SERVICES.map((s) => [s, s[1]] as const));
      const standard = Math.round(arrivals.between(lo, hi) / 5) * 5;
      const waiting = arrivals.chance(waitChance);
      // Battery and drive-unit work on an EV: only where the workshop can do it.
      const highVoltage = hvPossible && (service === 'repair' || service === 'warranty') && arrivals.chance(0.25);
      const car: Car = {
        factor: Math.min(2, Math.max(0.6, arrivals.normal(1.02, 0.18))),
        pausesOnce: arrivals.chance(0.12),
        highVoltage,
        jobId: `${config.id}-${opts.date.replaceAll('-', '')}-${String(jobNo).padStart(3, '0')}`,
        standard,
        waiting,
        checkedInAt: m,
        promisedAt: waiting ? null : m + standard + 180,
      };
      const comebackOf = delivered.length > 0 && rnd.chance(0.03) ? rnd.pick(delivered) : undefined;
      const advisor = config.advisors.length > 0 ? arrivals.pick(config.advisors).id : undefined;
      emit('job.checked_in', m, {
        jobId: car.jobId,
        plate: plate(arrivals),
        service,
        standardMinutes: standard,
        customerWaiting: waiting,
        ...(advisor !== undefined && { advisorId: advisor }),
        ...(car.promisedAt !== null && { promisedAt: new Date(at(car.promisedAt)).toISOString() }),
        ...(comebackOf !== undefined && { comebackOf }),
        ...(highVoltage && { highVoltage }),
      });
      queue.push(car);
    }
    // The forecast's order (forecast.ts latestStart): the floor works the queue as the terminal shows it.
    const due = (c: Car) => (c.promisedAt !== null ? c.promisedAt - c.standard : c.checkedInAt + (c.waiting ? waiterSlack : DROP_OFF_SLACK_MS / MINUTE_MS));
    queue.sort((a, b) => due(a) - due(b) || a.checkedInAt - b.checkedInAt);

    // Work in progress.
    for (const t of techs) {
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
        bayFree.set(w.bayId, true);
        deliveries.push({ minute: m + (w.car.waiting ? rnd.int(5, 20) : rnd.int(30, 150)), car: w.car });
        t.work = null;
      }
    }

    // Free technicians take the next car at a free bay, their team's bays first.
    for (const t of techs) {
      if (t.state !== 'on' || t.work || queue.length === 0 || m >= t.clockOut - 20) continue;
      const free = config.bays.filter((b) => bayFree.get(b.id) && !b.isolation);
      // The first car this technician may take, at a bay that can take it (own team's bays first).
      let pick: { index: number; bayId: string } | undefined;
      for (let i = 0; i < queue.length && !pick; i++) {
        const c = queue[i]!;
        if (c.highVoltage && !t.hv) continue;
        const fits = free.filter((b) => !c.highVoltage || b.highVoltage);
        const bay = fits.find((b) => bayTeam.get(b.id) === t.team) ?? fits.find((b) => !b.highVoltage || c.highVoltage) ?? fits[0];
        if (bay) pick = { index: i, bayId: bay.id };
      }
      if (!pick) continue;
      const car = queue.splice(pick.index, 1)[0]!;
      const bay = { id: pick.bayId };
      bayFree.set(bay.id, false);
      const actual = Math.max(10, Math.round(car.standard * car.factor));
      t.work = { car, bayId: bay.id, remaining: actual, pauseAtRemaining: car.pausesOnce ? Math.round(actual * 0.6) : null, pausedUntil: null };
      emit('job.started', m, { jobId: car.jobId, bayId: bay.id, technicianId: t.id });
    }

    // Deliveries and the surveys that follow some of them.
    for (let i = deliveries.length - 1; i >= 0; i--) {
      const d = deliveries[i]!;
      if (d.minute !== m) continue;
      deliveries.splice(i, 1);
      emit('job.delivered', m, { jobId: d.car.jobId });
      delivered.push(d.car.jobId);
      if (rnd.chance(0.55)) {
        const waited = m - d.car.checkedInAt;
        const score = surveyScore(rnd, d.car.waiting ? waited : 0);
        emit('survey.submitted', m + 1, { jobId: d.car.jobId, score, nps: Math.min(10, Math.max(0, score * 2 + rnd.int(-1, 0))) });
      }
    }
  }
  // Cars nobody started today are sent home rebooked: the next day starts with its own queue.
  for (const car of queue) emit('job.cancelled', LAST + 1, { jobId: car.jobId, reason: 'not started before closing; rebooked' });
  // Whoever is still at it at 23:59 finishes and goes home: the next day starts with free bays.
  for (const t of techs) {
    if (t.work) {
      if (t.work.pausedUntil !== null) emit('job.resumed', LAST + 1, { jobId: t.work.car.jobId });
      emit('job.completed', LAST + 1, { jobId: t.work.car.jobId, firstTimeFix: true });
      t.work = null;
    }
    if (t.state === 'break') emit('shift.break_end', LAST + 1, { technicianId: t.id });
    if (t.state === 'on' || t.state === 'break') emit('shift.clock_out', LAST + 1, { technicianId: t.id });
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Customers who waited long score lower (the seed's weekend: 79 against 86 on weekdays). */
function surveyScore(rnd: Random, waitedMin: number): number {
  const base = waitedMin <= 60 ? 4.6 : waitedMin <= 120 ? 3.9 : 3.1;
  return Math.min(5, Math.max(1, Math.round(rnd.normal(base, 0.7))));
}

function plate(rnd: Random): string {
  let tail = '';
  for (let i = 0; i < 5; i++) tail += rnd.chance(0.2) ? rnd.pick([...LETTERS]) : String(rnd.int(0, 9));
  return `${rnd.pick(PROVINCES)}${rnd.pick([...LETTERS])}${tail}`;
}
