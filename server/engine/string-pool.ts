/**
 * One copy of each of a few distinct strings. V8's deserialiser (checkpoint.ts) gives every
 * occurrence of a string its own copy, so a restored busy year held 28,000 copies of "repair"
 * and of each technician's id in its job attributions (rollup-cells.ts) and past jobs
 * (state.ts): 11 MB where the same records sharing their strings take 6 MB. Bounded: the
 * strings pooled are ids and names from the config and the events (technicians, teams,
 * services, advisors); past `max` distinct ones a string is kept as it came.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  constructor(private readonly max = 10_000) {}

  get<T extends string | null>(s: T): T {
    if (s === null) return s;
    const pooled = this.pool.get(s);
    if (pooled !== undefined) return pooled as T;
    if (this.pool.size < this.max) this.pool.set(s, s);
    return s;
  }
}
