import type { HistorySums } from '../../shared/history.js';

type Cells = Map<string, HistorySums>;

/**
 * The roll-ups' day buckets (rollups.ts `days`): a year of them, each a map of cross-cut cells
 * to sums. A day nothing adds to any more is kept *frozen*, as its JSON text: a one-byte
 * string costs a fraction of the objects it stands for (a busy year's days were tens of MB of
 * objects), and it goes into a checkpoint as it is. The history query thaws the days it reads,
 * for the query only; something that adds to a frozen day (settling an old log's time) thaws
 * it for good until the next `freezeBefore`. JSON keeps every number exactly.
 */
export class DaySums {
  private readonly open = new Map<number, Cells>();
  private readonly frozen = new Map<number, string>();

  constructor(data?: DaySumsData) {
    if (!data) return;
    for (const [day, cells] of data.open) this.open.set(day, cells);
    for (const [day, text] of data.frozen) this.frozen.set(day, text);
  }

  /** The day's cells, to add to (thawed if frozen, created if new). */
  cellsFor(day: number): Cells {
    const cells = this.open.get(day);
    if (cells) return cells;
    const text = this.frozen.get(day);
    this.frozen.delete(day);
    const thawed: Cells = text === undefined ? new Map() : new Map(JSON.parse(text) as [string, HistorySums][]);
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
    for (const day of days) yield [day, this.open.get(day) ?? new Map(JSON.parse(this.frozen.get(day)!) as [string, HistorySums][])];
  }

  /** Freezes the open days that started before `horizon`. */
  freezeBefore(horizon: number): void {
    for (const [day, cells] of this.open) {
      if (day >= horizon) continue;
      this.frozen.set(day, JSON.stringify([...cells]));
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

  toData(): DaySumsData {
    return { open: this.open, frozen: this.frozen };
  }
}

export interface DaySumsData {
  open: Map<number, Cells>;
  frozen: Map<number, string>;
}
