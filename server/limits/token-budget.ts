import { createHash } from 'node:crypto';
import type { RedisClient } from '../store/redis/redis-client.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * Each token's budget of work per minute, counted in events, shared by every door of the hub
 * (HTTP, the events fast path, Socket.IO) and, given a Redis connection, by every hub behind
 * the balancer (docs/security.md, "One budget per token, on every door").
 *
 * Fixed one-minute windows per token, kept by rate-limiter-flexible: `RateLimiterRedis` (one
 * Lua INCRBY + PTTL per take) when hubs share Redis, `RateLimiterMemory` otherwise. With Redis
 * unreachable, each hub falls back to a memory budget of its own (the library's insurance
 * limiter): reads keep being answered and still limited, per hub, until Redis is back.
 */

export const BUDGET_WINDOW_SECONDS = 60;
/** The Redis keys: `pitwall:rate:<digest of the token>`. */
export const DEFAULT_BUDGET_KEY_PREFIX = 'pitwall:rate';
/** Digests of keys kept for reuse: far above a config's tokens, a bound for the customers' addresses. */
export const MAX_CACHED_DIGESTS = 10_000;

export interface BudgetState {
  /** The budget per window (PITWALL_RATE_LIMIT). */
  limit: number;
  /** What is left of this window after the take (0 once refused). */
  remaining: number;
  /** Seconds until the window ends and the budget is whole again (≥ 1). */
  resetSeconds: number;
}

export type BudgetVerdict = ({ ok: true } & BudgetState) | ({ ok: false; points: number } & BudgetState);

export interface TokenBudget {
  readonly limit: number;
  /**
   * Takes `points` (a whole number ≥ 1) from the token's budget of this window, or nothing
   * when they do not all fit: a refused request must not spend what it was refused, or a
   * 500-event batch that did not fit would also shut out the terminal's next hello.
   */
  take(token: string, points: number): Promise<BudgetVerdict>;
}

export interface TokenBudgetOptions {
  /** Events (or requests, which cost 1) per minute per token. */
  perMinute: number;
  /** Shared by every hub on it; unset: this process alone keeps the counts. */
  redis?: RedisClient;
  /** Replaces `pitwall:rate` (tests isolate runs on one server with it). */
  keyPrefix?: string;
}

export function tokenBudget(opts: TokenBudgetOptions): TokenBudget {
  const limit = opts.perMinute;
  const limiter = opts.redis ? redisLimiter(opts.redis, limit, opts.keyPrefix ?? DEFAULT_BUDGET_KEY_PREFIX) : memoryLimiter(limit);

  // Only tokens the hub knows reach the budget (the doors authenticate first), so this stays
  // as small as the config's token list. A digest because the key may sit in Redis, where a
  // usable token must never land; cached because hashing on every request showed in profiles.
  // The customers' budget (server/customers/) keys by client address, which nobody bounds:
  // past MAX_CACHED_DIGESTS the cache starts again (a digest costs a microsecond to redo).
  const digests = new Map<string, string>();
  const keyOf = (token: string): string => {
    let d = digests.get(token);
    if (d === undefined) {
      if (digests.size >= MAX_CACHED_DIGESTS) digests.clear();
      digests.set(token, (d = createHash('sha256').update(token).digest('base64url')));
    }
    return d;
  };

  return {
    limit,
    async take(token, points) {
      if (!Number.isSafeInteger(points) || points < 1) throw new RangeError(`points must be a whole number ≥ 1, got ${points}`);
      const key = keyOf(token);
      try {
        const res = await limiter.consume(key, points);
        return { ok: true, ...state(limit, res) };
      } catch (refused) {
        // Anything else is the insurance limiter failing, which keeps counts in memory: a bug.
        if (!(refused instanceof RateLimiterRes)) throw refused;
        // A refused take of one point means the window was already spent: giving it back
        // changes nothing a caller can see, and skipping it keeps a flood to one call each.
        if (points > 1) await limiter.reward(key, points).catch(() => undefined);
        return { ok: false, points, ...state(limit, refused), remaining: 0 };
      }
    },
  };
}

function state(limit: number, res: RateLimiterRes): BudgetState {
  return { limit, remaining: res.remainingPoints, resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

function memoryLimiter(points: number): RateLimiterAbstract {
  return new RateLimiterMemory({ points, duration: BUDGET_WINDOW_SECONDS });
}

/**
 * rate-limiter-flexible's own take (SET NX with the window's expiry, INCRBY, PTTL), kept out of
 * the AOF and the replicas: a counter that lives a minute is not worth an fsync, and with the
 * store's `appendfsync always` every take would otherwise wait for one before the append waits
 * for its own (bench/limiter-cost.ts, AOF `always`: a take alone 411 → 118 µs at the median,
 * 5,800 → 54,000 takes a second with 64 in flight). Lost on a Redis
 * restart or failover, which only hands every token a fresh window. A refund that lands after
 * its window ended (the window turned between the take and the refund) would leave the new
 * window in credit: the count stops at 0.
 */
export const UNLOGGED_TAKE_SCRIPT = `redis.set_repl(redis.REPL_NONE)
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
if consumed < 0 then
  redis.call('set', KEYS[1], 0, 'KEEPTTL')
  consumed = 0
end
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl}`;

function redisLimiter(redis: RedisClient, points: number, keyPrefix: string): RateLimiterAbstract {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration: BUDGET_WINDOW_SECONDS,
    customIncrTtlLuaScript: UNLOGGED_TAKE_SCRIPT,
    // Not connected: straight to the memory budget, no waiting on a reconnect.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memoryLimiter(points),
  });
}
