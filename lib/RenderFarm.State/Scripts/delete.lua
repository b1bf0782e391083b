-- Removes a production of a tenant in any state, stopping its render first.
-- ARGV: 3 id, 4 tenant
local id = ARGV[3]
local k = pkey(id)
local f = redis.call('HMGET', k, 'state', 'node', 'token', 'tenant')
if not f[1] or f[4] ~= ARGV[4] then return 0 end
withdraw(id, k, f[1], f[2], f[3], 'DELETED')
drop_parts(k)
local ek = P .. 'events:' .. id
redis.call('PUBLISH', ek, cjson.encode({seq = -1, type = 'deleted', state = '', progress = 0, stage = '', time = NOW}))
redis.call('DEL', k, ek)
-- Facades that cache finished productions drop it (ProductionStore.FinishedChangedChannel).
redis.call('PUBLISH', P .. 'productions:finished-changed', id)
redis.call('ZREM', P .. 'tenant:' .. ARGV[4] .. ':prods', id)
return 1
