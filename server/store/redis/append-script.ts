/**
 * The Lua script behind RedisEventStore.append. Kept as a TS string (not a .lua file) so it
 * ships with the tsc output without a copy step.
 *
 * Dedupe, the version check and the writes must be one atomic step, or two hubs could both
 * pass the check and write the same seq; a Redis script runs without interleaving, and all
 * keys share the workshop's hash tag so Redis Cluster accepts it.
 *
 * KEYS[1] events stream, KEYS[2] id window (sorted set: event id scored by the event's `at` in
 * ms), KEYS[3] seq counter, KEYS[4] the id set of the format before the window (see redisKeys()).
 * ARGV[1] expectedSeq, ARGV[2] receivedAt, ARGV[3] the dedupe cutoff (ms, dedupeCutoff()), then
 * one (id, at in ms, eventJson) triple per event.
 *
 * Replies {1, newSeq, flags} where flags has one '1' (duplicate) or '0' (written) per event,
 * {0, currentSeq} on a version conflict (nothing written), or {2, currentSeq} while the old id
 * set is still there (nothing written: the caller builds the window first, id-window.ts).
 *
 * An id is a duplicate only while its score is at or above the cutoff: one below it is
 * forgotten whether or not a trim has removed it yet, so the answer does not depend on when
 * the last trim ran. Each write trims the window below the cutoff (ZREMRANGEBYSCORE, O(log n +
 * removed)), which keeps it at the ids of the last window + margin of events.
 *
 * Every check happens before the first write: Redis does not roll a script back when a
 * command inside it fails, so a failure half-way would leave a partial batch.
 *
 * Running it twice with the same arguments (ioredis resends a command that was in flight
 * when the connection dropped) is harmless: the second run finds every id in the window (the
 * same receivedAt, so the same cutoff) and answers "all duplicates" without checking the version.
 */
export const APPEND_SCRIPT = `
local expected = tonumber(ARGV[1])
local receivedAt = ARGV[2]
local cutoff = tonumber(ARGV[3])
local count = (#ARGV - 3) / 3

if redis.call('EXISTS', KEYS[4]) == 1 then
  return {2, tonumber(redis.call('GET', KEYS[3]) or '0')}
end

local flags = {}
local seenInBatch = {}
local fresh = 0
for i = 1, count do
  local id = ARGV[1 + 3 * i]
  local at = redis.call('ZSCORE', KEYS[2], id)
  if seenInBatch[id] or (at and tonumber(at) >= cutoff) then
    flags[i] = '1'
  else
    flags[i] = '0'
    seenInBatch[id] = true
    fresh = fresh + 1
  end
end

local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
if fresh == 0 then
  return {1, seq, table.concat(flags)}
end
if seq ~= expected then
  return {0, seq}
end

for i = 1, count do
  if flags[i] == '0' then
    seq = seq + 1
    redis.call('XADD', KEYS[1], seq .. '-0', 'r', receivedAt, 'e', ARGV[3 + 3 * i])
    redis.call('ZADD', KEYS[2], ARGV[2 + 3 * i], ARGV[1 + 3 * i])
  end
end
redis.call('SET', KEYS[3], seq)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
return {1, seq, table.concat(flags)}
`;

/**
 * Builds the id window from the pairs the caller read off the stream (id-window.ts), once,
 * and drops the old id set. KEYS[1] id window, KEYS[2] old id set, KEYS[3] seq counter.
 * ARGV[1] the seq the caller read the stream up to, then (at in ms, id) pairs.
 * Replies 1 when built (or built already by another hub: the old set is gone), 0 when the log
 * moved meanwhile (a hub of the old version appended): the caller reads again.
 */
export const MIGRATE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 1
end
if tonumber(redis.call('GET', KEYS[3]) or '0') ~= tonumber(ARGV[1]) then
  return 0
end
for i = 2, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('UNLINK', KEYS[2])
return 1
`;
