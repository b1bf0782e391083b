-- Stores a new API key: its record, the hash → id index used to authenticate, and the listing index.
-- ARGV: 3 id, 4 sha-256 hex of the raw key, 5 tenant, 6 scopes (comma-separated), 7 display name,
--       8 key prefix, 9 spend limit seconds, then pairs of the key's own rate limits (record field, value)
local k = P .. 'apikey:' .. ARGV[3]
redis.call('HSET', k, 'id', ARGV[3], 'hash', ARGV[4], 'tenant', ARGV[5], 'scopes', ARGV[6],
  'display_name', ARGV[7], 'key_prefix', ARGV[8], 'spend_limit', ARGV[9], 'spent', 0, 'created', NOW)
for i = 10, #ARGV - 1, 2 do redis.call('HSET', k, ARGV[i], ARGV[i + 1]) end
redis.call('SET', P .. 'apikey-hash:' .. ARGV[4], ARGV[3])
redis.call('ZADD', P .. 'apikeys', NOW, ARGV[3])
return 1
