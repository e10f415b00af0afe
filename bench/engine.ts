/**
 * The engine alone, in one process: hub CPU per event for the three ways events reach a
 * projection, with no HTTP, store or sockets around it (what `npm run bench`'s ingest figures
 * would be if the edges cost nothing). `npx tsx bench/engine.ts [days]`.
 *
 * A busy workshop (16 bays, 20 technicians, weekend arrivals) plays `days` simulated days;
 * each way runs ten times on a fresh projection and the best five are reported (the first
 * runs are the JIT warming up).
 */
import { Projection, type Parsed } from '../server/engine/projection.js';
import { simulateDay } from '../server/sim/simulate-day.js';
import type { PitwallEvent } from '../shared/events.js';
import { BUSY_SHAPE, workshopConfigFor } from './lib/traffic.js';

const days = Number(process.argv[2] ?? 18);
const config = workshopConfigFor(0, BUSY_SHAPE);
const events: PitwallEvent[] = [];
for (let d = 0; d < days; d++) {
  const date = new Date(Date.UTC(2026, 10, 1 + d)).toISOString().slice(0, 10);
  events.push(...simulateDay({ config, date, seed: 7 + d, arrivalFactor: BUSY_SHAPE.arrivalFactor }));
}
const parsed: Parsed[] = events.map((event) => ({ ok: true, event }));
const batchesOf = (n: number) => Array.from({ length: Math.ceil(parsed.length / n) }, (_, i) => parsed.slice(i * n, (i + 1) * n));
const now = Date.parse(events.at(-1)!.at) + 60_000;

const ways: [string, () => number][] = [
  ['ingest, 100-event batches (begin + commit)', () => ingest(batchesOf(100))],
  ['ingest, single events (begin + commit)', () => ingest(batchesOf(1))],
  ['replay (apply from the log)', () => {
    const p = new Projection(config);
    p.apply(events);
    return p.seq;
  }],
];

/** The whole run is "now": a window wide enough that none of its days is too_old (the hub's default is 14 days). */
const window = { maxEventAgeMs: (days + 1) * 86_400_000 };

function ingest(batches: Parsed[][]): number {
  const p = new Projection(config, window);
  for (const b of batches) p.begin(b, now).commit();
  return p.seq;
}

console.log(`${events.length} events, ${days} days of a busy workshop (${config.bays.length} bays, ${config.technicians.length} technicians)`);
for (const [name, run] of ways) {
  const us: number[] = [];
  for (let r = 0; r < 10; r++) {
    const c0 = process.cpuUsage();
    const seq = run();
    const c = process.cpuUsage(c0);
    if (seq !== events.length) throw new Error(`${name}: applied ${seq} of ${events.length} events`);
    us.push((c.user + c.system) / events.length);
  }
  const best = us.sort((a, b) => a - b).slice(0, 5);
  console.log(`${name.padEnd(46)} ${(best.reduce((a, b) => a + b, 0) / best.length).toFixed(1).padStart(6)} µs of CPU per event`);
}
