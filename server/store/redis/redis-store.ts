import type { PitwallEvent, StoredEvent } from '../../../shared/events.js';
import { redisArchiveLock, type ArchiveLock } from '../../archive/archive-lock.js';
import { redactRedisUrl } from '../../config/redis-url.js';
import { dedupeCutoff, dedupeWindowOf, eventTime, StoreUnavailableError, type AppendOutcome, type DedupeOptions, type EventStore } from '../event-store.js';
import { appendFailure } from './append-failure.js';
import { APPEND_SCRIPT, MIGRATE_SCRIPT } from './append-script.js';
import { appendOnCluster, REPLICA_WAIT_MS, type ScriptedClient } from './cluster-append.js';
import { migrateIdWindow } from './id-window.js';
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './keys.js';
import { RedisBlobs } from './redis-blobs.js';
import { createRedisClient, isCluster } from './redis-client.js';
import { parseEntry } from './stream-entry.js';

export { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './keys.js';

/**
 * The Redis event store: per workshop a STREAM of events (entry id `<seq>-0`), the ids of the
 * dedupe window (a sorted set scored by the event's `at`, trimmed on each write) and a string
 * counter holding the last seq, written together by one Lua script (append-script.ts); keys in
 * keys.ts. A store written before the window keeps a SET of every id instead: each workshop's
 * is moved to the window on its first append (id-window.ts).
 *
 * Durability is the server's: `append` resolves when Redis has applied the script, which is
 * on disk only as far as the server's persistence settings say (production should run
 * `appendonly yes` with `appendfsync always`, or `everysec` to accept losing up to a second).
 *
 * Failure behaviour: every command times out after COMMAND_TIMEOUT_MS and is then rejected
 * with StoreUnavailableError, so callers answer 503 quickly instead of hanging. The client
 * keeps reconnecting in the background forever, so the store heals by itself when Redis is
 * back. A command that timed out may still reach Redis after the reconnect (ioredis resends
 * its queue); that is safe because the append script treats known ids as duplicates, but it
 * means a timed-out append is not "nothing written": it rejects with StoreOutcomeUnknownError
 * (append-failure.ts), and an append is not even handed to ioredis while the connection is
 * down, so that one is certainly not written.
 *
 * On a Redis Cluster (`redis+cluster://…`) the same keys and script work unchanged (the hash
 * tag keeps a workshop in one slot); an append also waits for the slot's replica
 * (cluster-append.ts), and every call is bounded by CLUSTER_CALL_DEADLINE_MS, as ioredis keeps
 * retrying a command through a failover.
 */

const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
/**
 * A cluster call's whole time, retries through a failover included: past it the hub answers 503
 * and the terminal tries again (a failover takes cluster-node-timeout plus an election).
 */
const CLUSTER_CALL_DEADLINE_MS = 2500;

export interface RedisStoreOptions extends DedupeOptions {
  /** Replaces the leading `pitwall` of every key (tests use it to isolate runs on one server). */
  keyPrefix?: string;
  /**
   * Called with every error the client emits (connection refused, reset…). The client
   * keeps retrying regardless; without a listener such an error would crash the process.
   */
  onError?: (err: Error) => void;
  /** Cluster only: an append that no replica confirmed in time (cluster-append.ts); throttled by the caller. */
  onWarning?: (message: string) => void;
  /** Cluster only: how long an append waits for a replica (default REPLICA_WAIT_MS); tests lengthen it. */
  replicaWaitMs?: number;
}

export class RedisEventStore implements EventStore {
  readonly kind = 'redis' as const;
  readonly sharedLog = true;
  private blobStore: RedisBlobs | null = null;
  private lock: ArchiveLock | null = null;

  private constructor(
    private readonly client: ScriptedClient,
    private readonly url: string,
    private readonly prefix: string,
    private readonly dedupeWindowMs: number,
    private readonly replication: { waitMs: number; onWarning: (message: string) => void },
  ) {}

  /**
   * Creates the client and resolves once Redis has answered a write probe (`ping()`); rejects
   * with StoreUnavailableError, after closing the client, when it does not within ~1 s (on a
   * cluster: CLUSTER_CALL_DEADLINE_MS).
   */
  static async connect(url: string, opts: RedisStoreOptions = {}): Promise<RedisEventStore> {
    const windowMs = dedupeWindowOf(opts);
    const client = createRedisClient(url, {
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Queued commands fail after one reconnect attempt instead of waiting for Redis.
      maxRetriesPerRequest: 1,
      enableAutoPipelining: true,
      // Never give up reconnecting: a hub outlives any Redis restart.
      reconnectDelay: (attempt: number) => Math.min(attempt * 100, 1000),
    });
    client.on('error', (err: Error) => opts.onError?.(err));
    // A cluster reports a node's errors on its own event (the cluster's 'error' is for the whole).
    if (isCluster(client)) client.on('node error', (err: Error) => opts.onError?.(err));
    // defineCommand runs EVALSHA and falls back to EVAL on NOSCRIPT (e.g. after a restart or on a promoted replica).
    client.defineCommand('pitwallAppend', { numberOfKeys: 4, lua: APPEND_SCRIPT });
    client.defineCommand('pitwallMigrateIds', { numberOfKeys: 3, lua: MIGRATE_SCRIPT });

    const store = new RedisEventStore(client as ScriptedClient, url, opts.keyPrefix ?? DEFAULT_KEY_PREFIX, windowMs, {
      waitMs: opts.replicaWaitMs ?? REPLICA_WAIT_MS,
      onWarning: opts.onWarning ?? (() => {}),
    });
    try {
      await store.ping();
    } catch (err) {
      client.disconnect();
      throw err;
    }
    return store;
  }

  get archiveLock(): ArchiveLock {
    return (this.lock ??= redisArchiveLock(this.client, { keyPrefix: this.prefix }));
  }

  get blobs(): RedisBlobs {
    return (this.blobStore ??= new RedisBlobs(this.client, this.prefix));
  }

  async append(workshopId: string, events: readonly PitwallEvent[], expectedSeq: number, receivedAt: string): Promise<AppendOutcome> {
    if (!Number.isSafeInteger(expectedSeq) || expectedSeq < 0) throw new RangeError(`expectedSeq must be a non-negative integer, got ${expectedSeq}`);
    const cutoff = dedupeCutoff(receivedAt, this.dedupeWindowMs);
    const keys = redisKeys(workshopId, this.prefix);
    const args = [String(expectedSeq), receivedAt, String(cutoff)];
    for (const event of events) args.push(event.id, String(eventTime(event)), JSON.stringify(event));

    let reply = await this.runAppend(keys, args);
    if (isMigrationNeeded(reply)) {
      // Nothing was written: safe to fail as "unavailable" if the move itself fails.
      await this.call('id window migration', () => migrateIdWindow(this.client, keys, cutoff));
      reply = await this.runAppend(keys, args);
    }
    return parseAppendReply(reply, events.length);
  }

  private async runAppend(keys: RedisKeys, args: string[]): Promise<unknown> {
    // ioredis would park the call in its offline queue and send it whenever Redis is back, long
    // after the caller was answered: while there is no connection, do not hand it over at all.
    if (this.client.status !== 'ready') throw new StoreUnavailableError(`redis append not sent: the connection is ${this.client.status}`);
    try {
      return isCluster(this.client)
        ? await withDeadline(appendOnCluster(this.client, keys, args, this.replication), 'append')
        : await this.client.pitwallAppend(keys.events, keys.idWindow, keys.seq, keys.legacyIds, ...args);
    } catch (err) {
      throw appendFailure(err);
    }
  }

  async read(workshopId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    const from = Math.max(0, Math.floor(afterSeq)) + 1;
    const { events } = redisKeys(workshopId, this.prefix);
    const entries = await this.call('read', () => this.client.xrange(events, `${from}-0`, '+', 'COUNT', count));
    return entries.map(([id, fields]) => parseEntry(events, id, fields));
  }

  /** XTRIM MINID: stream ids are `<seq>-0`, so everything below `<upToSeq+1>-0` goes, in O(removed). */
  async trim(workshopId: string, upToSeq: number): Promise<void> {
    const upTo = Math.min(Math.floor(upToSeq), await this.length(workshopId));
    if (!(upTo > 0)) return;
    const keys = redisKeys(workshopId, this.prefix);
    await this.call('trim', () => this.client.xtrim(keys.events, 'MINID', `${upTo + 1}-0`));
    // A workshop that takes no more events keeps its window as it was: drop what no later append
    // can need (every later one is received after the oldest event kept, so its cutoff is later).
    const [oldest] = await this.call('trim', () => this.client.xrange(keys.events, '-', '+', 'COUNT', 1));
    if (oldest) {
      const cutoff = dedupeCutoff(parseEntry(keys.events, oldest[0], oldest[1]).receivedAt, this.dedupeWindowMs);
      await this.call('trim', () => this.client.zremrangebyscore(keys.idWindow, '-inf', `(${cutoff}`));
    }
  }

  async firstSeq(workshopId: string): Promise<number> {
    const { events, seq } = redisKeys(workshopId, this.prefix);
    const [first, last] = await this.call('firstSeq', () => Promise.all([this.client.xrange(events, '-', '+', 'COUNT', 1), this.client.get(seq)]));
    return first.length > 0 ? Number.parseInt(first[0]![0], 10) : Number(last ?? '0') + 1;
  }

  async length(workshopId: string): Promise<number> {
    const value = await this.call('length', () => this.client.get(redisKeys(workshopId, this.prefix).seq));
    return value === null ? 0 : Number(value);
  }

  async rememberedIds(workshopId: string): Promise<number> {
    return this.call('rememberedIds', () => this.client.zcard(redisKeys(workshopId, this.prefix).idWindow));
  }

  /**
   * A PING alone would pass on a read-only replica or a server refusing writes (MISCONF
   * after a failed disk write, OOM), so probe with a small expiring write.
   */
  async ping(): Promise<void> {
    await this.call('ping', () => this.client.set(`${this.prefix}:ping`, new Date().toISOString(), 'PX', 60_000));
  }

  describe(): string {
    const prefix = this.prefix === DEFAULT_KEY_PREFIX ? '' : ` (key prefix "${this.prefix}")`;
    return `${redactRedisUrl(this.url)}${prefix}`;
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      // Redis unreachable: QUIT timed out in the offline queue. Drop the socket instead.
      this.client.disconnect();
    }
  }

  /** Runs one Redis call, turning any failure into StoreUnavailableError (the hub answers 503). */
  private async call<T>(what: string, op: () => Promise<T>): Promise<T> {
    try {
      return await (isCluster(this.client) ? withDeadline(op(), what) : op());
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new StoreUnavailableError(`redis ${what} failed: ${reason}`, { cause: err });
    }
  }
}

/** The script's {2, seq}: the workshop still has the id set of an earlier version (nothing written). */
function isMigrationNeeded(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === 2;
}

function parseAppendReply(reply: unknown, eventCount: number): AppendOutcome {
  if (Array.isArray(reply)) {
    const [status, seq, flags] = reply as unknown[];
    if (status === 0 && typeof seq === 'number') return { ok: false, conflict: true, seq };
    if (status === 1 && typeof seq === 'number' && typeof flags === 'string' && flags.length === eventCount) {
      return { ok: true, seq, duplicates: Array.from(flags, (flag) => flag === '1') };
    }
  }
  throw new Error(`unexpected reply from the redis append script: ${JSON.stringify(reply)}`);
}

/** Rejects once CLUSTER_CALL_DEADLINE_MS have passed; the command itself may still run later (see the class comment). */
function withDeadline<T>(op: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis cluster ${what} took over ${CLUSTER_CALL_DEADLINE_MS} ms (a failover in progress?)`)), CLUSTER_CALL_DEADLINE_MS);
  });
  return Promise.race([op, expired]).finally(() => clearTimeout(timer));
}
