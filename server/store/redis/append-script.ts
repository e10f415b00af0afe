/**
 * The Lua script behind RedisEventStore.append. Kept as a TS string (not a .lua file) so it
 * ships with the tsc output without a copy step.
 *
 * Dedupe, the version check and the writes must be one atomic step, or two hubs could both
 * pass the check and write the same seq; a Redis script runs without interleaving, and all
 * three keys share the workshop's hash tag so Redis Cluster accepts it.
 *
 * KEYS[1] events stream, KEYS[2] id set, KEYS[3] seq counter (see redisKeys()).
 * ARGV[1] expectedSeq, ARGV[2] receivedAt, then one (id, eventJson) pair per event.
 *
 * Replies {1, newSeq, flags} where flags has one '1' (duplicate) or '0' (written) per event,
 * or {0, currentSeq} on a version conflict (nothing written).
 *
 * Every check happens before the first write: Redis does not roll a script back when a
 * command inside it fails, so a failure half-way would leave a partial batch.
 *
 * Running it twice with the same arguments (ioredis resends a command that was in flight
 * when the connection dropped) is harmless: the second run finds every id in the set and
 * answers "all duplicates" without checking the version.
 */
export const APPEND_SCRIPT = `
local expected = tonumber(ARGV[1])
local receivedAt = ARGV[2]
local count = (#ARGV - 2) / 2

local flags = {}
local seenInBatch = {}
local fresh = 0
for i = 1, count do
  local id = ARGV[1 + 2 * i]
  if seenInBatch[id] or redis.call('SISMEMBER', KEYS[2], id) == 1 then
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
    redis.call('XADD', KEYS[1], seq .. '-0', 'r', receivedAt, 'e', ARGV[2 + 2 * i])
    redis.call('SADD', KEYS[2], ARGV[1 + 2 * i])
  end
end
redis.call('SET', KEYS[3], seq)
return {1, seq, table.concat(flags)}
`;
