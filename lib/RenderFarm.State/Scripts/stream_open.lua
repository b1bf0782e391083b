-- Opens a long-lived stream of a key if it holds fewer than its most at once. Open streams are
-- members of streams:{key}, scored by when their lease lapses: a facade renews the leases of its
-- open streams, so those of a facade that died lapse and free their slots.
-- ARGV: 3 key id, 4 stream id, 5 most open streams (>= 1), 6 lease ms
-- Returns {opened 0|1, streams open after}.
local k = P .. 'streams:' .. ARGV[3]
local lease = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', k, '-inf', NOW)
local open = redis.call('ZCARD', k)
if open >= tonumber(ARGV[5]) then return {0, open} end
redis.call('ZADD', k, NOW + lease, ARGV[4])
redis.call('PEXPIRE', k, lease)
return {1, open + 1}
