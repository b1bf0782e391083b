-- Cancels a queued or running production of a tenant; a running one's node is told to stop.
-- ARGV: 3 id, 4 tenant
local id = ARGV[3]
local k = pkey(id)
local f = redis.call('HMGET', k, 'state', 'node', 'token', 'tenant')
if not f[1] or f[4] ~= ARGV[4] then return 'NOT_FOUND' end
if not withdraw(id, k, f[1], f[2], f[3], 'CANCELLED') then return f[1] end
redis.call('HSET', k, 'state', 'CANCELLED', 'ended', NOW, 'stage', 'cancelled', 'token', 0)
drop_parts(k)
emit(id, 'state')
return 'CANCELLED'
