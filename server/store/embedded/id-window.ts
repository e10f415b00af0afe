import { DAY_MS } from '../../../shared/time.js';

/**
 * The embedded store's dedupe memory of one workshop (event-store.ts, DedupeOptions): event id →
 * its event's `at` (ms), for the events dated inside the window. An id counts as known only
 * while its `at` is at or after the cutoff of the append (or, at open, of the log line) asking,
 * whether or not a sweep has removed it yet, so the answers do not depend on when sweeps ran.
 *
 * Sweeps walk the whole map and drop what is before the cutoff: once the cutoff has moved a
 * day since the last sweep, or the map has doubled since (a burst). Each costs the size of the
 * window, at most once a day of traffic or per doubling, so an id costs O(1) amortised, and
 * the map holds at most the ids of the last window + margin + one day of events.
 */

const SWEEP_STEP_MS = DAY_MS;
/** Below this size a doubling does not sweep (a sweep of a few entries is not worth it). */
const MIN_SWEEP_SIZE = 1024;

export class IdWindow {
  private readonly ats = new Map<string, number>();
  private sweptCutoff = -Infinity;
  private sizeAfterSweep = 0;

  /** Whether `id` is known to an append whose dedupe cutoff is `cutoff`. */
  has(id: string, cutoff: number): boolean {
    const at = this.ats.get(id);
    return at !== undefined && at >= cutoff;
  }

  add(id: string, at: number): void {
    this.ats.set(id, at);
  }

  delete(id: string): void {
    this.ats.delete(id);
  }

  get size(): number {
    return this.ats.size;
  }

  /** Drops the ids dated before `cutoff` when a sweep is due (see above). */
  forgetBefore(cutoff: number): void {
    if (cutoff - this.sweptCutoff < SWEEP_STEP_MS && this.ats.size < Math.max(MIN_SWEEP_SIZE, 2 * this.sizeAfterSweep)) return;
    for (const [id, at] of this.ats) if (at < cutoff) this.ats.delete(id);
    this.sweptCutoff = cutoff;
    this.sizeAfterSweep = this.ats.size;
  }
}
