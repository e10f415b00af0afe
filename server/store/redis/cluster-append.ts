import type { Cluster } from 'ioredis';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** The client once `defineCommand` has added the append and migrate scripts (append-script.ts) as methods. */
export type ScriptedClient = RedisClient & {
  pitwallAppend(eventsKey: string, idWindowKey: string, seqKey: string, legacyIdsKey: string, ...args: string[]): Promise<unknown>;
  pitwallMigrateIds(windowKey: string, oldSetKey: string, seqKey: string, ...args: string[]): Promise<unknown>;
};

/**
 * How long an append on a cluster waits for the slot's replica to confirm it (`WAIT 1 <ms>`).
 * A healthy replica answers in about a millisecond (WAIT makes the master ask for its offset at
 * once); this only bounds the slowdown while a replica is down or far behind.
 */
export const REPLICA_WAIT_MS = 250;

/**
 * Redis replicates asynchronously: a master can answer the append, then die before its replica
 * has the write, and the replica promoted in its place would not have an event the hub already
 * answered `accepted`. So on a cluster the script is followed, in the same pipeline and so on
 * the same connection to the same master, by `WAIT 1 <ms>`, and the append is answered once a
 * replica holds it. When none confirms in time (the replica is down or lagging) the append
 * still counts: the master has it in its fsynced AOF, and refusing every write while a replica
 * is away would make the cluster less available than a single server. `onWarning` says so.
 * docs/operations.md, "Redis Cluster", has the trade-off.
 *
 * Resolves with the script's reply; rejects with the script's error (append-failure.ts tells
 * "refused" from "may have run"), or with WAIT's, which always means "ran, not confirmed".
 */
export async function appendOnCluster(
  client: ScriptedClient & Cluster,
  keys: RedisKeys,
  args: string[],
  replication: { waitMs: number; onWarning: (message: string) => void },
): Promise<unknown> {
  const pipeline = client.pipeline() as ReturnType<Cluster['pipeline']> & {
    pitwallAppend(eventsKey: string, idWindowKey: string, seqKey: string, legacyIdsKey: string, ...args: string[]): unknown;
  };
  pipeline.pitwallAppend(keys.events, keys.idWindow, keys.seq, keys.legacyIds, ...args);
  pipeline.wait(1, replication.waitMs);
  const results = await pipeline.exec();
  const [appendResult, waitResult] = results ?? [];
  if (!appendResult || !waitResult) throw new Error('the append pipeline was discarded');
  const [appendError, reply] = appendResult;
  if (appendError) {
    // ioredis retries a pipeline only when both commands fail alike; a MOVED on the script next
    // to WAIT's answer is not retried, so the slots are read again for the next attempt.
    if (/^(MOVED|ASK|CLUSTERDOWN|TRYAGAIN) /.test(appendError.message)) client.refreshSlotsCache();
    throw appendError;
  }
  const [waitError, replicas] = waitResult;
  if (waitError) throw new Error(`the append ran but its replication was not confirmed: ${waitError.message}`, { cause: waitError });
  if (replicas === 0) replication.onWarning(`no replica of ${keys.events}'s slot confirmed an append within ${replication.waitMs} ms: it is on the master only until the replica catches up`);
  return reply;
}
