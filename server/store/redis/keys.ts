/** The Redis key layout of one workshop (docs/architecture.md, "Stores"). */

export const DEFAULT_KEY_PREFIX = 'pitwall';

export interface RedisKeys {
  /** STREAM of the events, entry id `<seq>-0`. */
  events: string;
  /** Sorted set: the ids of the dedupe window, each scored by its event's `at` (ms). */
  idWindow: string;
  /** The SET of every id that versions before the window kept; moved to `idWindow` and dropped on first use (id-window.ts). */
  legacyIds: string;
  /** The last seq, a string counter. */
  seq: string;
}

/**
 * The keys of one workshop. The `{workshopId}` hash tag puts them all in the same Redis
 * Cluster slot, which a multi-key script needs, and shards the cluster by workshop.
 */
export function redisKeys(workshopId: string, prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  const base = `${prefix}:{${workshopId}}`;
  return { events: `${base}:events`, idWindow: `${base}:idwin`, legacyIds: `${base}:ids`, seq: `${base}:seq` };
}
