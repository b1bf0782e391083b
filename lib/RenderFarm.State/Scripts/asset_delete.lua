-- Deletes an asset of a tenant: ZREM of its index entry claims it (and proves it the tenant's), its
-- declared size leaves the tenant's stored bytes, and its id is kept in the deleted-assets index
-- until its upload URL has expired, so a sweep deletes bytes a late upload may still write.
-- ARGV: 3 id, 4 tenant, 5 when the asset's upload URL has surely expired (ms)
-- Returns 1 when deleted, 0 when the tenant has no such asset.
if redis.call('ZREM', P .. 'tenant:' .. ARGV[4] .. ':assets', ARGV[3]) == 0 then return 0 end
local k = P .. 'asset:' .. ARGV[3]
local size = tonumber(redis.call('HGET', k, 'size')) or 0
redis.call('DEL', k)
local sb = P .. 'tenant:' .. ARGV[4] .. ':stored_bytes'
if redis.call('DECRBY', sb, size) < 0 then redis.call('SET', sb, 0) end
redis.call('ZADD', P .. 'assets:deleted', tonumber(ARGV[5]), ARGV[3])
return 1
