import type { RedisClient } from './redis-client.js';
import { DEDUPE_MARGIN_MS, StoreUnavailableError } from '../event-store.js';
import type { RedisKeys } from './keys.js';
import { parseEntry } from './stream-entry.js';

/**
 * The one-time move from the id SET of earlier versions (`…:ids`, every id ever, without its
 * event's time) to the id window (`…:idwin`, a sorted set scored by the event's `at`).
 *
 * The old set cannot be turned into the window by itself: it has no times. So the window is
 * built from the stream instead: its entries from the newest back to the first one received
 * more than the margin before the cutoff (an event dated at or after the cutoff was received
 * at most 5 minutes before its `at`; the margin covers hubs whose clocks disagree), which is
 * the last window + margin of traffic, not the whole history. The migrate script then writes
 * them and drops the old set in one step, provided the log did not move since it was read
 * (a hub of the old version still appending): else this reads again. Hubs racing to migrate
 * are harmless: the first one drops the old set, the others find it gone.
 *
 * Run when the append script answers "old set present" ({2, seq}), so an upgraded store
 * migrates a workshop on its first append, and a workshop nobody writes to costs nothing.
 * A downgrade after it finds no id set: the old version would then dedupe against nothing.
 */

const PAGE = 1000;
const ATTEMPTS = 5;

export type MigratingRedis = RedisClient & {
  pitwallMigrateIds(windowKey: string, oldSetKey: string, seqKey: string, ...args: string[]): Promise<unknown>;
};

export async function migrateIdWindow(client: MigratingRedis, keys: RedisKeys, cutoff: number): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const seq = Number((await client.get(keys.seq)) ?? '0');
    const pairs = await recentIds(client, keys.events, seq, cutoff);
    if ((await client.pitwallMigrateIds(keys.idWindow, keys.legacyIds, keys.seq, String(seq), ...pairs)) === 1) return;
  }
  throw new StoreUnavailableError(`redis: could not move ${keys.legacyIds} to the id window ${keys.idWindow}: the log kept moving (is a hub of an older version still appending?)`);
}

/** (at, id) pairs, flat, of the stream's entries up to `seq` whose event is dated at or after the cutoff. */
async function recentIds(client: RedisClient, streamKey: string, seq: number, cutoff: number): Promise<string[]> {
  const pairs: string[] = [];
  let from = `${seq}-0`;
  for (;;) {
    const entries = await client.xrevrange(streamKey, from, '-', 'COUNT', PAGE);
    for (const [id, fields] of entries) {
      const stored = parseEntry(streamKey, id, fields);
      if (Date.parse(stored.receivedAt) < cutoff - DEDUPE_MARGIN_MS) return pairs;
      const at = Date.parse(stored.event.at);
      if (at >= cutoff) pairs.push(String(at), stored.event.id);
    }
    if (entries.length < PAGE) return pairs;
    from = `(${entries.at(-1)![0]}`;
  }
}
