-- Deletes a template of a tenant. ZREM of its index entry claims it (and proves the tenant's).
-- ARGV: 3 id, 4 tenant
-- Returns 1 when deleted, 0 when the tenant has no such template.
if redis.call('ZREM', P .. 'tenant:' .. ARGV[4] .. ':templates', ARGV[3]) == 0 then return 0 end
redis.call('DEL', P .. 'template:' .. ARGV[3])
return 1
