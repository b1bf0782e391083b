-- Stores a new template of a tenant and adds it to the tenant's index, unless the tenant would
-- then hold more than its maximum. Garnet may interleave two creates: each adds itself first and
-- counts after, so of two creates past the limit neither is kept (never both).
-- ARGV: 3 id, 4 tenant, 5 template bytes, 6 create ms (index score), 7 most templates per tenant (0 = no limit)
-- Returns 1 when stored, 0 when the tenant is at its limit.
local k = P .. 'template:' .. ARGV[3]
local idx = P .. 'tenant:' .. ARGV[4] .. ':templates'
redis.call('HSET', k, 'tenant', ARGV[4], 'template', ARGV[5], 'rev', 1)
redis.call('ZADD', idx, tonumber(ARGV[6]), ARGV[3])
local max = tonumber(ARGV[7])
if max > 0 and redis.call('ZCARD', idx) > max then
  redis.call('ZREM', idx, ARGV[3])
  redis.call('DEL', k)
  return 0
end
return 1
