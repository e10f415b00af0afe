import type { EventOf } from '../../shared/events.js';
import { MINUTE_MS } from '../../shared/time.js';
import { DROP_OFF_SLACK_MS } from '../engine/forecast.js';
import { bookAhead } from './bookings.js';
import type { Random } from './random.js';
import { SURVEY_SHARE, surveyOf } from './survey.js';
import type { Car, SimDay } from './sim-day.js';

/**
 * The customers' side of a simulated day (simulate-day.ts): cars arrive through the day
 * (morning peak, lunch dip) and queue in the order the floor works them, are delivered some
 * time after completion and sometimes surveyed; a few come back.
 */

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

/** Of the high-voltage repairs, the share that come in with a damaged battery (a few a month). */
const DAMAGED_SHARE = 0.08;

const PROVINCES = ['沪', '苏', '浙', '皖'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The cars that arrive at minute m: checked in and queued, the queue kept in the floor's order. */
export function arrive(day: SimDay, m: number): void {
  const { config, arrivals, rnd, at, emit } = day;
  const hour = Math.floor(m / 60);
  const rate = ((ARRIVALS_PER_HOUR[hour] ?? 0) * day.arrivalFactor) / 60;
  for (let k = arrivals.poisson(rate); k > 0; k--) {
    day.jobNo++;
    const [service, , [lo, hi], waitChance] = arrivals.weighted(SERVICES.map((s) => [s, s[1]] as const));
    const standard = Math.round(arrivals.between(lo, hi) / 5) * 5;
    const waiting = arrivals.chance(waitChance);
    // Battery and drive-unit work on an EV: only where the workshop can do it; now and then a
    // damaged battery (a crash, a flood, a fault warning) for the isolation bay and level 3.
    const hvJob = day.hvPossible && (service === 'repair' || service === 'warranty') && arrivals.chance(0.25);
    const damagedBattery = hvJob && day.damagedPossible && service === 'repair' && arrivals.chance(DAMAGED_SHARE);
    const highVoltage = hvJob && !damagedBattery;
    // A booking names an advisor: a workshop without advisors takes walk-ins only.
    const booked = day.arrivalKind({ minute: m, service, standardMinutes: standard, customerWaiting: waiting, date: day.date }) === 'booked' && config.advisors.length > 0;
    const car: Car = {
      factor: Math.min(2, Math.max(0.6, arrivals.normal(1.02, 0.18))),
      pausesOnce: arrivals.chance(0.12),
      highVoltage,
      damagedBattery,
      booked,
      jobId: `${config.id}-${day.date.replaceAll('-', '')}-${String(day.jobNo).padStart(3, '0')}`,
      standard,
      waiting,
      checkedInAt: m,
      promisedAt: waiting ? null : m + standard + 180,
      queuedAhead: day.queue.length,
    };
    const comebackOf = day.delivered.length > 0 && rnd.chance(0.03) ? rnd.pick(day.delivered) : undefined;
    const advisor = config.advisors.length > 0 ? arrivals.pick(config.advisors).id : undefined;
    const carPlate = plate(arrivals);
    const appointmentId = booked ? bookAhead(day, { minute: m, plate: carPlate, service, standardMinutes: standard, customerWaiting: waiting, advisorId: advisor!, jobId: car.jobId }) : undefined;
    emit('job.checked_in', m, {
      jobId: car.jobId,
      plate: carPlate,
      service,
      standardMinutes: standard,
      customerWaiting: waiting,
      ...(advisor !== undefined && { advisorId: advisor }),
      ...(car.promisedAt !== null && { promisedAt: new Date(at(car.promisedAt)).toISOString() }),
      ...(comebackOf !== undefined && { comebackOf }),
      ...(highVoltage && { highVoltage }),
      ...(damagedBattery && { damagedBattery }),
      ...(appointmentId !== undefined && { appointmentId }),
    });
    day.queue.push(car);
  }
  // The forecast's order (forecast.ts latestStart): the floor works the queue as the terminal shows it.
  const due = (c: Car) => (c.promisedAt !== null ? c.promisedAt - c.standard : c.checkedInAt + (c.waiting ? day.waiterSlack : DROP_OFF_SLACK_MS / MINUTE_MS));
  day.queue.sort((a, b) => due(a) - due(b) || a.checkedInAt - b.checkedInAt);
}

/** The cars collected at minute m, and the surveys that follow some of them. */
export function deliver(day: SimDay, m: number): void {
  const { deliveries, rnd, emit } = day;
  for (let i = deliveries.length - 1; i >= 0; i--) {
    const d = deliveries[i]!;
    if (d.minute !== m) continue;
    deliveries.splice(i, 1);
    emit('job.delivered', m, { jobId: d.car.jobId });
    day.delivered.push(d.car.jobId);
    if (rnd.chance(SURVEY_SHARE)) emit('survey.submitted', m + 1, surveyOf(rnd, day.surveys, d.car, d.readyAt, m));
  }
}

function plate(rnd: Random): string {
  let tail = '';
  for (let i = 0; i < 5; i++) tail += rnd.chance(0.2) ? rnd.pick([...LETTERS]) : String(rnd.int(0, 9));
  return `${rnd.pick(PROVINCES)}${rnd.pick([...LETTERS])}${tail}`;
}
