import type { DaySeries } from '../../../shared/series.js';
import type { BoardSnapshot } from '../../../shared/snapshot.js';
import { daySeries } from '../../engine/series.js';
import { listedWithinCaps } from '../snapshot-lists.js';
import type { Workshop } from '../workshop.js';

/**
 * What the TV board reads: the snapshot (figures, the alerts judged on them, the terminals in
 * contact) and the day's series for its charts. Reads: nothing here compacts, and the lights
 * are judged only for a state nobody has judged yet (tick.ts).
 */

export async function boardSnapshot(w: Workshop, now: number): Promise<BoardSnapshot> {
  const p = await w.queue.settled();
  const figures = p.figures(now);
  w.tick.judgeUnseen(p.seq, figures, now);
  return { ...figures, ...listedWithinCaps(w.alerts.active(), figures.flags), terminals: w.terminals.list(now) };
}

export async function boardSeries(w: Workshop, now: number): Promise<DaySeries> {
  const p = await w.queue.settled();
  return daySeries(p.state, p.ctx, now);
}
