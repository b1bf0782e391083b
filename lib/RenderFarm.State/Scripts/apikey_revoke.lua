-- Marks a key revoked (once); returns its record, or nil when there is no such key.
-- ARGV: 3 id
local k = P .. 'apikey:' .. ARGV[3]
if redis.call('EXISTS', k) == 0 then return nil end
if not redis.call('HGET', k, 'revoked') then redis.call('HSET', k, 'revoked', NOW) end
return redis.call('HGETALL', k)
