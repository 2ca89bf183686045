-- Replace one reservation with what was really used, or release it.
-- KEYS: as reserve.lua.
-- ARGV: 1 reserved second, 2 rpm counted (1/0), 3 tpm counted (1/0), 4 reserved tokens,
--       5 served (1/0), 6 actual tokens, 7 lease id, 8 reserved cost, 9 actual cost,
--       10 input tokens, 11 output tokens, 12 spend ttl seconds,
--       13 requests to count when served (absent: 1; more when adding usage counted elsewhere)
local second = ARGV[1]
-- Large integers go to Redis as the caller's strings: Lua would print them as floats.
local served = ARGV[5] == '1'
-- A bucket that already left the window no longer counts, so it is not recreated.
if ARGV[2] == '1' and not served and redis.call('HEXISTS', KEYS[1], second) == 1 then
  redis.call('HINCRBY', KEYS[1], second, -1)
end
if ARGV[3] == '1' then
  local actual = 0
  if served then actual = tonumber(ARGV[6]) end
  local delta = actual - tonumber(ARGV[4])
  if delta ~= 0 and redis.call('HEXISTS', KEYS[2], second) == 1 then
    redis.call('HINCRBY', KEYS[2], second, delta)
  end
end
redis.call('ZREM', KEYS[3], ARGV[7])
local reservedCost = tonumber(ARGV[8])
if reservedCost > 0 then redis.call('HINCRBY', KEYS[4], 'reserved', '-' .. ARGV[8]) end
if served then
  redis.call('HINCRBY', KEYS[4], 'spent', ARGV[9])
  redis.call('HINCRBY', KEYS[4], 'requests', ARGV[13] or 1)
  redis.call('HINCRBY', KEYS[4], 'input', ARGV[10])
  redis.call('HINCRBY', KEYS[4], 'output', ARGV[11])
end
redis.call('EXPIRE', KEYS[4], tonumber(ARGV[12]))
return 1
