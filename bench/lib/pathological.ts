import { Projection, type Parsed } from '../../server/engine/projection.js';
import { TerminalRegistry } from '../../server/workshops/terminals.js';
import { simulateDay } from '../../server/sim/simulate-day.js';
import type { PitwallEvent } from '../../shared/events.js';
import { BUSY_SHAPE, workshopConfigFor } from './traffic.js';

/**
 * `npm run bench`'s pathological logs (issue 11, item 4): what one event costs the engine when
 * the log is made of what an attacker holding a terminal token can send — a shift of nothing
 * but breaks, a job paused and resumed over and over, a technician moved between teams all day,
 * every post from a made-up terminal — against the same number of events of ordinary traffic.
 * In one process, CPU time per event, so the figure is the engine's and nothing else's.
 */

export interface PathologicalRow {
  name: string;
  events: number;
  /** µs of CPU per event, best runs averaged: applied from the log (a hub's start-up). */
  replayUs: number;
  /** … judged and committed one event at a time, as single posts arrive. */
  ingestUs: number;
}

const config = workshopConfigFor(0, BUSY_SHAPE);
const TECH = config.technicians[0]!.id;
const TEAMS = [...new Set(config.technicians.map((t) => t.team!))];
const iso = (ms: number) => new Date(ms).toISOString();

/** About `count` events of ordinary traffic: simulated days of a busy workshop. */
function ordinary(count: number): PitwallEvent[] {
  const out: PitwallEvent[] = [];
  for (let d = 0; out.length < count; d++) {
    const date = new Date(Date.UTC(2026, 10, 1 + d)).toISOString().slice(0, 10);
    out.push(...simulateDay({ config, date, seed: 11 + d, arrivalFactor: BUSY_SHAPE.arrivalFactor }));
  }
  return out.slice(0, count);
}

function alternating(count: number, start: number, make: (i: number, at: string) => PitwallEvent): PitwallEvent[] {
  return Array.from({ length: count }, (_, i) => make(i, iso(start + 1000 * i)));
}

const START = Date.parse('2026-11-21T08:00:00+08:00');
const id = (kind: string, i: number) => `${kind}-${String(i).padStart(10, '0')}`;

function breaks(count: number): PitwallEvent[] {
  return [
    { id: id('in', 0), type: 'shift.clock_in', at: iso(START - 1000), technicianId: TECH },
    ...alternating(count - 1, START, (i, at) => ({ id: id('brk', i), type: i % 2 ? 'shift.break_end' : 'shift.break_start', at, technicianId: TECH })),
  ];
}

function pauses(count: number): PitwallEvent[] {
  return [
    { id: id('in', 0), type: 'shift.clock_in', at: iso(START - 1000), technicianId: TECH },
    { id: id('chk', 0), type: 'job.checked_in', at: iso(START - 1000), jobId: 'J-PAUSE', plate: 'PAUSE 1', service: 'repair', standardMinutes: 600, customerWaiting: true },
    { id: id('go', 0), type: 'job.started', at: iso(START - 1000), jobId: 'J-PAUSE', bayId: config.bays[0]!.id, technicianId: TECH },
    ...alternating(count - 3, START, (i, at): PitwallEvent => (i % 2 ? { id: id('res', i), type: 'job.resumed', at, jobId: 'J-PAUSE' } : { id: id('pau', i), type: 'job.paused', at, jobId: 'J-PAUSE', reason: 'other' })),
  ];
}

function reassignments(count: number): PitwallEvent[] {
  return alternating(count, START, (i, at) => ({ id: id('mov', i), type: 'staff.reassigned', at, technicianId: TECH, team: TEAMS[i % TEAMS.length]! }));
}

/** Best-half mean of `runs` runs, in µs of CPU per event. */
function cpuUsPerEvent(events: number, runs: number, run: () => void): number {
  const us: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    us.push((c.user + c.system) / events);
  }
  const best = us.sort((a, b) => a - b).slice(0, Math.max(1, Math.floor(runs / 2)));
  return best.reduce((a, b) => a + b, 0) / best.length;
}

function measure(name: string, log: readonly PitwallEvent[], runs: number, perEvent?: (e: PitwallEvent, i: number) => void): PathologicalRow {
  // Each event judged as it arrives, a second after it happened.
  const arrival = log.map((e) => Date.parse(e.at) + 1000);
  const parsed: Parsed[] = log.map((event) => ({ ok: true, event }));
  const check = (p: Projection) => {
    if (p.seq !== log.length) throw new Error(`${name}: ${p.seq} of ${log.length} events applied`);
  };
  const replayUs = cpuUsPerEvent(log.length, runs, () => {
    const p = new Projection(config);
    p.apply(log);
    check(p);
  });
  const ingestUs = cpuUsPerEvent(log.length, runs, () => {
    const p = new Projection(config);
    parsed.forEach((one, i) => {
      perEvent?.(one.ok ? one.event : log[i]!, i);
      p.begin([one], arrival[i]!).commit();
    });
    check(p);
  });
  return { name, events: log.length, replayUs, ingestUs };
}

export function pathologicalLogs(events: number, runs: number): PathologicalRow[] {
  const plain = ordinary(events);
  // Every event from a terminal the hub has never heard of (X-Pitwall-Terminal / terminal:hello).
  const registry = new TerminalRegistry(96);
  const madeUp = (_e: PitwallEvent, i: number) => void registry.seen(id('tablet', i), null, START + i);
  return [
    measure('ordinary traffic', plain, runs),
    measure('breaks (one shift of break start/end)', breaks(events), runs),
    measure('pauses (one job paused/resumed)', pauses(events), runs),
    measure('reassignments (one technician moved)', reassignments(events), runs),
    measure('many terminals (a new terminal id per event)', plain, runs, madeUp),
  ];
}
