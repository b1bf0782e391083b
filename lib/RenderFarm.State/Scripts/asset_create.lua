-- Records an asset of a tenant and adds its declared size to the tenant's stored bytes.
-- ARGV: 3 id, 4 tenant, 5 content type, 6 declared bytes, 7 object key, 8 display name
local k = P .. 'asset:' .. ARGV[3]
redis.call('HSET', k, 'id', ARGV[3], 'tenant', ARGV[4], 'content_type', ARGV[5], 'size', ARGV[6], 'key', ARGV[7],
  'display_name', ARGV[8], 'created', NOW)
redis.call('ZADD', P .. 'tenant:' .. ARGV[4] .. ':assets', NOW, ARGV[3])
return redis.call('INCRBY', P .. 'tenant:' .. ARGV[4] .. ':stored_bytes', ARGV[6])
