import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { HistorySums } from '../../shared/history.js';

type Cells = Map<string, HistorySums>;

/**
 * The roll-ups' buckets (rollups.ts `hours` and `days`), each a map of cross-cut cells to sums,
 * by the bucket's start. A bucket nothing adds to any more is kept *frozen*, as its deflated
 * JSON: a few hundred bytes for what were tens of kB of objects (a busy year's days were tens of
 * MB), and it goes into a checkpoint as it is. The history query thaws the days it reads,
 * for the query only; something that adds to a frozen day (settling an old log's time) thaws
 * it for good until the next `freezeBefore`. JSON keeps every number exactly.
 */
export class BucketSums {
  private readonly open = new Map<number, Cells>();
  private readonly frozen = new Map<number, Buffer>();

  constructor(data?: BucketSumsData) {
    if (!data) return;
    for (const [day, cells] of data.open) this.open.set(day, cells);
    for (const [day, packed] of data.frozen) this.frozen.set(day, Buffer.from(packed));
  }

  /** The bucket's cells, to add to (thawed if frozen, created if new). */
  cellsFor(day: number): Cells {
    const cells = this.open.get(day);
    if (cells) return cells;
    const packed = this.frozen.get(day);
    this.frozen.delete(day);
    const thawed: Cells = packed === undefined ? new Map() : thaw(packed);
    this.open.set(day, thawed);
    return thawed;
  }

  /**
   * Every day starting in [from, until), oldest first (sums are added in one order however the
   * days happen to be kept, so a replay and a restored checkpoint agree to the last bit); frozen
   * ones read afresh, for the caller to read, not keep.
   */
  *between(from: number, until: number): Iterable<[number, Cells]> {
    const days = [...this.open.keys(), ...this.frozen.keys()].filter((d) => d >= from && d < until).sort((a, b) => a - b);
    for (const day of days) yield [day, this.open.get(day) ?? thaw(this.frozen.get(day)!)];
  }

  /**
   * Removes and yields (thawed) every bucket that started before `horizon`, oldest first (the
   * hours folded into their days).
   */
  *takeBefore(horizon: number): Iterable<[number, Cells]> {
    for (const [start, cells] of [...this.between(-Infinity, horizon)]) {
      this.open.delete(start);
      this.frozen.delete(start);
      yield [start, cells];
    }
  }

  /** Every bucket's start, open or frozen. */
  keys(): number[] {
    return [...this.open.keys(), ...this.frozen.keys()];
  }

  /** Freezes the open buckets that started before `horizon`. */
  freezeBefore(horizon: number): void {
    for (const [day, cells] of this.open) {
      if (day >= horizon) continue;
      this.frozen.set(day, deflateRawSync(JSON.stringify([...cells])));
      this.open.delete(day);
    }
  }

  forgetBefore(horizon: number): void {
    for (const day of this.open.keys()) if (day < horizon) this.open.delete(day);
    for (const day of this.frozen.keys()) if (day < horizon) this.frozen.delete(day);
  }

  get size(): number {
    return this.open.size + this.frozen.size;
  }

  toData(): BucketSumsData {
    return { open: this.open, frozen: this.frozen };
  }
}

export interface BucketSumsData {
  open: Map<number, Cells>;
  frozen: Map<number, Buffer>;
}

function thaw(packed: Buffer): Cells {
  return new Map(JSON.parse(inflateRawSync(packed).toString('utf8')) as [string, HistorySums][]);
}
