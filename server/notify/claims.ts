import type { RedisClient } from '../store/redis/redis-client.js';

/**
 * "Has a hub sent this message yet?" With several hubs on one Redis, each hub that has a
 * workshop open sees the same jobs and judges the same notices; the first to claim a message id
 * sends it and the others skip it (docs/operations.md, "Webhooks": why a claim rather than "the
 * hub that committed the batch": `job.turn_soon` comes from time passing, not from a batch).
 */
export interface NoticeClaims {
  /** True for the first claim of this id in the workshop (within CLAIM_TTL_MS), false after. */
  claim(workshopId: string, messageId: string): Promise<boolean>;
}

/** Longer than any job stays open: a message is never claimed twice while its job can still change. */
export const CLAIM_TTL_MS = 3 * 86_400_000;
/** Ids a lone hub remembers (oldest forgotten first): a busy chain's three days of notices, a few MB. */
export const MAX_MEMORY_CLAIMS = 100_000;

/** A lone hub (the embedded store): claims in memory, bounded; lost at restart (docs/operations.md, "Webhooks"). */
export class MemoryClaims implements NoticeClaims {
  private readonly claimedAt = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly max: number = MAX_MEMORY_CLAIMS,
  ) {}

  claim(workshopId: string, messageId: string): Promise<boolean> {
    return Promise.resolve(this.claimNow(`${workshopId}\n${messageId}`));
  }

  private claimNow(key: string): boolean {
    const at = this.claimedAt.get(key);
    if (at !== undefined && this.now() - at < CLAIM_TTL_MS) return false;
    this.claimedAt.delete(key);
    this.claimedAt.set(key, this.now());
    // A Map iterates in insertion order: the first key is the oldest claim.
    while (this.claimedAt.size > this.max) this.claimedAt.delete(this.claimedAt.keys().next().value!);
    return true;
  }
}

/** The workshop's hash tag keeps its claims in its slot on a Redis Cluster, beside its log. */
export function claimKey(workshopId: string, messageId: string): string {
  return `pitwall:{${workshopId}}:notified:${messageId}`;
}

/**
 * Hubs sharing a Redis: `SET key 1 NX PX ttl`, one round trip. When Redis does not answer, the
 * hub's own memory decides (so it still never sends twice itself): a notice may then go out
 * from two hubs, which is better than from none; receivers dedupe by `webhook-id`.
 */
export class RedisClaims implements NoticeClaims {
  private readonly fallback: MemoryClaims;

  constructor(
    private readonly redis: RedisClient,
    private readonly onError: (err: Error) => void,
    now: () => number = Date.now,
  ) {
    this.fallback = new MemoryClaims(now);
  }

  async claim(workshopId: string, messageId: string): Promise<boolean> {
    try {
      return (await this.redis.set(claimKey(workshopId, messageId), '1', 'PX', CLAIM_TTL_MS, 'NX')) === 'OK';
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(String(err)));
      return this.fallback.claim(workshopId, messageId);
    }
  }
}
