-- Records progress of a lease that still holds; progress also renews the lease.
-- ARGV: 3 id, 4 token, 5 progress, 6 stage, 7 lease ttl ms
local k = pkey(ARGV[3])
local f = redis.call('HMGET', k, 'state', 'token', 'parent')
if f[1] ~= 'RUNNING' or f[2] ~= ARGV[4] then return 0 end
redis.call('HSET', k, 'progress', ARGV[5], 'stage', ARGV[6])
redis.call('ZADD', P .. 'leases', 'XX', NOW + tonumber(ARGV[7]), ARGV[3])
emit(ARGV[3], 'progress')
-- A chunk's progress is its production's too.
if f[3] then settle_parent(f[3]) end
return 1
