import type { AlertMessage } from '../../shared/snapshot.js';
import { HOUR_MS } from '../../shared/time.js';
import type { AlertTracker } from '../engine/alerts.js';
import type { BoardFigures } from '../engine/figures.js';
import type { Projection } from '../engine/projection.js';

/**
 * What a workshop does because time passed or its state changed, never because someone read
 * it: compaction, and judging the lights (the alert tracker's anti-flap rule, engine/alerts.ts).
 *
 * `tick(now)` runs on the registry's timer (every heartbeat): compaction once an hour, and the
 * lights at `now`. A change is judged shortly after it too, so an alert fires whether or not a
 * board is watching. A read only ever judges a state that
 * nobody has judged yet (what the change's own tick would do within TICK_AFTER_CHANGE_MS),
 * reusing the figures it computed anyway: reading once or a hundred times leaves the same
 * alerts, and a read never compacts.
 */

const COMPACT_EVERY_MS = HOUR_MS;
/**
 * A change is judged this long after it at the latest. A watched workshop's change is judged
 * sooner, by the board's snapshot of it (within the broadcaster's 250 ms window), which computes
 * the figures anyway. An unwatched one pays for its figures at most once per this interval:
 * at 250 ms, a workshop taking events non-stop with no board spent a fifth of its ingest
 * capacity on figures nobody saw (docs/performance.md, "Issue 13: before and after").
 */
export const TICK_AFTER_CHANGE_MS = 5000;

export interface TickDeps {
  alerts: AlertTracker;
  /** The projection once no batch is provisional (the commit queue's `settled`). */
  settled(): Promise<Projection>;
  clock: () => number;
  onAlert(alert: AlertMessage): void;
  /** A light moved on a tick: the boards need a snapshot that shows it. */
  onChanged(): void;
  /** A tick after a change failed (the heartbeat's ticks are reported by the registry). */
  onError(err: unknown): void;
}

export class WorkshopTick {
  private lastCompactedAt = -Infinity;
  /** The seq of the state the lights were last judged on (-1: never; a replayed state is new too). */
  private judgedSeq = -1;
  private afterChange: NodeJS.Timeout | null = null;

  constructor(private readonly deps: TickDeps) {}

  /** The heartbeat's tick: compaction when an hour has passed since the last, then the lights at `now`. */
  async tick(now: number): Promise<void> {
    const p = await this.deps.settled();
    this.compactIfDue(p, now);
    if (this.judge(p.seq, p.figures(now), now) > 0) this.deps.onChanged();
  }

  /**
   * A read's figures of the state at `seq`: the lights are judged on them first when nobody has
   * judged that state yet, so what the read returns agrees with the alerts it lists.
   */
  judgeUnseen(seq: number, figures: BoardFigures, now: number): void {
    if (seq !== this.judgedSeq) this.judge(seq, figures, now);
  }

  /** The state changed: judge it within TICK_AFTER_CHANGE_MS, watched or not. */
  changed(): void {
    if (this.afterChange) return;
    this.afterChange = setTimeout(() => {
      this.afterChange = null;
      this.tickAfterChange(this.deps.clock()).catch((err: unknown) => this.deps.onError(err));
    }, TICK_AFTER_CHANGE_MS);
    // A forgotten hub in a test must not keep the process alive.
    this.afterChange.unref();
  }

  close(): void {
    if (this.afterChange) clearTimeout(this.afterChange);
    this.afterChange = null;
  }

  /** Judges the changed state unless a read already did (with the figures it computed anyway). Compaction waits for the heartbeat. */
  private async tickAfterChange(now: number): Promise<void> {
    const p = await this.deps.settled();
    if (p.seq !== this.judgedSeq && this.judge(p.seq, p.figures(now), now) > 0) this.deps.onChanged();
  }

  private compactIfDue(p: Projection, now: number): void {
    if (now - this.lastCompactedAt < COMPACT_EVERY_MS) return;
    p.compact(now);
    this.lastCompactedAt = now;
  }

  /** Feeds the tracker; returns how many lights moved (each one announced). */
  private judge(seq: number, figures: BoardFigures, now: number): number {
    this.judgedSeq = seq;
    const moved = this.deps.alerts.observe(figures, now);
    for (const alert of moved) this.deps.onAlert(alert);
    return moved.length;
  }
}
