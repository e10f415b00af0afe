import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { HistorySums } from '../../shared/history.js';

type Cells = Map<string, HistorySums>;
/** A frozen bucket: per dimension (a cell's name up to its NUL), the deflated JSON of its cells. */
type Frozen = Map<string, Buffer>;

/**
 * The roll-ups' buckets (rollups.ts `hours` and `days`), each a map of cross-cut cells to sums,
 * by the bucket's start. A bucket nothing adds to any more is kept *frozen*, as deflated JSON per
 * dimension: a few hundred bytes for what were tens of kB of objects (a busy year's buckets were
 * tens of MB), and it goes into a checkpoint as it is. A history query thaws only the dimension
 * it reads (a query by technician never parses the services), for the query only; something
 * that adds to a frozen bucket (a late event, settling an old log's time) thaws it for good
 * until the next `freezeBefore`. JSON keeps every number exactly.
 */
export class BucketSums {
  private readonly open = new Map<number, Cells>();
  private readonly frozen = new Map<number, Frozen>();

  constructor(data?: BucketSumsData) {
    if (!data) return;
    for (const [start, cells] of data.open) this.open.set(start, cells);
    for (const [start, dims] of data.frozen) this.frozen.set(start, new Map([...dims].map(([dim, packed]) => [dim, Buffer.from(packed)])));
  }

  /** The bucket's cells, to add to (thawed if frozen, created if new). */
  cellsFor(start: number): Cells {
    const cells = this.open.get(start);
    if (cells) return cells;
    const frozen = this.frozen.get(start);
    this.frozen.delete(start);
    const thawed: Cells = frozen === undefined ? new Map() : thaw(frozen);
    this.open.set(start, thawed);
    return thawed;
  }

  /**
   * Every bucket starting in [from, until), oldest first (sums are added in one order however the
   * buckets happen to be kept, so a replay and a restored checkpoint agree to the last bit);
   * frozen ones read afresh, for the caller to read, not keep, and given `dim`, only that
   * dimension's cells of them.
   */
  *between(from: number, until: number, dim?: string): Iterable<[number, Cells]> {
    const starts = this.keys().filter((d) => d >= from && d < until).sort((a, b) => a - b);
    for (const start of starts) yield [start, this.open.get(start) ?? thaw(this.frozen.get(start)!, dim)];
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
    for (const [start, cells] of this.open) {
      if (start >= horizon) continue;
      const byDim = new Map<string, [string, HistorySums][]>();
      for (const entry of cells) {
        const dim = dimOf(entry[0]);
        (byDim.get(dim) ?? byDim.set(dim, []).get(dim)!).push(entry);
      }
      this.frozen.set(start, new Map([...byDim].map(([dim, entries]) => [dim, deflateRawSync(JSON.stringify(entries))])));
      this.open.delete(start);
    }
  }

  forgetBefore(horizon: number): void {
    for (const start of this.open.keys()) if (start < horizon) this.open.delete(start);
    for (const start of this.frozen.keys()) if (start < horizon) this.frozen.delete(start);
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
  frozen: Map<number, Frozen>;
}

/** The cell names' dimension: what comes before the NUL (rollup-cells.ts `cell`). */
function dimOf(cell: string): string {
  const i = cell.indexOf('\u0000');
  return i < 0 ? cell : cell.slice(0, i);
}

/** The frozen bucket's cells, all of them or one dimension's. */
function thaw(frozen: Frozen, dim?: string): Cells {
  const cells: Cells = new Map();
  for (const [d, packed] of frozen) {
    if (dim !== undefined && d !== dim) continue;
    for (const [c, sums] of JSON.parse(inflateRawSync(packed).toString('utf8')) as [string, HistorySums][]) cells.set(c, sums);
  }
  return cells;
}
