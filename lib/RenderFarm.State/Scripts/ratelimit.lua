-- Takes one request from a key's token bucket: `burst` tokens, refilled at `rpm` per minute.
-- ARGV: 3 key id, 4 requests per minute (> 0), 5 burst (>= 1)
-- Returns {allowed 0|1, tokens left (floor), ms until a token is back (0 when allowed), ms until full}.
local k = P .. 'rate:' .. ARGV[3]
local per_ms = tonumber(ARGV[4]) / 60000
local burst = tonumber(ARGV[5])
local f = redis.call('HMGET', k, 'tokens', 'ts')
local tokens = tonumber(f[1]) or burst
local ts = tonumber(f[2]) or NOW
-- A replica whose clock is behind the last writer's adds nothing rather than a negative refill.
if NOW > ts then
  tokens = math.min(burst, tokens + (NOW - ts) * per_ms)
  ts = NOW
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', k, 'tokens', tostring(tokens), 'ts', tostring(ts))
local full = math.ceil((burst - tokens) / per_ms)
redis.call('PEXPIRE', k, full + 1000)
local retry = 0
if allowed == 0 then retry = math.ceil((1 - tokens) / per_ms) end
return {allowed, math.floor(tokens), retry, full}
