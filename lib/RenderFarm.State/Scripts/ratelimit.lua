-- Takes requests from a key's token bucket: `burst` tokens, refilled at `rpm` per minute.
-- ARGV: 3 key id, 4 requests per minute (> 0), 5 burst (>= 1), 6 how many to take (>= 1; absent: 1)
-- Grants as many whole tokens as are there, up to that many (a facade takes several at once for a
-- key that calls fast and hands them out itself); at least one, or the request is refused.
-- Returns {allowed 0|1, tokens left (floor), ms until a token is back (0 when allowed), ms until full, granted}.
local k = P .. 'rate:' .. ARGV[3]
local per_ms = tonumber(ARGV[4]) / 60000
local burst = tonumber(ARGV[5])
local want = math.max(1, math.floor(tonumber(ARGV[6]) or 1))
local f = redis.call('HMGET', k, 'tokens', 'ts')
local tokens = tonumber(f[1]) or burst
local ts = tonumber(f[2]) or NOW
-- A replica whose clock is behind the last writer's adds nothing rather than a negative refill.
if NOW > ts then
  tokens = math.min(burst, tokens + (NOW - ts) * per_ms)
  ts = NOW
end
local granted = math.min(want, math.floor(tokens))
if granted < 0 then granted = 0 end
tokens = tokens - granted
redis.call('HSET', k, 'tokens', tostring(tokens), 'ts', tostring(ts))
local full = math.ceil((burst - tokens) / per_ms)
redis.call('PEXPIRE', k, full + 1000)
local allowed = 0
local retry = 0
if granted > 0 then allowed = 1 else retry = math.ceil((1 - tokens) / per_ms) end
return {allowed, math.floor(tokens), retry, full, granted}
