import { performance } from 'node:perf_hooks';
import type { PitwallEvent } from '../../shared/events.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { encodeCheckpoint } from '../engine/checkpoint.js';
import { Projection } from '../engine/projection.js';
import { EmbeddedEventStore, type EmbeddedStoreOptions } from '../store/embedded/embedded-store.js';
import { writeWholeLog } from '../store/embedded/write-log.js';
import { CHECKPOINT_BLOB } from '../workshops/checkpoints.js';
import { demoHistory } from './demo-history.js';

/**
 * The demo's past (`npm run demo`): the simulated weeks before its Saturday, written into the
 * throwaway embedded store before the hub opens it, with a checkpoint of their projection, so
 * the workshop opens from the checkpoint (docs/architecture.md, "Checkpoints") instead of
 * replaying eight weeks; then the store is opened on them. Each day is one batch received at its last event, as a hub that
 * took the day live would have logged it.
 */
export interface DemoPreload {
  /** The store, opened on the written log, the checkpoint in it. */
  store: EmbeddedEventStore;
  days: number;
  events: number;
  /** Where the time went: simulating, writing the log, projecting and saving the checkpoint. */
  ms: { simulate: number; log: number; checkpoint: number; open: number };
}

export async function preloadDemoHistory(opts: {
  dataDir: string;
  workshop: WorkshopConfig;
  /** The demo's day (YYYY-MM-DD): the history ends the day before. */
  date: string;
  rota: readonly string[];
  /** The demo clock's start: the checkpoint is compacted as the hub would have it then. */
  now: number;
  maxEventAgeMs?: number;
  days?: number;
  /** The history already simulated (demoDay's), else simulated here. */
  history?: PitwallEvent[][];
  storeOptions?: EmbeddedStoreOptions;
}): Promise<DemoPreload> {
  const { dataDir, workshop } = opts;
  const t0 = performance.now();
  const days = (opts.history ?? demoHistory(workshop, opts.date, opts.rota, opts.days)).filter((d) => d.length > 0);
  const t1 = performance.now();
  const seq = await writeWholeLog(
    dataDir,
    workshop.id,
    days.map((events) => ({ receivedAt: events[events.length - 1]!.at, events })),
  );
  const t2 = performance.now();
  const p = new Projection(workshop, opts.maxEventAgeMs !== undefined ? { maxEventAgeMs: opts.maxEventAgeMs } : {});
  for (const events of days) p.apply(events);
  // Once, at the end (what the hub's hourly compaction would have left by then): eight weeks
  // fit in memory uncompacted, and one pass costs a third of one a day.
  p.compact(opts.now);
  // The simulator and the rules must agree: a skipped event would make the checkpoint lie about the log.
  if (p.seq !== seq || p.skippedOnReplay > 0) throw new Error(`demo history: the projection holds ${p.seq} of ${seq} events (${p.skippedOnReplay} refused)`);
  const checkpoint = encodeCheckpoint({ workshopId: workshop.id, seq, data: p.toData() });
  const t3 = performance.now();
  const store = await EmbeddedEventStore.open(dataDir, opts.storeOptions);
  await store.blobs.save(workshop.id, CHECKPOINT_BLOB, checkpoint);
  const ms = (a: number, b: number) => Math.round(b - a);
  return { store, days: days.length, events: seq, ms: { simulate: ms(t0, t1), log: ms(t1, t2), checkpoint: ms(t2, t3), open: ms(t3, performance.now()) } };
}
