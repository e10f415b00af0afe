import type { Interval } from './intervals.js';
import type { TechnicianRecord } from './state.js';

/**
 * Each technician's team over time, for the history's team cut and the daily report's team
 * split (one home for the rule): the config's team until the first `staff.reassigned`, then each
 * change. Changes that every later query starts after are folded away as the roll-ups settle, so
 * a technician moved back and forth all day does not make every later query walk every move.
 */
export class TeamTimeline {
  /** Per technician: [at, team, at, team, …] still needed by a query. */
  private readonly changes = new Map<string, (number | string | null)[]>();
  /** Each technician's team before his first change still kept: the config's, then the last one folded away. */
  private readonly before: Map<string, string | null>;

  constructor(initialTeams: ReadonlyMap<string, string | null>, changes?: ReadonlyMap<string, (number | string | null)[]>) {
    this.before = new Map(initialTeams);
    if (changes) for (const [id, list] of changes) this.changes.set(id, [...list]);
  }

  /** What a checkpoint keeps (rollups.ts `toData`): the teams before, and the changes since. */
  toData(): { before: Map<string, string | null>; changes: Map<string, (number | string | null)[]> } {
    return { before: this.before, changes: this.changes };
  }

  moved(technicianId: string, at: number, team: string | null): void {
    const list = this.changes.get(technicianId) ?? this.changes.set(technicianId, []).get(technicianId)!;
    list.push(at, team);
  }

  /** The technician's teams over [from, to), each with the part of the span it held. */
  spans(t: TechnicianRecord, from: number, to: number): [string | null, Interval][] {
    const changes = this.changes.get(t.id);
    if (!changes) return [[t.team, [from, to]]];
    const out: [string | null, Interval][] = [];
    let team = this.before.get(t.id) ?? null;
    let since = -Infinity;
    for (let i = 0; i < changes.length; i += 2) {
      const at = changes[i] as number;
      if (at > from && since < to) out.push([team, [Math.max(since, from), Math.min(at, to)]]);
      team = changes[i + 1] as string | null;
      since = at;
    }
    if (since < to) out.push([team, [Math.max(since, from), to]]);
    return out.filter(([, [a, b]]) => b > a);
  }

  /** Folds the changes at or before `horizon` into `before`: every later query starts after it. */
  forgetBefore(horizon: number): void {
    for (const [id, changes] of this.changes) {
      let passed = 0;
      while (passed < changes.length && (changes[passed] as number) <= horizon) passed += 2;
      if (passed === 0) continue;
      this.before.set(id, changes[passed - 1] as string | null);
      if (passed === changes.length) this.changes.delete(id);
      else changes.splice(0, passed);
    }
  }
}
