-- Check every limit of one subject and, only if all pass, reserve against all of them.
-- KEYS (one hash tag, so one cluster slot):
--   1 requests window: hash second -> requests   2 tokens window: hash second -> tokens
--   3 concurrency leases: zset id -> expiry ms    4 spend of the period: hash
-- ARGV: 1 now ms, 2 rpm, 3 tpm, 4 max concurrent (negative = unlimited), 5 tokens, 6 lease ms,
--       7 lease id, 8 budget nano-USD (negative = none), 9 block (1/0), 10 cost nano-USD,
--       11 spend ttl seconds
-- Returns {refusal, requests used, oldest request second, tokens used, oldest token second,
--          in flight, spent, reserved, budget reached}; refusal 0 = admitted,
--          1 rpm, 2 tpm, 3 concurrency, 4 budget.
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local maxc = tonumber(ARGV[4])
local tokens = tonumber(ARGV[5])
local lease = tonumber(ARGV[6])
local budget = tonumber(ARGV[8])
local block = ARGV[9] == '1'
local cost = tonumber(ARGV[10])
local second = math.floor(now / 1000)
-- Large integers go to Redis as the caller's strings: Lua would print them as floats.

-- Sum of the buckets in the last 60 seconds; older buckets are deleted on the way.
local function window(key)
  local sum, oldest = 0, -1
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local s = tonumber(all[i])
    if s <= second - 60 then
      redis.call('HDEL', key, all[i])
    else
      local v = tonumber(all[i + 1])
      sum = sum + v
      if v > 0 and (oldest < 0 or s < oldest) then oldest = s end
    end
  end
  return sum, oldest
end

local reqUsed, reqOldest, tokUsed, tokOldest, inFlight = 0, -1, 0, -1, 0
if rpm >= 0 then reqUsed, reqOldest = window(KEYS[1]) end
if tpm >= 0 then tokUsed, tokOldest = window(KEYS[2]) end
if maxc >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  inFlight = redis.call('ZCARD', KEYS[3])
end
local spent, reserved = 0, 0
if budget >= 0 then
  local v = redis.call('HMGET', KEYS[4], 'spent', 'reserved')
  spent = tonumber(v[1] or '0')
  reserved = tonumber(v[2] or '0')
end

local refusal = 0
if maxc >= 0 and inFlight >= maxc then refusal = 3
elseif rpm >= 0 and reqUsed >= rpm then refusal = 1
elseif tpm >= 0 and tokUsed >= tpm then refusal = 2
elseif budget >= 0 and block and spent + reserved >= budget then refusal = 4
end
local reached = 0
if budget >= 0 and spent + reserved >= budget then reached = 1 end

if refusal == 0 then
  if rpm >= 0 then
    redis.call('HINCRBY', KEYS[1], second, 1)
    redis.call('PEXPIRE', KEYS[1], 61000)
    reqUsed = reqUsed + 1
    if reqOldest < 0 then reqOldest = second end
  end
  if tpm >= 0 and tokens > 0 then
    redis.call('HINCRBY', KEYS[2], second, tokens)
    redis.call('PEXPIRE', KEYS[2], 61000)
    tokUsed = tokUsed + tokens
    if tokOldest < 0 then tokOldest = second end
  end
  if maxc >= 0 then
    redis.call('ZADD', KEYS[3], now + lease, ARGV[7])
    redis.call('PEXPIRE', KEYS[3], lease)
    inFlight = inFlight + 1
  end
  if cost > 0 then
    redis.call('HINCRBY', KEYS[4], 'reserved', ARGV[10])
    redis.call('EXPIRE', KEYS[4], tonumber(ARGV[11]))
  end
end
return {refusal, reqUsed, reqOldest, tokUsed, tokOldest, inFlight, spent, reserved, reached}
