-- Stores a plan until its expiry plus a grace period (during which reads say PLAN_EXPIRED).
-- ARGV: 3 id, 4 tenant, 5 plan bytes, 6 preview production id, 7 expire ms, 8 key ttl ms
local k = P .. 'plan:' .. ARGV[3]
redis.call('HSET', k, 'tenant', ARGV[4], 'plan', ARGV[5], 'preview', ARGV[6], 'expire', ARGV[7])
redis.call('PEXPIRE', k, tonumber(ARGV[8]))
return 1
